"""Irritant: a general statement that undercuts the company's own product or competence."""

from __future__ import annotations

import re

from goodwill.coach.catalogue.ownership import FAULT
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump, compile_phrases

OUR_THING = (
    r"app|website|site|system|systems|platform|process|portal|software|tool|tools|bills|billing|"
    r"network|servers?|call centre|phone lines?|team|department|teams|staff|service|line|"
    r"integrations?|connections?|updates?|features?|deliveries|drivers|couriers|engineers|"
    r"advisers|advisors|support|stock|warehouse|checkout|search|notifications|emails|processes|"
    r"tracking|website|scheduling|records|schedules?|timings?|estimates|appointments|database|"
    r"databases|computers?|computer systems?|it systems?|phone systems?|booking systems?"
)
WEAKNESS = (
    r"old|outdated|confusing|complicated|clunky|slow|limited|buggy|bugs|unreliable|not (?:great|"
    r"ideal|perfect|very good|very accurate|always accurate)|a (?:bit of a )?mess|notoriously|"
    r"hard to|flaky|overzealous|shambles|chaotic|a nightmare|understaffed|overloaded|swamped|"
    r"short-?staffed|struggle|"
    r"isn'?t (?:great|very accurate|always accurate)|hopelessly|behind|doesn'?t always|"
    r"can'?t (?:really )?(?:cope|keep up)|aren'?t always|always very busy|very busy|"
    r"a bit slow|temperamental|fragile|stretched|patchy|unstable|hit and miss|error-prone|"
    r"prone to|tend(?:s)? to (?:break|fail|crash|go wrong|drop|get lost|be late|lag)|struggling|"
    r"unpredictable|far from perfect|under (?:strain|pressure)|stretched thin|a (?:real |big |huge "
    r")?"
    r"(?:problem|issue|struggle) for us"
)

# "… is sadly very common at this time of year": said of a problem, it normalises the failure
COMMONPLACE = compile_phrases(
    (
        r"(?:is|are|is,|are,) (?:sadly,? |unfortunately,? |, sadly,? )?(?:very |quite |fairly |"
        r"pretty |really |all too |increasingly |not )?(?:common|uncommon|unusual|normal|to be "
        r"expected|typical)",
    )
)
PROBLEM = compile_phrases(
    (
        r"delay\w*|lost|missed|missing|errors?|faults?|outages?|problems?|issues?|late|cancell?\w+|"
        r"breakdowns?|shortages?|leaks?|damage\w*|mix-?ups?|failures?|failed|complaints?|broken|"
        r"glitch\w*|backlogs?|queues?|waits?|breakag\w+|mistakes?|defects?|defective|faulty|slip\w*|"
        r"scratch\w*|theft|thefts|shortages?",
    )
)

# Shapes of a general weakness admitted, whatever the product: a problem we "struggle with", a
# failure called part of life or said to happen every week, our price called high with the
# customer pointed elsewhere.
SHAPES = (
    r"(?:something|a problem|an issue|a thing|one) (?:that )?(?:we|our \w+) (?:\w+ )?(?:struggle|"
    r"have (?:always )?struggled|have trouble|have problems|battle) with",
    r"(?:we|our \w+) (?:\w+ )?(?:struggle|have (?:always )?struggled|have (?:real )?trouble) "
    r"(?:with|to)\b[^.!?]{0,40}(?:all the time|constantly|always|every \w+|regularly|often)",
    r"(?:is|are),? (?:(?:sadly|unfortunately|just|simply|really),? )*"
    r"(?:a |an )?(?:normal |inevitable |unavoidable )?part (?:and parcel )?of "
    r"(?:the |our )?(?:\w+ )?"
    r"(?:life|job|service|travel\w*|process|territory|business|industry|trade)\b",
    r"(?:happen|happens|occur|occurs) (?:here |with us )?(?:most|every|each) (?:week|day|month|"
    r"time|year)s?",
    r"(?:our )?(?:prices?|fees|rates|costs|charges) (?:are|is) (?:\w+ )?on the (?:higher|"
    r"expensive|pricier|steep) side",
    r"(?:may|might|could|will) (?:well |probably |easily )?(?:find|get) (?:it|them|one|this|that|"
    r"something|the same)? ?cheaper elsewhere",
)


