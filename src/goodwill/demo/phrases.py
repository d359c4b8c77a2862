"""What the company writes: reply parts by quality tier, and proactive messages.

Poor replies are built from the micro-irritant catalogue of DESIGN.md (seed 000's case study);
each part carries its category so the generator can record what it put in a reply.
"""

from __future__ import annotations

from collections.abc import Mapping

COMPANY = "Northwind Money"
FIRM_REFERENCE = "900123"

# Complaints and incidents: what was done about it, by tier (poor replies use irritants instead).
FIXES: Mapping[str, Mapping[str, str]] = {
    "excellent": {
        "card": "I've checked your card myself: the block came from our fraud check, not from "
        "anything you did. I've lifted it, so the card works again from now.",
        "fx": "I've checked the payment: you were given our weekend rate, and we should have "
        "shown it to you before you paid. I've refunded the difference to your balance.",
        "fees": "You're right, that fee shouldn't have been charged. I've refunded it and added a "
        "note to your account so it doesn't happen again.",
        "transfer": "I've traced your transfer: it was held by the receiving bank's checks. I've "
        "spoken to them and it's being released today.",
        "topup": "I've found your top-up: your card issuer declined it, and the money is already "
        "on its way back to your card.",
        "identity": "I've looked at your documents: the photo was rejected because of glare, which "
        "the app should have told you. I've approved them by hand, so there's nothing to upload.",
        "account": "I've made the change for you; you'll see it in the app straight away.",
        "cash": "I've opened a claim with the ATM operator and credited the missing amount to "
        "your account while they investigate, so you're not out of pocket.",
        "refund": "I've checked with the merchant's bank: the refund was sent and is in transit.",
    },
    "good": {
        "card": "Our fraud check blocked the card as a precaution. It's unblocked now, so please "
        "try again.",
        "fx": "Card payments abroad use the card network's rate plus our weekend mark-up on "
        "Saturdays and Sundays. We've refunded the mark-up this time.",
        "fees": "The fee was charged because you went over this month's free allowance. As a "
        "one-off we've refunded it.",
        "transfer": "The transfer is with the receiving bank. We've asked them to check it.",
        "topup": "The top-up was declined by your card issuer, so the money goes back to your "
        "card within 3-5 working days.",
        "identity": "Please upload the photo again in good light; the last one was blurred.",
        "account": "You can change this under Profile > Personal details in the app.",
        "cash": "We've opened a claim with the ATM operator.",
        "refund": "Refunds can take up to 10 working days to reach us from the merchant.",
    },
    "mediocre": {
        "card": "Cards can be declined for several reasons. Please make sure your card is active "
        "and try again.",
        "fx": "Exchange rates vary depending on the market and the time of the payment.",
        "fees": "Fees are charged according to our fee schedule, which you can find on our "
        "website.",
        "transfer": "Transfers can take several working days depending on the receiving bank.",
        "topup": "Top-ups can fail for various reasons, including issues with the card used.",
        "identity": "Verification is a regulatory requirement and can take some time.",
        "account": "You can manage your details in the app.",
        "cash": "ATM issues are usually handled by the ATM operator.",
        "refund": "Refunds are processed by the merchant and can take some time.",
    },
}

# Questions and onboarding: the answer itself.
ANSWERS: Mapping[str, str] = {
    "card": "You can do that in the app under Card > Settings; it takes a minute and works "
    "straight away.",
    "fx": "You'll always see the exact rate in the app before you confirm an exchange, and on "
    "weekdays there's no mark-up.",
    "fees": "Your plan includes free ATM withdrawals up to $200 a month; above that it's 2%.",
    "transfer": "Transfers to other banks usually arrive the same day; international ones take "
    "1-2 working days.",
    "topup": "You can top up by bank transfer (free) or with a debit card (free up to $1,000 a "
    "month).",
    "identity": "We need a photo of your passport or ID card and a selfie; most checks are done "
    "within 10 minutes.",
    "account": "You can change that under Profile in the app, and it's updated immediately.",
    "cash": "You can use any ATM that shows the Mastercard sign; the first $200 each month is "
    "free.",
    "refund": "If the merchant agrees to refund you, the money usually reaches your account "
    "within 5 working days.",
}

