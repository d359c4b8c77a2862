"""The FinTech support-reply case of the seed study (seed 000), verbatim, as one conversation.

Michael suggests a daily balance; the operator answers by the book; Michael answers angrily. The
study anonymised the company as ``XXX`` / ``xxx``; the demo fills those placeholders with the
demo company's name and nothing else, so every word of the case is otherwise as published.
"""

from __future__ import annotations

SUGGESTION = """Hello, I would like to suggest a missing feature: As a user I’d like to see each day balance on my account timeline, this data would help me to quickly grasp the trend at a glance.\u00a0

I think you could conveniently compete with what other banks already offer, a daily balance in the account timeline in the app adds useful information.

Thank you."""  # noqa: E501

REPLY = """##- Please type your reply above this line. -##

Hi Michael,

Thank you for getting in touch with XXX. We appreciate your feedback and wishes.
I understand you would like to see your daily balances. We will submit your feedback to our internal team.
XXX is a financial institution, not a bank, which is authorized by the Financial Conduct Authority under the Electronic Money Regulations 2011, Firm Reference xxx , for the issuing of electronic money.

As we manage and hold and offer over 25+ available currencies it can be overwhelming to find and look up for how much is available in each account.\u00a0

You can always check them from your xxx\u00a0 app or browser by selecting the balance or Jar of your choosing.

You can download statements for all balances on your xxx account. A statement will include your account numbers, current balance, transactions, and more.\u00a0 Learn how to download statements (link)

Let us know if you have any other questions or suggestions for a friendlier app experience. We're happy to help.
Best regards,"""  # noqa: E501

ANSWER = """Hi, support (there is no name on your email),

I wonder if it is important to clarify that XXX is not a bank but a financial institution.

BTW you are wrong about the suggested solution, I can understand it is not your job but then why do you discuss it?

Who damn are you to discuss tech solutions?

When you wrote: " … it can be overwhelming to find and look up for how much is available in each account. “ It clearly shows that you embarked yourself discussing something that is not your job. So, please just do your job and DO NOT DISCUSS things you have no clue about. For that you have just to pass the suggestion to the business analysts team, they will clarify the user’s case and will decide if the idea is worth pursuing.

More, about your suggestion of -LEARN HOW TO DOWNLOAD STATEMENTS-. Do you guys really think all users are illiterate and you have to provide them with an indication on where to “learn”? .

There is probably someone who decided what you operators have to provide users with instructions. What is missing is that you didn’t catch what the proposed solution was about, you failed to understand the user’s case and the value of a daily balance, then you think you have to suggest a workaround to the client. Obviously you can’t get any correctly with that premise.

Then please do you job, pass the information over\u00a0

Best Regards"""  # noqa: E501


def fill(text: str, *, company: str, app: str, firm_reference: str) -> str:
    """The case text with the study's anonymised placeholders filled in, every other word kept."""
    text = text.replace("Firm Reference xxx", f"Firm Reference {firm_reference}")
    return text.replace("XXX", company).replace("xxx", app)
