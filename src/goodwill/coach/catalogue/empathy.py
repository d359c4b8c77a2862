"""Strength: a sentence that acknowledges how the customer feels or what they went through."""

from __future__ import annotations

from goodwill.coach.model import Severity
from goodwill.coach.situation import ANY_INCONVENIENCE, Situation
from goodwill.coach.spec import Category, Hit

FEELING = (
    r"frustrat\w*|upsett\w*|upset|worr\w+|stress\w*|annoy\w*|disappoint\w*|concerning|difficult|"
    r"hard|distress\w*|alarm\w*|infuriat\w*|exhaust\w*|unsettl\w*|madden\w*|awful|horrible|"
    r"miserable|frighten\w*|terrif\w*|embarrass\w*|shock\w*|painful|tough|unfair|scary|scared|"
    r"anxious|insult\w*|belittl\w*|a (?:big|real) (?:ask|problem|worry)|not okay|"
    r"(?:the )?last thing you need|the worst|beyond annoying|pressure|stretched|"
    r"maddening|a lot to (?:deal|cope) with|horrid|rotten|(?:a |so |really )tough (?:time|"
    r"situation|start|week|day|year)|heart-?breaking|(?:a )?(?:real )?headache|no fun|"
    r"a real (?:cost|disadvantage|nuisance|pain|blow|setback)|put up with|angry|furious|cross|"
    r"livid|fuming|nerve-?(?:r|wr)acking|on edge"
)
# the same feelings as a predicate ("… is a horrible surprise"), without the mildest words
STRONG_FEELING = (
    r"frustrat\w*|upsett\w*|worrying|stressful|annoying|distressing|alarming|infuriating|"
    r"exhausting|unsettling|maddening|awful|horrible|miserable|frightening|terrifying|"
    r"embarrassing|a shock|shocking|painful|not okay|beyond annoying|a (?:big|real) (?:ask|problem|"
    r"worry)|the last thing you need|horrid|rotten|a (?:horrible|nasty|awful) surprise|"
    r"(?:a )?(?:real )?headache|heart-?breaking|no fun|nerve-?(?:r|wr)acking"
)


def detect(s: Situation, c: Category) -> list[Hit]:
    severity: Severity = "high" if s.signals.strong_emotion else "medium"
    return [
        h
        for h in s.sentence_hits(c.pattern, severity)
        if not ANY_INCONVENIENCE.search(s.reply[h.start or 0 : h.end or 0])
    ]


