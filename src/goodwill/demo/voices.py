"""What customers say besides their contact reason: how upset they are, thanks and anger,
praise, referrals, competitors, chases of broken promises, cancellations, and survey comments.
"""

from __future__ import annotations

from collections.abc import Mapping

# How upset a complaint sounds: added around the contact reason's text.
COMPLAINT_HEAT: tuple[tuple[str, ...], ...] = (
    ("", "Could you look into it?", "Can you check please?"),
    ("This is really annoying.", "Not impressed, to be honest.", "I need this sorted today."),
    (
        "This is the second time this has happened and frankly I'm fed up.",
        "I'm furious. I rely on this account for everything.",
        "Absolutely unacceptable. I want an explanation.",
    ),
)

LONG_TENURE_IRRITATION = (
    "I've been with you for {years} years and new customers get a better deal than I do.",
    "After {years} years as a customer I expected you to know me. Instead I'm asked for the "
    "same documents again, like a stranger.",
    "Customer since {year}, and this is how I'm treated?",
)

COMPETITOR_MENTIONS = (
    "Kestrel Pay doesn't charge this fee. I'm seriously thinking of moving.",
    "Tidewater Bank offered me a better exchange rate, so why should I stay?",
    "My friends have all moved to Bluefin and they don't have these problems.",
    "Kestrel Pay shows this in their app already.",
    "I've opened an account with Tidewater Bank to compare.",
)

PRAISE = (
    "Just wanted to say the new card design is lovely and the app is so easy to use.",
    "{agent} sorted my problem in ten minutes. Thank you!",
    "{years} years with Northwind and never a problem. Keep it up.",
    "Paying abroad on holiday was effortless, thank you.",
    "The instant notification saved me when my card details were stolen. Great job.",
    "Honestly the best money app I've used.",
    "Thanks for the quick help with my transfer yesterday, much appreciated.",
    "I love the jars, they've helped me save for the first time in years.",
)

REFERRALS = (
    "I've just recommended you to my sister {friend}, she's signing up this week.",
    "My colleague {friend} opened an account on my recommendation. Do I get anything for that?",
    "Told my whole running club about you. {friend} has joined already!",
    "{friend} asked me which account I use for travelling, so I sent them your way.",
)

TERSE = (
    "ok",
    "Fine.",
    "Whatever, just fix it.",
    "Noted.",
    "Still not working.",
    "Forget it.",
    "Same problem again.",
    "As before.",
)

TERSE_ENDINGS = ("Again.", "Fix it.", "As usual.", "Whatever.", "Same as last time.")

THANKS = (
    "Thank you, that's exactly what I needed.",
    "Brilliant, thanks {agent}!",
    "That worked, thanks for the quick help.",
    "Great, thank you for sorting it out so fast.",
    "Perfect, much appreciated.",
    "Thanks, that's really kind of you.",
)

ANGRY = (
    "That doesn't answer my question at all.",
    "I didn't ask how to use the app. Please read my message again.",
    "Is anyone actually reading these messages?",
    "This is the third time I've explained this.",
    "I don't need a link to a help article, I need my money back.",
    "Please don't tell me to 'simply' do things I've already tried.",
    "Why are you telling me you're not a bank? That's not what I asked.",
)

REPEAT_CONTACT = (
    "I wrote about this last week and it still isn't sorted.",
    "Following up on my earlier message: nothing has changed.",
    "Same issue as before, still not fixed.",
)

CHASE: Mapping[str, tuple[str, ...]] = {
    "callback": (
        "You said you'd call me back. Nobody called.",
        "Still waiting for the call I was promised.",
    ),
    "refund": (
        "You told me the refund would arrive by {weekday}. It hasn't.",
        "It's past {weekday} and there's still no refund.",
    ),
    "update": (
        "It's been more than 48 hours and I haven't heard anything.",
        "Any news? I was told I'd hear back within two days.",
    ),
    "card": (
        "My replacement card still hasn't arrived.",
        "Where is the new card? It's been over a week.",
    ),
}

CANCELLATION_REASONS = (
    "The fees have gone up too much.",
    "Kestrel Pay gives me everything you do without the monthly fee.",
    "After how my complaint was handled I don't feel I can trust you with my money.",
    "I'm moving abroad.",
    "I just don't use it any more.",
)

VOLUNTARY_ACTION = (
    "Hi, I noticed the refund from {merchant} was credited to my account twice. I wanted to let "
    "you know so you can take one of them back.",
    "Just flagging: a payment of ${amount} to {merchant} was returned to me although the purchase "
    "went through. I think it's a mistake on your side and I'm happy to pay it back.",
)

FIRST_BILL_QUESTIONS = (
    "I just got my first bill and I don't understand the charges.",
    "Why is my first bill higher than the plan price?",
    "What is this ${amount} charge? I thought the first month was free.",
)

UPGRADE_REQUESTS = (
    "I'd like to move to the Premium plan. What changes for me?",
    "Is it worth upgrading? I travel a lot more now.",
    "Can I switch plans mid-month or do I have to wait for the next bill?",
)

SURVEY_COMMENTS: Mapping[str, tuple[str, ...]] = {
    "detractor": (
        "Too many fees.",
        "Support doesn't read my messages.",
        "Not what it used to be.",
        "",
    ),
    "passive": ("Fine, does the job.", "OK for everyday use.", ""),
    "promoter": ("Love the app.", "Great support, every time.", "Would recommend to anyone.", ""),
}

MERCHANTS = ("Harbour Books", "Cityline Rail", "Luma Electronics", "Greenway Grocers", "Skyport")