# Fourth pass: a failure told as recurring. Any failure event ("happens", "crops up", "breaks
# down", "gets missed", "falls through the cracks") said with a frequency ("pretty regularly",
# "from time to time", "quite a lot") tells the customer it is normal here, whatever the thing.
EVENT = (
    r"(?:happen(?:s|ed|ing)?|occur(?:s|red|ring)?|crop(?:s|ped)? up|come(?:s)? up|arise(?:s)?|"
    r"break(?:s)? down|fail(?:s)?|crash(?:es)?|go(?:es)? (?:down|wrong|missing|astray)|"
    r"get(?:s)? (?:missed|lost|delayed|overlooked|forgotten|mixed up|stuck|misplaced)|"
    r"fall(?:s)? through the (?:cracks|net)|slip(?:s)? through the (?:cracks|net)|"
    r"run(?:s)? late|stop(?:s)? working|mix(?:es|ed)? (?:\w+ ){0,5}?up)"
)
FREQUENCY = (
    r"(?:a lot|quite a lot|(?:quite |fairly |pretty |very )?(?:often|frequently|regularly)|"
    r"all the time|from time to time|every so often|now and (?:then|again)|more often than "
    r"(?:we'?d like|not|you'?d think|it should)|most (?:weeks|days|months)|every (?:week|day|"
    r"month|year)|(?:several|a few|many) times a (?:week|month|year))"
)
RECURRING = compile_phrases(
    (
        rf"\b{EVENT}\b(?: [\w,’\x27-]+){{0,6}}? {FREQUENCY}\b(?! of\b)",
        rf"\b(?:often|frequently|regularly|routinely|constantly|always) {EVENT}\b",
        # vague subject, failure normalised: "things do unfortunately get missed"
        r"\bthings (?:do |can |will |sometimes |occasionally )?(?:\w+ )?(?:get|go|slip|fall) "
        r"(?:missed|lost|overlooked|forgotten|wrong|through the (?:cracks|net))",
        # a problem said to be impossible to prevent: "outages like this are hard to avoid"
        r"(?:is|are|be) (?:\w+ )?(?:hard|impossible|difficult) to (?:avoid|prevent)|"
        r"(?:is|are) (?:\w+ )?(?:unavoidable|inevitable)",
        # the time of year as the excuse: "it's an extremely busy time of year"
        r"(?:it'?s|it is|this is|we'?re in|we are in) (?:an? )?(?:extremely|very|really|"
        r"incredibly|exceptionally|particularly|especially|crazy|hugely) (?:busy|hectic) "
        r"(?:time|period|season|week|month)",
        # a failure we meet all the time: "something we see a lot", "we're down three drivers"
        r"(?:something|a problem|an issue|a thing|one) (?:that )?(?:we|i) (?:\w+ )?(?:see|get|hear "
        r"about|deal with|come across) (?:a lot|quite a lot|often|all the time|regularly|every "
        r"(?:day|week))",
        r"(?:we'?re|we are|we'?ve been|we have been) (?:currently )?(?:down|short) (?:by )?(?:a "
        r"few|several|a couple of|\d+|two|three|four|five|some) (?:of (?:our )?)?(?:drivers|staff|"
        r"people|engineers|nurses|vets|teachers|agents|advisers|advisors|crew|members of staff)",
        # our smallness as the excuse: "we're a very small team"
        # Fifth pass: a failure told as inevitable for the trade, whatever the failure: "a fact of
        # life with any cloud service", "something every airline has to live with", "just part
        # of shipping glassware", "par for the course"
        r"(?:is|are|it'?s|that'?s|this is|they'?re),? (?:(?:sadly|unfortunately|just|simply|really|"
        r"always|still),? )*(?:a fact of life|par for the course|(?:the|a) (?:sad |unfortunate |"
        r"harsh )?reality of "
        r"(?:\w+ing|any|every|life)\b|something (?:that )?(?:every|any|all|most) (?:[\w-]+ ){1,3}?"
        r"(?:has|have) to (?:live|deal|put up|cope) with|the nature of (?:the|this|our) (?:beast|"
        r"business|industry|trade|job|service))",
        # "part of" needs the shrug ("just", "sadly"): "a free check is part of every service" is
        # a benefit, "breakages are unfortunately just part of shipping glassware" a failure
        r"(?:is|are|it'?s|that'?s|they'?re),? (?:(?:sadly|unfortunately|really|always|still),? )*"
        r"(?:just|simply|"
        r"sadly|unfortunately),? (?:all )?part (?:and parcel )?of (?:\w+ing|any|every|life)\b",
        r"(?:comes|come) with the territory",
        r"(?:we'?re|we are) (?:only |just )?(?:a |an )?(?:very |really |quite |rather |tiny )?"
        r"(?:small|tiny|little) (?:team|company|business|charity|practice|office|operation|"
        r"outfit|shop|organi[sz]ation)",
    )
)
# Fourth pass: the operator disowning competence or authority ("I'm only a receptionist",
# "I'm not sure, but…", "I can't promise anything", "that's above my pay grade").
DISOWNED = (
    r"(?:i'?m|i am) (?:only|just|merely) (?:a|an|the|one) (?:[\w-]+ ){0,2}?(?:agent|advis[eo]r|"
    r"messenger|operator|receptionist|assistant|member of (?:staff|the team)|temp|volunteer|"
    r"trainee|clerk|rep|representative|cog|call handler|admin|junior|intern|frontline|"
    r"first[- ]line)\b",
    r"(?:i'?m|i am) (?:fairly |quite |still |very |pretty )?new (?:here|to (?:this|the (?:job|role|"
    r"team|department))|in (?:this|the|my) (?:role|job|team|post))|i (?:only|just) started "
    r"(?:here|this (?:job|role)|last (?:week|month))",
    r"(?:i'?m|i am) not (?:really |entirely |totally |100% |completely )?sure,? but\b",
    r"(?:i'?m|i am) not (?:really |entirely |totally |100% )?sure (?:if|whether) (?:this|that|it|"
    r"i|we|these|the \w+) (?:will|would|can|could) (?:actually |really )?(?:help|work|fix|solve|"
    r"sort|do)\b",
    r"(?:can'?t|cannot|can not|couldn'?t) (?:really )?(?:promise|guarantee) (?:you )?(?:anything|"
    r"much|it(?:'ll| will)|this(?:'ll| will)|that (?:it|this) will)|no promises\b",
    r"(?:i|we) (?:only|just) (?:handle|deal with|answer|look after|work on|cover|do) (?:the )?"
    r"(?:phones?|calls|emails|front desk|reception|bookings|post|admin)\b|(?:i|we) (?:can'?t|"
    r"cannot) (?:really )?comment on\b",
    # Fifth pass: the operator's narrow remit as the reason they cannot help: "I'm only in the
    # billing team", "I don't really understand the API side of things"
    r"(?:i'?m|i am) (?:only|just|merely) (?:in|on|with|from|part of) (?:the |our )?(?:[\w-]+ "
    r"){0,2}?"
    r"(?:team|department|side|desk|office|branch)\b",
    r"i (?:don'?t|do not|didn'?t) (?:really |fully |properly |totally )?(?:understand|know much "
    r"about|get) (?:the (?:[\w-]+ ){1,2}side|the technical|how (?:the|this|that|it) (?:\w+ )?works"
    r"|much about)",
    r"(?:we|i) (?:can'?t|cannot) always (?:tell|say|know|predict|guarantee|be sure|rely)\b",
    r"(?:above|beyond) my pay (?:grade|scale)|(?:i|we) (?:don'?t|do not) (?:really )?(?:have|get) "
    r"(?:any |much )?(?:say|authority|power|clout) (?:over|in|on)\b",
)
DISOWNED_PATTERN = compile_phrases(DISOWNED)  # also read by the engine (one problem per sentence)
FIRST_PERSON_ACT = re.compile(
    r"\b(?:i|we)(?:[\x27’]ve| have)? (?:now |just |already )?\w+ed\b", re.I
)
IT_IS_COMMON = re.compile(
    r"\b(?:it|this)(?:[\x27’]s| is)(?: \w+)? (?:common|normal|usual|not (?:un)?usual|typical) "
    r"(?:for|that|to)\b",
    re.I,
)
# a frequency denied ("this doesn't happen often", "rarely goes wrong") is reassurance
DENIED = re.compile(
    r"(?:\bnot|n[\x27’]?t|\bnever|\brarely|\bseldom|\bhardly)(?: \w+){0,2} ?$", re.I
)


