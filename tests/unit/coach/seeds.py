# ruff: noqa: E501  (the seed cases are quoted verbatim, line by line)
"""The seed cases as data: the FinTech reply (seed 000), Thomas and Margareth (seed 000) and the
meter readings answered with payment demands (seed 003), each with a rewrite that follows the
studies' recommendations."""

from __future__ import annotations

from goodwill.coach import Draft, Turn

MICHAEL = (
    "Hello, I would like to suggest a missing feature: As a user I’d like to see each day balance "
    "on my account timeline, this data would help me to quickly grasp the trend at a glance.\n\n"
    "I think you could conveniently compete with what other banks already offer, a daily balance "
    "in the account timeline in the app adds useful information.\n\nThank you."
)

FINTECH_REPLY = """##- Please type your reply above this line. -##

Hi Michael,

Thank you for getting in touch with XXX. We appreciate your feedback and wishes.
I understand you would like to see your daily balances. We will submit your feedback to our internal team.
XXX is a financial institution, not a bank, which is authorized by the Financial Conduct Authority under the Electronic Money Regulations 2011, Firm Reference xxx , for the issuing of electronic money.

As we manage and hold and offer over 25+ available currencies it can be overwhelming to find and look up for how much is available in each account.

You can always check them from your xxx  app or browser by selecting the balance or Jar of your choosing.

You can download statements for all balances on your xxx account. A statement will include your account numbers, current balance, transactions, and more.  Learn how to download statements (link)

Let us know if you have any other questions or suggestions for a friendlier app experience. We're happy to help.
Best regards,
"""

# The seven parts the study analyses, with the category it gives each.
FINTECH_PARTS = [
    ("Please type your reply above this line", "template_noise"),
    (
        "Thank you for getting in touch with XXX. We appreciate your feedback",
        "hollow_acknowledgement",
    ),
    ("XXX is a financial institution, not a bank", "irrelevant_boilerplate"),
    ("As we manage and hold and offer over 25+ available currencies", "boasting"),
    ("it can be overwhelming to find and look up", "self_undermining"),
    ("You can always check them from your xxx  app", "unsolicited_workaround"),
    ("Learn how to download statements", "patronising"),
    ("Let us know if you have any other questions", "generic_closing"),
]

FINTECH_REWRITE = """Hi Michael,

Thank you for suggesting a daily balance on the account timeline. Seeing the trend at a glance is a good use case, and you're right that several banks already offer it.

I've passed your suggestion, with your description of how you'd use it, to our product team. They review new feature ideas every month, and I'll email you by 15 March to tell you what they decided and, if it's planned, roughly when it could arrive.

Thanks again for taking the time to write it up.

Best regards,
Sarah
XXX Customer Support"""

HOWTO_STATEMENTS = "Hi, how do I download statements for all my balances? My accountant needs them. Thanks, Michael"
STATEMENTS_ANSWER = """Hi Michael,

You can download statements for all balances on your account from the app: open Account, choose Statements and pick the balances and dates you need. A statement will include your account numbers, current balance and transactions.

Best regards,
Sarah"""

MARGARETH = (
    "Thomas, we have just found that your invoices for March billed us for 340 hours your team "
    "never worked. Frankly this looks like fraud. I trusted you, and now my own management thinks "
    "I was careless for not catching it. I am seriously considering terminating the contract."
)
MARGARETH_CONTEXT = (Turn("outbound", "Margareth, the March invoices are attached. Thomas"),)
THOMAS_REPLY = """Margareth,

I understand your concern. Please trust me: this was an honest error and nothing like this will ever happen again. You know me, and you know our company has always been transparent with you. Let's not let one mistake spoil a great partnership.

Best regards,
Thomas"""

THOMAS_REWRITE = """Margareth,

You're right to be angry. We billed you for 340 hours our team did not work, and you found it, not us; that's our failure, and I understand it has put you in a difficult position with your own management.

Here is what I have done: I've cancelled the three affected invoices and issued corrected ones, which are attached, with a credit of £18,700. I've also asked our finance director to audit every invoice on your contract since January; she will send you her findings by Friday 14 June, and I'll go through them with you and anyone from your team at a time that suits you.

From next month, every invoice will come with the signed timesheets behind it, so you can check each line.

Thomas"""

SECURITY_QUESTION = (
    "Is my card number stored on your servers when I use one-click checkout? Thanks, Dana"
)
TRUST_US_ANSWER = """Hi Dana,

No: card numbers are stored by our payment provider, never on our servers. Please trust us on this.

Best,
Leo"""

METER_READING = (
    "Hello, here is my gas meter reading for this month: 04512. I send these in myself so my "
    "bills are accurate.\nPeter"
)
PAYMENT_DEMAND = """Dear Customer,

Your account is in arrears. Payment of £212.40 is now due and must be received within 14 days. Failure to pay may result in further action.

Billing Department"""

METER_REWRITE = """Hi Peter,

Thank you for sending your reading; it means your bill is based on what you actually used, and we really appreciate customers who do this.

With this reading your account shows £212.40 owed, mostly because the last two estimates were too low. There's no rush: you can pay it in one go, or I can spread it over the next six months at £35.40 a month with no interest. Reply with whichever you prefer and I'll set it up the same day.

Best wishes,
Anna
Brightwater Energy"""

BALANCE_QUESTION = "How much do I owe at the moment, and when does it need to be paid? Peter"
BALANCE_ANSWER = """Hi Peter,

Your balance is £212.40, due by 14 June.

Best wishes,
Anna"""


def fintech(reply: str = FINTECH_REPLY) -> Draft:
    return Draft(customer_message=MICHAEL, reply=reply)
