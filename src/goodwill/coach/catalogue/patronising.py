"""Irritant: wording that implies the customer is not competent."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump

# Fourth pass: the customer treated as someone who should have known or looked. Knowledge
# presumed ("which you will be familiar with"), advice to read with care, information said to
# have been there all along, a reminder to pay attention from now on, and a plain word defined
# for them ("To explain, a deposit is a sum of money …").
SHAPES = (
    r"(?:as|which|that|something) you(?: will| would| should| must|'ll| are|'re) (?:already |"
    r"surely |no doubt |of course )?(?:be )?(?:familiar with|well aware|aware of|know (?:from|"
    r"about))\b",
    r"(?:recommend|suggest|advise|encourage|urge|ask)(?:s|ed|ing)? (?:that )?(?:you )?(?:to )?"
    r"(?:re-?read|reading|read|reviewing|review|going through|go through|looking at|look at|"
    r"checking|check)\b[^.!?]{0,70}?\b(?:carefully|thoroughly|properly|closely|in full)\b",
    r"(?:it'?s|it is|it would be|would be|which is|which'?s|that is|is|are) (?:well |really |"
    r"definitely |always )?worth (?:re-?reading|reading|checking|"
    r"reviewing)\b[^.!?]{0,60}?\b(?:carefully|thoroughly|properly|again|closely)\b",
    r"(?:is|are|was|were) (?:always|clearly|plainly|prominently) (?:shown|displayed|listed|"
    r"visible|stated|printed|written|marked|signposted|indicated)\b(?! (?:in|on|under) (?:our|the|"
    r"your) (?:[\w-]+ ){0,3}?(?:terms|tariff|policy|contract|conditions|agreement|t&cs)\b)",
    r"^(?:just )?(?:a|as a) (?:friendly|gentle|quick|polite) reminder\b",
    # the information said to be there "in black and white"
    r"in black and white",
    # what the customer was surely told already ("As your adviser would have explained, …")
    r"^as (?:your|the|our) (?:[\w-]+ ){0,2}(?:would|will|should|must|may) have (?:explained|told "
    r"you|mentioned|said|pointed out|made clear)",
    r"you (?:may|might) not (?:realise|realize|know|appreciate|have realised|have realized)\b",
    r"(?:worth|remember to|make sure (?:to|you)|be sure to|try to|please) [^.!?]{0,40}?\b"
    r"(?:going forward|from now on)\b",
    r"^(?:to explain|to clarify|put simply|simply put|in simple terms|in plain (?:terms|english)|"
    r"basically|for (?:clarity|your understanding)),? (?:a|an|the) [\w-]+(?: [\w-]+)? (?:is|are|"
    r"means)\b",
    r"\b(?:a|an) [\w-]+ (?:is|means) (?:simply |basically |just )?(?:a|an) (?:sum|amount|type|"
    r"kind|form|piece|way|place|period|document) of\b",
)


def detect(s: Situation, c: Category) -> list[Hit]:
    severity = bump("medium", s.signals.complaint and s.signals.strong_emotion)
    return [h for h in s.sentence_hits(c.pattern, severity) if not s.operator_act(h)]


CATEGORY = Category(
    name="patronising",
    kind="irritant",
    order=36,
    summary="'Simply', 'just click', 'learn how to', 'as explained before', 'please read our FAQ "
    "carefully', 'you may not be aware': wording that talks down to the customer.",
    detect=detect,
    phrases=(
        *SHAPES,
        r"learn (?:how to|more about how)|(?:a|our) (?:beginner'?s|step-by-step) guide|"
        r"for beginners",
        # "simply" before a verdict on a thing ("it's simply wrong") judges the thing, not them;
        # said of a thing or a third person ("they're simply reused", "she simply won't fit") it
        # is about that thing, not the customer's competence
        r"(?<!we )(?<!i )(?<!he )(?<!she )(?<!they )(?<!they're )(?<!which )"
        r"simply(?! (?:a|an|the|put|because|not|by|wrong|incorrect|unacceptable|"
        r"unfair|untrue|false|too|our|no|inexcusable|a mistake|an error|won't|can't|cannot|isn't|"
        r"aren't|doesn't|don't|wasn't|weren't|\w+ed)\b)",
        r"just (?:click|tap|go to|select|log (?:in|into)|follow|open|enter|press|visit|type|pick|"
        r"choose|dial|download)",
        r"(?:it'?s|it is|is) (?:a |an )?(?:honestly |really |truly |genuinely )?(?:really |very |"
        r"quite |super |so |actually )?(?:easy|"
        r"simple|"
        r"straightforward|quick and easy|quick and simple)(?! to (?:miss|get wrong|overlook))",
        r"couldn'?t be (?:easier|simpler)|(?:it'?s|it is|this is|that'?s) (?:really |honestly |"
        r"actually |genuinely )?not (?:that |very |at all )?(?:hard|difficult|complicated|tricky)"
        r"(?! to (?:see|understand|imagine|tell))|(?:it|this|that) (?:really |honestly )?"
        r"(?:isn'?t|is not) (?:that |very |at all )?(?:hard|difficult|complicated|tricky)"
        r"(?! to (?:see|understand|imagine|tell))|"
        r"once you get the hang of it|all you (?:need|have) to do is",
        r"as (?:i|we) (?:have )?(?:already |previously )?(?:explained|mentioned|stated|said|"
        r"advised|"
        r"informed you|told you|outlined)",
        r"as (?:previously|already) (?:explained|mentioned|stated|advised|outlined)",
        # pointing at material the customer was expected to read (citing terms or a rule is
        # blame_shifting, unless the sentence opens with it: "As stated in our terms, …")
        r"as (?:clearly )?(?:stated|explained|outlined|set out|mentioned|described|shown|detailed) "
        r"(?:in|on) (?:the|our|your|every|all (?:of )?our) (?:\w+ ){0,3}(?:letter|e-?mail|website|"
        r"faq|documentation|guide|guidelines|guidance|help|card|bill|message|app|statement|"
        r"leaflet|booklet|manual|handbook|instructions)|"
        r"as clearly stated",
        r"^as (?:clearly )?(?:stated|explained|outlined|set out|mentioned|described|shown|detailed)"
        r" (?:in|on)\b",
        r"(?:as|which) you (?:will|would|should|must|may|might) (?:already )?(?:be aware|know|have "
        r"(?:seen|read|noticed))|obviously",
        r"(?:as )?you (?:may|might) not (?:be aware|know|have realised|have noticed)|as you may "
        r"(?:be aware|know)",
        r"(?:please )?(?:read|review|refer to|check) (?:our|the) (?:\w+ ){0,3}(?:faq|terms|help "
        r"(?:centre|center|article)|guide|guidance(?: notes)?|instructions|documentation|article)"
        r"(?: \w+){0,3} (?:carefully|again|thoroughly)",
        r"(?:please )?read (?:\w+ ){0,4}carefully",
        r"(?:please|you (?:should|need to|must)) (?:read|review|check|look at|go through|re-?read) "
        r"[^.!?]{0,50}(?:carefully|"
        r"thoroughly|properly)|(?:to avoid|to prevent) (?:this|that|it|a repeat) (?:happening )?"
        r"(?:again|in (?:the )?future)",
        r"(?:please )?(?:make sure|ensure|remember) (?:that )?(?:you|to) (?:read|check|follow|"
        r"understand|click|save|are using)|please remember to",
        r"for (?:future|your) (?:reference|information)",
        # advice for the customer's next time, as if this one were their fault
        r"^(?:for|on) (?:future|your next|any future) (?:trips?|orders?|bookings?|visits?|"
        r"journeys?|flights?|deliveries|claims?|purchases?|stays?|holidays?|travel)\b",
        r"(?:it is|it'?s) (?:important|essential) (?:that you|to) (?:understand|note|remember|"
        r"realise)",
        r"in case you (?:didn'?t|did not) know|you may wish to re-?read",
        r"check (?:your|the) (?:\w+ )?details carefully",
        r"(?:please )?refer to (?:our|the) (?:\w+ ){0,2}(?:help|faq|guide|article|documentation|"
        r"user guide|manual|instructions)|step-by-step (?:instructions|guide)",
        r"(?:the|our|your) (?:letter|terms|e-?mail|website|guidance|instructions|bill|contract|"
        r"form)(?: \w+){0,4} (?:is|was|are|were) (?:quite |very |perfectly |really |pretty )?clear",
        r"(?:please )?(?:ensure|make sure) (?:that )?(?:you|your) (?:are|have|enter|use|type|"
        r"follow|read|check)",
        r"please (?:ensure|make sure) (?:that )?your (?:\w+ ){1,2}(?:is|are|has been|have been) "
        r"(?:switched|turned|plugged|charged|connected|up to date|correct|entered)",
        r"(?:it|this) (?:is|'s) (?:clearly )?(?:explained|shown|stated|outlined|listed) (?:on|in)",
        r"(?:for|in) future,? please|only takes (?:a|one|two) (?:minute|moment|second)s?",
    ),
    examples=("Learn how to download statements (link)", "Simply go to Settings."),
    explanations={
        "default": "“{trigger}” implies {name} could not work this out alone; people hear the "
        "tone before the content.",
    },
    suggestions={
        "default": "Give the steps plainly without the judgement words (“simply”, “just”, “as "
        "explained”), or offer to do it for them.",
    },
)