def detect(s: Situation, c: Category) -> list[Hit]:
    severity = bump("medium", s.signals.breach and s.signals.strong_emotion)
    hits = [h for h in s.sentence_hits(c.pattern, severity) if not _owned_and_acted(s, h)]
    seen = {h.start for h in hits}
    for x in s.sentences:
        if x.start in seen:
            continue
        # "is common" needs a problem word; a recurring failure event is one already
        trigger = _commonplace(x.text)
        if trigger and PROBLEM is not None and _problem_is_subject(x.text, trigger):
            hits.append(Hit(x.start, x.end, severity, "default", trigger))
            continue
        trigger = _recurring(x.text)
        if trigger:
            hits.append(Hit(x.start, x.end, severity, "default", trigger))
    return sorted(hits, key=lambda h: h.start or 0)


def _owned_and_acted(s: Situation, h: Hit) -> bool:
    """ "That was wrong, and I've stopped taking bookings until the backlog is cleared": a
    specific failure owned and acted on (the ownership rule), not a general weakness."""
    text = s.reply[h.start or 0 : h.end or 0]
    return (
        FAULT is not None
        and FAULT.search(text) is not None
        and FIRST_PERSON_ACT.search(text) is not None
        and (DISOWNED_PATTERN is None or DISOWNED_PATTERN.search(text) is None)
    )


