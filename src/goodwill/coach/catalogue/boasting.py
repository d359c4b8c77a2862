"""Irritant: the company's size, range, awards or leadership, told to a customer who did not ask."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump

COUNTED = (
    r"customers|clients|users|businesses|companies|members|passengers|travell?ers|patients|"
    r"currencies|countries|destinations|stores|shops|branches|locations|teams|partners|"
    r"households|homes|products|people"
)


def detect(s: Situation, c: Category) -> list[Hit]:
    severity = bump("medium", s.signals.complaint and s.signals.strong_emotion)
    return s.sentence_hits(c.pattern, severity)


CATEGORY = Category(
    name="boasting",
    kind="irritant",
    order=14,
    summary="Showcasing the company's size, range, awards or ranking to a customer who already "
    "knows it and asked something else.",
    detect=detect,
    phrases=(
        rf"(?:over|more than|nearly|almost|around|some) [\d,.]+\+? ?(?:million|m|k|thousand|"
        rf"billion|"
        rf"bn)?\+? (?:\w+ ){{0,3}}(?:{COUNTED})",
        rf"\d+\+ (?:available )?(?:{COUNTED})",
        r"(?:the|a|one of the) (?:uk'?s |world'?s |europe'?s |country'?s |industry'?s |region'?s )?"
        r"(?:leading|largest|biggest|number one|no\.? ?1|#1|premier|fastest[- ]growing|most "
        r"(?:trusted|reliable|popular|innovative|awarded|convenient|flexible|generous|extensive|"
        r"competitive|rigorous))\b",
        r"(?:the|one of the) (?:uk'?s |world'?s |europe'?s |country'?s )?(?:best|cheapest|"
        r"youngest|greenest|fastest|safest) (?:\w+ )?(?:bank|banks|provider|providers|network|"
        r"insurer|airline|airlines|company|companies|supplier|suppliers|retailer|brand|fleet|app|"
        r"apps|service|platform)\b",
        r"one of the (?:fastest|best|quickest|highest|lowest|most \w+) in the (?:industry|market|"
        r"country|uk|sector|business)|(?:for )?(?:\w+ )?years running|\d+ years in a row",
        r"award[- ]winning|(?:industry|market|world|sector)[- ]leading|best[- ]in[- ]class|"
        r"world[- ]class|cutting[- ]edge|state[- ]of[- ]the[- ]art|second to none|unrivalled|"
        r"unmatched|unparalleled",
        r"we pride ourselves|(?:we'?re|we are|we have been) (?:very )?proud (?:to|of)|"
        r"we'?re proud",
        r"(?:rated|voted|named|ranked|chosen) (?:as )?(?:the )?(?:\w+ ){0,4}(?:best|number one|"
        r"no\.? ?1|top|most|excellent|\d[\d.]* ?(?:stars?|/5|out of))",
        r"\d(?:\.\d)?[- ]star (?:rated|rating)|defaqto|which\?? recommended|trustpilot",
        r"trusted by (?:over |more than |millions|[\d,]+|\d of the top|fortune)",
        r"(?:has|have) won (?:\w+ ){0,3}awards?",
        r"we manage and hold|than any other (?:supplier|bank|provider|airline|company|network|"
        r"retailer|insurer)",
        r"used by (?:over |more than )?[\d,]+|(?:over|more than) \d+ years of (?:history|"
        r"experience)",
        r"widest range",
        r"(?:among|one of) the (?:most|best|highest|lowest|fastest) (?:\w+ )?in the (?:industry|"
        r"market|country|uk|world|business)",
        r"(?:the )?(?:uk'?s|world'?s|country'?s) most (?:\w+ )(?:\w+ )?network",
        r"(?:most|very) competitive (?:tariffs|prices|rates) (?:on|in) the market",
    ),
    examples=("As we manage and hold and offer over 25+ available currencies…",),
    explanations={
        "default": "{name} already knows the company; its size or awards do not answer their "
        "message and suggest the reply is about the company, not them.",
    },
    suggestions={"default": "Drop the sentence and use the space for what you will do for {name}."},
)