# Questions with an answer of their own (by contact reason); others get their topic's answer.
CATEGORY_ANSWERS: Mapping[str, str] = {
    "activate_my_card": "Open the app, tap Card > Activate and enter the last four digits printed "
    "on the card; it works straight away.",
    "age_limit": "You can open an account from 18; for 13-17 year-olds a parent can open a teen "
    "account in the app.",
    "apple_pay_or_google_pay": "Yes: in the app, tap Card > Add to Apple Pay or Google Pay and "
    "follow the two steps.",
    "automatic_top_up": "Go to Balance > Auto top-up and choose the amount and the balance that "
    "triggers it.",
    "card_about_to_expire": "We send the new card a month before the old one expires; it comes "
    "with the same PIN.",
    "card_arrival": "Cards usually arrive within 5 working days; the app shows the dispatch date "
    "under Card.",
    "card_delivery_estimate": "Standard delivery takes 3-5 working days, express the next "
    "working day.",
    "card_linking": "Tap Card > Link existing card and enter the code from the letter that came "
    "with it.",
    "card_acceptance": "The card works wherever Mastercard is accepted, in shops and online.",
    "cancel_transfer": "A transfer can be cancelled while it's still pending: open it in the app "
    "and tap Cancel.",
    "change_pin": "You can change your PIN at any ATM, or see it in the app under Card > Show PIN.",
    "country_support": "We serve residents of the UK and the EEA, and the card works anywhere "
    "Mastercard is accepted.",
    "disposable_card_limits": "A disposable virtual card works for one payment, up to $1,000.",
    "exchange_via_app": "Tap Exchange, pick the two currencies and the amount; the rate is shown "
    "before you confirm.",
    "fiat_currency_support": "You can hold and exchange 25 currencies; the list is under Balance "
    "> Add currency.",
    "first_bill": "Your first bill covers the first full month of your plan plus the few days "
    "since you joined, which is why it's a little higher. From next month it's just the plan "
    "price.",
    "get_disposable_virtual_card": "Tap Card > New virtual card > Disposable; it's ready at once.",
    "get_physical_card": "Tap Card > Order physical card; your first card is free.",
    "getting_spare_card": "You can order a second card under Card > Order another card.",
    "getting_virtual_card": "Tap Card > New virtual card; you can use it online straight away.",
    "order_physical_card": "Tap Card > Order physical card; your first card is free.",
    "passcode_forgotten": "Tap 'Forgot passcode' on the sign-in screen; we'll confirm it's you "
    "with a selfie.",
    "pending_card_payment": "Card payments stay pending until the shop confirms them, usually "
    "within 2-3 days.",
    "pending_cash_withdrawal": "A cash withdrawal shows as pending until the ATM operator "
    "confirms it, usually the next day.",
    "pending_top_up": "Top-ups by bank transfer can take up to one working day to show.",
    "pending_transfer": "A transfer stays pending while the receiving bank processes it; most "
    "finish the same day.",
    "receiving_money": "Share your account details from Balance > Account details; payments in "
    "are free.",
    "reverted_card_payment?": "A reverted payment means the shop cancelled it; the money is back "
    "in your balance.",
    "supported_cards_and_currencies": "You can top up with any Visa or Mastercard debit card and "
    "hold 25 currencies.",
    "top_up_by_cash_or_cheque": "We don't take cash or cheques; top up by bank transfer or debit "
    "card instead.",
    "top_up_limits": "You can top up to $10,000 a day; card top-ups are free up to $1,000 a month.",
    "topping_up_by_card": "Tap Balance > Top up > Card and add your debit card; it's instant.",
    "transfer_into_account": "Send money to the details under Balance > Account details.",
    "verify_source_of_funds": "For larger deposits we ask for a payslip or bank statement; upload "
    "it under Profile > Documents.",
    "verify_top_up": "We sometimes confirm a new card with a small charge; the code is on your "
    "card statement.",
    "visa_or_mastercard": "Our cards are Mastercard debit cards.",
    "why_verify_identity": "The law requires us to know who our customers are before they use "
    "the account; it protects your money too.",
}

EMPATHY = (
    "I'm sorry. I can see why this is frustrating, and you shouldn't have had to chase it.",
    "I'm really sorry about this; it's stressful when your money doesn't do what it should.",
    "Thank you for telling us straight away, and I'm sorry for the worry.",
)
TENURE_RECOGNITION = (
    "You've been with us since {year}, and I want to make sure this is put right properly."
)

# promise kind: tier: sentence ({weekday}, {amount} filled in)
PROMISES: Mapping[str, Mapping[str, str]] = {
    "callback": {
        "excellent": "I'll call you tomorrow before 12:00 to make sure everything works.",
        "good": "I'll call you back tomorrow.",
        "mediocre": "Someone will call you back tomorrow.",
        "poor": "A member of the team will call you back tomorrow.",
    },
    "refund": {
        "excellent": "The refund of ${amount} will be in your account by {weekday}; I'll check it "
        "myself that morning.",
        "good": "The refund will arrive by {weekday}.",
        "mediocre": "The refund should arrive by {weekday}.",
        "poor": "The refund will arrive by {weekday}.",
    },
    "update": {
        "excellent": "I'll write to you with an update within 48 hours, even if there's no news "
        "yet.",
        "good": "I'll update you within 48 hours.",
        "mediocre": "We will get back to you within 48 hours.",
        "poor": "Please allow 48 hours for a response.",
    },
    "card": {
        "excellent": "Your new card is on its way by tracked post and will be with you within 5 "
        "working days.",
        "good": "Your new card will arrive within 5 working days.",
        "mediocre": "A new card will be sent to you within 5 working days.",
        "poor": "A new card will be sent to you within 5 working days.",
    },
}
PROMISE_FOR_TOPIC: Mapping[str, tuple[str, ...]] = {
    "card": ("card", "callback"),
    "fx": ("refund",),
    "fees": ("refund",),
    "cash": ("refund", "update"),
    "refund": ("refund",),
    "transfer": ("update", "callback"),
    "topup": ("update",),
    "identity": ("update", "callback"),
    "account": ("callback",),
}

