"""Irritant: the company's size, range, awards or leadership, told to a customer who did not ask."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump, compile_phrases

COUNTED = (
    r"customers|clients|users|businesses|companies|members|passengers|travell?ers|patients|"
    r"currencies|countries|destinations|stores|shops|branches|locations|teams|partners|"
    r"households|homes|products|people|times|downloads|reviews|orders|deliveries|flights|"
    r"journeys|installations|cities|routes|employees|staff|experts|engineers|advisers"
)

# "not the most reliable": a negated superlative runs the product down, it does not boast
NEGATED = compile_phrases(
    (r"(?:not|isn'?t|aren'?t|wasn'?t|never) (?:\w+ )?(?:the|one of the) (?:most|best|leading)",)
)


def detect(s: Situation, c: Category) -> list[Hit]:
    severity = bump("medium", s.signals.complaint and s.signals.strong_emotion)
    # one sentence, one problem: a mission statement or corporate fact that also counts the
    # people served ("… and we are proud to serve over 600,000 people") is boilerplate already
    # (no labelled set marks one sentence as both)
    boilerplate = {h.start for h in s.found.get("irrelevant_boilerplate", [])}
    return [
        h
        for h in s.sentence_hits(c.pattern, severity)
        if not (NEGATED and NEGATED.search(s.reply[h.start or 0 : h.end or 0]))
        and h.start not in boilerplate
    ]


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
        r"(?:shortlisted|nominated|a finalist|finalists|highly commended|crowned|won|winners?) "
        r"(?:\w+ ){0,3}(?:at|for|in) (?:the )?(?:[\w-]+ ){0,4}awards?\b",
        r"we manage and hold|than any other (?:supplier|bank|provider|airline|company|network|"
        r"retailer|insurer)",
        r"used by (?:over |more than )?[\d,]+|(?:over|more than) \d+ years of (?:history|"
        r"experience)",
        r"widest range",
        # the company's age and range, offered unasked
        r"(?:we have|we'?ve|(?:our|the) (?:company|firm|business|family business|group) (?:has|"
        r"have)) (?:\w+ ){0,8}?for (?:over |more than |nearly |almost )?(?:\d{2,}|twenty|thirty|"
        r"forty|fifty|sixty|a hundred) years",
        r"did you know (?:that )?(?:we|our)",
        # rankings and ratings told about ourselves
        r"(?:highest|best|top|five[- ]star|5[- ]star)[- ]rated|most[- ]downloaded|"
        r"(?:has|have) been downloaded",
        r"(?:one of|among) the (?:\w+est|most \w+|best|top|leading)(?:[- ]\w+)? "
        r"(?:[\w-]+ ){0,4}in "
        r"(?:the )?(?:industry|market|country|uk|world|business|europe|region|sector|britain|"
        r"city|area)",
        r"(?:among|one of) the (?:most|best|highest|lowest|fastest) (?:\w+ )?in the (?:[\w-]+ "
        r")?(?:industry|"
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
