"""Irritant: a general statement that undercuts the company's own product or competence."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump

OUR_THING = (
    r"app|website|site|system|systems|platform|process|portal|software|tool|tools|bills|billing|"
    r"network|servers?|call centre|phone lines?|team|department|teams|staff|service|line"
)
WEAKNESS = (
    r"old|outdated|confusing|complicated|clunky|slow|limited|buggy|bugs|unreliable|not (?:great|"
    r"ideal|perfect|very good|very accurate|always accurate)|a (?:bit of a )?mess|notoriously|"
    r"hard to|flaky|overzealous|understaffed|overloaded|swamped|short-?staffed|struggle|"
    r"isn'?t (?:great|very accurate|always accurate)|hopelessly|behind|doesn'?t always|"
    r"can'?t (?:really )?(?:cope|keep up)|aren'?t always|always very busy|very busy|"
    r"a bit slow|temperamental"
)


def detect(s: Situation, c: Category) -> list[Hit]:
    severity = bump("medium", s.signals.breach and s.signals.strong_emotion)
    return s.sentence_hits(c.pattern, severity)


CATEGORY = Category(
    name="self_undermining",
    kind="irritant",
    order=16,
    summary="Statements that undercut the company's own value: 'our app can be confusing', "
    "'delays like this are common', 'I'm only an agent'.",
    detect=detect,
    phrases=(
        r"(?:it|this|that) can be (?:quite |a bit |very |rather |really )?(?:overwhelming|"
        r"confusing|"
        r"difficult|hard|tricky|complicated|a (?:bit of a )?challenge) to (?:find|look|navigate|"
        r"see|"
        r"understand|use|locate|keep track)",
        rf"(?:our|the) (?:\w+ ){{0,2}}(?:{OUR_THING})(?: \w+)? (?:is|are|has|have|can be|does|"
        rf"do|struggles?|has always been)\b[^.!?]{{0,40}}?(?:{WEAKNESS})",
        rf"(?:our|the) (?:\w+ ){{0,2}}(?:{OUR_THING})(?: \w+)? (?:honestly |really |frankly )?"
        rf"(?:isn'?t|aren'?t|doesn'?t|don'?t|is not|are not|can'?t) (?:always |very |really |that |"
        rf"particularly )?(?:accurate|reliable|great|good|fast|up to date|easy|clear|perfect|ideal|"
        rf"consistent|designed for|cope)",
        r"our (?:\w+ ){0,2}\w+ (?:honestly |really |frankly )?(?:isn'?t|aren'?t) (?:great|very "
        r"good|"
        r"the best|ideal)",
        r"(?:dealing with|experiencing|handling|receiving) (?:a |an )?(?:very |exceptionally |"
        r"unusually |extremely )?(?:high|large|huge) (?:number|volume)s? of",
        r"(?:get|go|are) (?:lost|missed|delayed|mixed up|overlooked)[^.!?]{0,20}(?:often|"
        r"regularly|a lot|from time to time|occasionally|all the time)",
        rf"(?:the )?(?:whole )?(?:department|clinic|team|service) (?:is|are) "
        rf"(?:always |very |under |extremely )[^.!?]{{0,30}}(?:{WEAKNESS}|pressure|short-staffed)",
        r"notoriously",
        r"(?:these|such|outages|delays|errors|issues|problems|mistakes|glitches|waits|cases|"
        r"things)(?: like this| of this (?:kind|length))?(?: \w+){0,3} (?:are|is|do|can) "
        r"(?:unfortunately )?(?:quite |fairly |very |pretty |really )?(?:common|normal|"
        r"not unusual|happen\w*)",
        r"(?:do |does )?(?:unfortunately )?happen (?:quite |fairly )?(?:a lot|often|all the time|"
        r"from time to time|quite often|regularly)|this happens a lot|happen from time to time",
        r"(?:quite|very|fairly) common in our industry|is unfortunately common",
        r"(?:i'?m|i am) (?:just|only) (?:a|an|the) (?:\w+ )?(?:agent|advisor|adviser|messenger|"
        r"operator|first-line)|i'?m new here|(?:we'?re|we are) (?:only |just )?a small (?:team|"
        r"company)",
        r"(?:i|we) (?:don'?t|do not) (?:really )?(?:know|understand) (?:much )?(?:about |how )",
        r"(?:we|i) (?:can'?t|cannot) (?:really )?(?:keep up|promise anything|do much)",
        r"(?:there'?s|there is) (?:not much|very little|little|nothing much|isn'?t much) (?:we|i) "
        r"can do|(?:isn'?t|is not) much we can do|very little we can do",
        r"(?:we have|we'?ve got|we) (?:have )?(?:no|limited) control over|little we can do about",
        r"limited compared to|above my pay grade",
        r"(?:we are|we'?re) (?:a bit |really |very )?(?:understaffed|short-staffed|swamped|behind)",
        r"(?:to be honest|honestly),? our",
        r"can be very busy|not always able to",
        r"(?:experiencing|dealing with|receiving|handling) (?:an? )?(?:\w+ )?(?:high|large|huge|"
        r"unusual|exceptional|increased) (?:number|volume|level|amount)s? of",
        r"(?:exceptionally |unusually |very )?high (?:call |contact |claim |e-?mail )?volumes",
        r"(?:we'?re|we are|is|are) (?:a bit |very |quite |currently )?(?:running behind|behind "
        r"schedule)|(?:a|the) backlog",
        r"(?:can|may|might|do) (?:\w+ )?take (?:a lot |much |quite a bit )?longer than (?:expected|"
        r"usual|normal)",
        r"(?:delays|errors|issues|problems|mistakes|outages|waits|glitches|mix-ups|failures)(?: "
        r"like this)? (?:are|is|happen) (?:quite |very |fairly |pretty )?(?:normal|usual|to be "
        r"expected)",
        r"(?:occasionally|sometimes|often|regularly) (?:get|go|are) (?:mixed up|lost|delayed|"
        r"missed|wrong)",
        r"(?:doesn'?t|don'?t|isn'?t|aren'?t|can'?t) (?:always )?(?:handle|cope with|keep up with|"
        r"work (?:well|properly)) ",
        r"(?:not|isn'?t) easy for us|(?:hard|difficult) for us to",
    ),
    examples=(
        "It can be overwhelming to find and look up how much is available in each account.",
        "Our coverage checker isn't very accurate, so this happens a lot.",
    ),
    explanations={
        "default": "“{trigger}” tells {name} the company itself doubts what it sells; it confirms "
        "their frustration instead of answering it.",
    },
    suggestions={
        "default": "Drop the general excuse; own the specific problem and say what you are doing "
        "about it.",
    },
)