# The micro-irritants a poor reply is made of (category, text).
IRRITANTS: Mapping[str, tuple[str, ...]] = {
    "irrelevant_boilerplate": (
        f"{COMPANY} is an electronic money institution, not a bank, authorised by the Financial "
        "Conduct Authority under the Electronic Money Regulations 2011 (Firm Reference "
        f"{FIRM_REFERENCE}) for the issuing of electronic money.",
        "All payments are subject to our Terms and Conditions, section 14.2, and to applicable "
        "anti-money-laundering regulations.",
    ),
    "boasting": (
        "We serve over 3 million customers in more than 30 countries and support 25+ currencies.",
        "As Europe's fastest-growing money app, we process millions of payments every day.",
    ),
    "self_undermining": (
        "With so many currencies and features it can be overwhelming to keep track of everything.",
        "Our fee schedule can be confusing, even for us.",
    ),
    "unsolicited_workaround": (
        "You can always check this from your app by selecting the balance of your choosing.",
        "You can download statements for all your balances from the app.",
    ),
    "patronising": (
        "Simply open the app and tap Cards.",
        "Learn how to read your statement (link)",
        "As explained before, please check our FAQ first.",
    ),
    "blame_shifting": (
        "Unfortunately that is how the system works.",
        "This is the merchant's responsibility, not ours.",
        "You should have checked the rate before paying.",
        "Please contact your other bank about this.",
    ),
    "trust_appeal": (
        "Please trust us: your money is safe with us and this will not happen again.",
        "We ask for your trust while we look into it.",
    ),
    "dismissal": (
        "This is not something we offer at the moment.",
        "We have no plans to change this.",
    ),
}
TEMPLATE_NOISE = "##- Please type your reply above this line -##"
HOLLOW = ("We appreciate your feedback and wishes.", "Thank you for your valuable feedback.")
GENERIC_CLOSING = "Let us know if you have any other questions. We're happy to help."
BLUNT_DEMAND = (
    "Your account now shows an outstanding balance of ${amount}. Payment is due within 7 days. "
    "Failure to pay may result in restrictions on your account."
)
FAIR_TERMS = (
    "Thank you for telling us, {first}. That's honest of you, and it saved us a lot of "
    "searching. You don't need to do anything: we'll reverse the duplicate on {day}, and if it "
    "leaves your balance short we'll spread it over two months at no cost."
)

EXCELLENT_CLOSINGS = (
    "If anything isn't right, reply here and it comes straight to me.",
    "Reply to this message any time; it comes straight to me.",
)

# Proactive messages from the company ({first}, {agent}, {plan}, {price}, {day}, {years}).
OUTREACH: Mapping[str, tuple[str, ...]] = {
    "welcome": (
        "Welcome to Northwind Money, {first}! I'm {agent} and I'll be your contact if anything "
        "comes up. Your card is on its way; the app shows where it is.",
    ),
    "first_bill": (
        "Hi {first}, a quick heads-up before your first bill: on {day} we'll take {price} for "
        "your {plan} plan, for your first full month. The statement shows the plan fee on the "
        "first line and any foreign-exchange fees below it. Questions? Just reply. {agent}",
    ),
    "check_in": (
        "Hi {first}, it's {agent} from Northwind Money. It's been a while since we spoke: how is "
        "everything with your account? If something isn't working for you, I'd like to hear it.",
        "Hi {first}, {agent} here. I noticed you haven't used your card for a few weeks. Is there "
        "anything we could do better?",
        "Hi {first}, we'd love your opinion: would you have ten minutes for a call next week "
        "about how you use Northwind? {agent}",
    ),
    "tenure_thanks": (
        "Hi {first}, a small thank-you: you've been with us for {years} years. As a thank-you, "
        "your next three months of {plan} are on us. {agent}",
    ),
    "card_expiry": (
        "Hi {first}, your card expires next month. The new one is already on its way; you don't "
        "need to do anything. {agent}",
    ),
    "upgrade_confirmed": (
        "Hi {first}, you're now on {plan} ({price} a month). The new allowances apply from "
        "today, and your next bill on {day} shows the change pro rata. {agent}",
    ),
}