def _problem_is_subject(text: str, trigger: str) -> bool:
    """ "Delays like this are common", "It's common for parcels to be delayed": the failure is
    what is called common; not "A note saying … is normal for a replacement, but if … faulty"."""
    assert PROBLEM is not None
    at = text.find(trigger)
    if PROBLEM.search(text[:at]):
        return True
    return IT_IS_COMMON.search(text) is not None and PROBLEM.search(text[at:]) is not None


def _recurring(text: str) -> str | None:
    """A failure told as recurring or unavoidable, unless the frequency is denied."""
    if RECURRING is None:
        return None
    for m in RECURRING.finditer(text):
        before = text[max(0, m.start() - 25) : m.start()]
        if not DENIED.search(before):
            return m.group(0)
    return None


def _commonplace(text: str) -> str | None:
    """ "is very common", "is not unusual" (but not "is not common", "is unusual")."""
    m = COMMONPLACE.search(text) if COMMONPLACE is not None else None
    if m is None:
        return None
    said = m.group(0).lower()
    negated = " not " in f" {said} "
    rare = said.endswith(("uncommon", "unusual"))
    return m.group(0) if negated == rare else None


CATEGORY = Category(
    name="self_undermining",
    kind="irritant",
    order=16,
    summary="Statements that undercut the company's own value: 'our app can be confusing', "
    "'delays like this are common', 'I'm only an agent'.",
    detect=detect,
    phrases=(
        *SHAPES,
        *DISOWNED,
        r"(?:it|this|that) can be (?:quite |a bit |very |rather |really )?(?:overwhelming|"
        r"confusing|"
        r"difficult|hard|tricky|complicated|a (?:bit of a )?challenge) to (?:find|look|navigate|"
        r"see|"
        r"understand|use|locate|keep track)",
        rf"(?:our|the) (?:[\w\x27’]+ ){{0,2}}(?:{OUR_THING})(?: \w+)? (?:is|are|has|have|can be|"
        rf"does|"
        rf"do|struggles?|has always been)\b[^.!?]{{0,40}}?(?:{WEAKNESS})",
        rf"(?:our|the) (?:\w+ ){{0,2}}(?:{OUR_THING})(?: \w+)? (?:honestly |really |frankly )?"
        rf"(?:isn'?t|aren'?t|doesn'?t|don'?t|is not|are not|can'?t) (?:always |very |really |that |"
        rf"particularly )?(?:accurate|reliable|great|good|fast|up to date|easy|clear|perfect|ideal|"
        rf"consistent|designed for|cope)",
        r"our (?:\w+ ){0,2}\w+ (?:is|are) (?:honestly |really |frankly )?(?:not|n'?t) (?:great|"
        r"very good|the best|ideal|the most \w+)|our (?:\w+ ){0,2}\w+ (?:honestly |really |"
        r"frankly )?(?:isn'?t|aren'?t) (?:great|very good|the best|ideal|the most \w+)",
        # a fault described as the product's habit
        r"(?:does |do )?(?:has|have) (?:a|an) (?:annoying |bad |bit of a )?(?:habit|tendency) "
        r"(?:of|to)",
        # our own capacity given as the reason the customer must wait
        r"(?:we are|we'?re|the team is|our team is|we have been|we'?ve been) (?:\w+ )?(?:badly |"
        r"severely |very |really |extremely |seriously |currently )?(?:understaffed|"
        r"short[- ]staffed|overwhelmed|swamped|inundated|snowed under|stretched (?:thin|to the "
        r"limit)|behind with)",
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
        r"(?<!n't )(?<!not )(?:do |does )?(?:unfortunately )?happen (?:quite |fairly )?(?:a lot|"
        r"often|all the time|"
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
        r"work (?:well|properly))\b",
        # a weakness of any thing we run, said as a general property
        r"(?:is|are|can be|have been|has been) (?:unfortunately |sadly |honestly |frankly )?"
        r"(?:quite |very |a bit |rather |pretty |notoriously |often |sometimes )?(?:fragile|flaky|"
        r"buggy|unreliable|patchy|temperamental|error-prone|hit and miss|unstable)",
        r"tend(?:s)? to (?:break|fail|crash|go wrong|drop out|get lost|get missed|be late|lag)",
        r"(?<!not )(?<!n't )(?:hard|difficult|impossible|tricky) (?:for (?:me|us) )?to keep "
        r"(?:on top of|up with|"
        r"track of)",
        r"(?:staff|driver|engineer|parts?|stock|capacity) shortages?|(?:have|has) been a (?:real |"
        r"big |huge |major )?(?:problem|issue|struggle|challenge) for us",
        r"(?:are|is) (?:happening|occurring) (?:\w+ )?(?:across|all over|everywhere|to (?:lots|"
        r"many|a lot|everyone))|(?:affecting|happening to) (?:lots of|many|a lot of|all) (?:our )?"
        r"(?:customers|members|users|clients|passengers|households)",
        r"(?:not|isn'?t) easy for us|(?:hard|difficult) for us to|part and parcel of",
        # Seventh pass: any thing of ours said to be unreliable in general ("our packing slips
        # aren't always the most accurate"), a slip called a fact of the trade ("something every
        # agency must live with")
        r"(?:our|the) (?:[\w-]+ ){1,3}(?:isn'?t|aren'?t|is not|are not) always (?:the most |very "
        r"|that |100% )?(?:accurate|reliable|right|correct|up to date|precise|dependable)",
        r"(?:something|things?|mistakes|slips|errors) (?:that )?(?:every|any|all) (?:\w+ ){0,2}"
        r"(?:has|have|must|needs? to|will) (?:to )?live with",
        r"(?:does|do) (?:get|go) (?:[\w-]+ ){0,4}(?:wrong|out|missed|lost|mixed up)\b[^.!?]{0,30}"
        r"(?:now and (?:then|again)|from time to time|sometimes|occasionally|every so often)",
        # a weakness owned as a trait of the company: "has never really been our strong point"
        r"(?:(?:has|have) never (?:really |exactly )?been |(?:is|are)(?:n'?t| not) (?:really |"
        r"exactly |always )?|never (?:was|were) )(?:our|my) (?:strong (?:point|suit)|"
        r"forte|strength|speciality|specialty)",
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