CATEGORY = Category(
    name="empathy",
    kind="strength",
    order=20,
    summary="Acknowledges the customer's feelings or what they went through, in their terms.",
    detect=detect,
    phrases=(
        rf"(?:i|we) (?:can |completely |totally |fully |really |truly |do )?(?:understand|imagine|"
        rf"appreciate|see|hear|know|get)(?: just| exactly| only)? (?:how|why|what|that|you)\b"
        rf"[^.!?]{{0,60}}(?:{FEELING}|landed badly|feels? unfair|pressure)",
        rf"i (?:completely |totally )?understand(?:,| the| why| how| your)[^.!?]{{0,50}}"
        rf"(?:{FEELING}|frustration|deadline)",
        rf"(?:that|this|it|which)(?:'s| is| was| must be| must have been| sounds?(?: like)?| would "
        rf"be|"
        rf" would make|'d be)(?: (?:really|so|very|incredibly|hugely|such|a|an|truly|genuinely|"
        rf"beyond|exactly|particularly|especially|pretty))* (?:{FEELING})(?! for us)",
        rf"\b(?:is|are|was|were) (?:a |an |such a |so |really |truly |beyond |genuinely |"
        rf"incredibly |deeply )*(?:{STRONG_FEELING})(?! for us)",
        r"^(?:oh no,? )?(?:i'?m|i am|we'?re|we are) (?:so |very |really |truly |terribly |deeply |"
        r"genuinely )?sorry\s*(?:[.!;,—–-]|$)",
        r"(?:is|are|can be) never easy|(?:isn'?t|is not) (?:an )?easy (?:one|thing|time|message)",
        r"sorry to hear|sorry (?:that )?you(?: and [\w ]+?)? (?:are|were|have been|'re|'ve been) "
        r"going through",
        r"(?:what|such) an? (?:\w+ )?(?:miserable|horrible|awful|stressful|frightening|"
        r"embarrassing|painful|horrid|rotten)",
        r"(?:i'?m|i am|we'?re|we are) (?:so |really |very |truly |genuinely |deeply |terribly )?"
        r"sorry(?: to hear| for (?:the|your) (?:loss|stress|worry|trouble|hassle|frustration|"
        r"silence|wait)| about (?!any)\w+| that (?:you|your|the|it|after|four|losing)| you(?:'ve| "
        r"have|"
        r"'re| are| had| were| went| felt| lost)|, that|\. (?:that|this|losing|after))",
        r"sorry for (?:the|your) loss|sorry (?:you|your) (?:\w+ ){0,3}(?:were|was|had|felt|left|"
        r"lost|missed|went)",
        r"you(?:'re| are| have| had| were)? (?:absolutely |quite |completely |entirely )?(?:every "
        r"right|right) to be (?:so |really |very )?(?:angry|upset|frustrated|annoyed|unhappy|"
        r"disappointed|concerned|worried|cross|fed up|furious|annoyed|let down)",
        # the feeling granted: "I don't blame you for being fed up"
        r"(?:i|we|nobody|no one) (?:don'?t|do not|can'?t|cannot|wouldn'?t|could) (?:\w+ )?"
        r"blame you (?:for|at all|one bit|in the slightest)",
        r"(?:i|we)(?:'d| would) be (?:fuming|furious|angry|upset|frustrated|annoyed) too",
        r"would (?:frustrate|upset|worry) (?:me|anyone) too",
        r"(?:would|will|could) (?:frustrate|upset|worry|alarm|unsettle|concern|scare|anger|annoy)"
        r" (?:anyone|anybody|most people|any of us|me too|any \w+|every \w+|most \w+)",
        rf"must (?:have been|be|feel|have felt) "
        rf"(?:(?:really|so|very|incredibly|truly|such an?|a) )*(?:{FEELING})",
        r"(?:a |an |the )?(?:sensible|reasonable|natural|understandable|fair|completely "
        r"understandable) (?:thing to (?:worry|ask) about|worry|concern|to (?:worry|be concerned|"
        r"ask|feel|be (?:worried|upset|anxious|annoyed|angry|frustrated|confused|nervous|"
        r"concerned)))",
        # reassurance that names the worry, and the hard time named in passing
        r"^(?:please )?(?:don'?t|do not|try not to) (?:\w+ )?worry",
        r"^(?:(?:hi|hey|hello) \w+,? )?(?:there'?s |there is )?no need to (?:panic|worry|be "
        r"(?:worried|anxious|alarmed|scared))\b",
        r"(?:in|at|during|through) (?:such|this|what must be) (?:a |an )?(?:\w+ )?(?:difficult|"
        r"hard|sad|tough|painful|stressful|worrying|distressing|upsetting) (?:time|week|day|period|"
        r"moment|year|few (?:days|weeks))",
        r"(?:is|was|has been) (?:far|much|way|simply) too long|(?:is|was) not (?:good enough|"
        r"acceptable|what you should)|,? and i'?m (?:so |really |very |truly |deeply )?sorry[.!]?$",
        r"you shouldn'?t have (?:had )?to|not (?:how|what) (?:anyone|you) should|nobody should",
        r"(?:you'?re|you are) not (?:alone|the only one)(?! confused)",
        r"(?:i|we) hope (?:you'?re|he'?s|she'?s|they'?re|you are) (?:feeling|recovering|ok)",
        r"i (?:can|could) only imagine",
        # the feeling granted as natural: "Of course you're worried", "No wonder you're annoyed"
        rf"(?:of course|naturally|understandably|no wonder|it'?s no surprise) (?:that )?"
        rf"(?:you'?re|you are|you'?d be|you would be|you were|you feel|you felt) "
        rf"(?:(?:so|really|very|a bit|a little) )?(?:{FEELING})",
        r"i know (?:it|this) (?:isn'?t|is not) (?:an? )?(?:easy|the answer)",
        r"(?:that|this) (?:sounds|must be|must have been|is) (?:a )?(?:really |so )?(?:\w+ "
        r")?(?:ordeal|nightmare|worry|blow|hassle)",
        r"sorry (?:that )?(?:it|this|that|they|the \w+|your \w+) (?:\w+ ){0,4}(?:didn'?t|wasn'?t|"
        r"weren'?t|hasn'?t|haven'?t|isn'?t|missed|went wrong|broke|failed|slipped|cost|caused|"
        r"meant|ruined|spoiled|left)",
    ),
    examples=(
        "I can imagine how frustrating it is to find this out from a status page.",
        "I'm so sorry for the loss of your father.",
    ),
    explanations={
        "default": "Naming what {name} went through shows they were heard before the facts arrive.",
    },
    suggestions={"default": "Keep it specific to their situation; avoid stock phrases."},
)
