"""Strength: the company owns its mistake, has acted, or someone personally sees it through."""

from __future__ import annotations

from goodwill.coach.model import Severity
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, compile_phrases

FAULT_PHRASES = (
    r"(?:our|my) (?:own )?(?:mistake|fault|error|failure|oversight|bad|typo)",
    r"(?:that|this|it)(?:'s| is| was) on (?:us|me)|that'?s on us",
    r"(?:an? |the )?(?:error|mistake|fault|bug) (?:on|at) our (?:side|end)",
    r"(?:it'?s|it is|is) (?:on )?our (?:side|end)",
    r"(?:we|i) (?:got|made|messed) (?:this|that|it|a mistake|an error)",
    r"(?:we|i) should (?:never )?have|(?:we|i) shouldn'?t have|should never have",
    r"(?:we|i) (?:didn'?t|did not|failed to) (?:keep|make|call|send|tell|warn|update|deliver|"
    r"honour|check)",
    r"(?:broke|caused)[^.!?]{0,40}(?:and that'?s|our fault|on us)|(?:was|were) (?:caused|made) "
    r"by (?:us|our (?:system|side|team))",
    r"(?:was|is) our (?:mistake|error|fault|failure)|that'?s our failure|our failure",
)
FAULT = compile_phrases(FAULT_PHRASES)

ACTIONS = (
    r"refunded|credited|corrected|fixed|cancell?ed|reversed|updated|removed|waived|re-?sent|"
    r"reissued|issued|arranged|escalated|booked|processed|reinstated|replaced|added|applied|"
    r"raised|changed|restored|unlocked|unblocked|extended|resolved|amended|dispatched|reset|"
    r"adjusted|reactivated|scheduled|set up|set (?:it|this|that|them) up|switched|moved|frozen|"
    r"barred|blocked|paused|approved|recalled|put (?:a|the|your)|put (?:\w+ ){1,4}on hold|marked|"
    r"reported|asked (?:our|their|the|your|him|her|dr)|spoken to|called (?:the|their)|"
    r"recalculated|upgraded|reserved|held|taken over|ordered|started (?:the|a)|opened (?:the|a)|"
    r"released|sent (?:out|you|a|an|them|the|two|your)|generated|"
    r"resubmitted|rolled back|made it my priority|created|organised|organized|requested"
)


def detect(s: Situation, c: Category) -> list[Hit]:
    if s.signals.praise_only:
        return []
    severity: Severity = "high" if s.signals.breach or s.signals.complaint else "medium"
    outcome = {(h.start, h.end) for h in s.found.get("feedback_outcome", [])}
    hits: list[Hit] = []
    for h in s.sentence_hits(c.pattern, severity):
        if (h.start, h.end) in outcome:
            continue
        fault = FAULT is not None and FAULT.search(s.reply[h.start or 0 : h.end or 0])
        hits.append(Hit(h.start, h.end, h.severity, "fault" if fault else "action", h.trigger))
    return hits


CATEGORY = Category(
    name="ownership",
    kind="strength",
    order=40,
    summary="Owns the company's mistake, reports what was done, or commits personally.",
    detect=detect,
    phrases=(
        *FAULT_PHRASES,
        rf"(?:i|we)(?:'ve| have)(?: now| just| already| also| personally| today)? (?:{ACTIONS})",
        r"(?:i|we)'?(?:ve| have) (?:now |just |also )?(?:fixed|sorted|done) (?:it|this|that)",
        r"^(?:yes,? )?done[:.!]",
        r"(?:i|we) (?:take|accept) (?:full )?(?:responsibility|ownership)",
        r"i(?:'ll| will) personally|i(?:'m| am) (?:personally )?(?:taking|going to take) "
        r"(?:care of|over|ownership)|leave it with me|i(?:'ve| have) made it my priority",
        r"i(?:'ll| will) (?:make sure|ensure|see to it)(?! (?:he|she|they) sees?)",
        r"(?:i|we)(?:'ve| have) (?:now |just |also )?(?:chased|investigated|re-?booked|swapped|"
        r"exchanged|topped up|unfrozen|lifted|cleared|opened an investigation|raised a "
        r"(?:complaint|case|ticket))",
        r"(?:we|i) (?:let you down|dropped the ball)|(?:it|that|this) slipped",
    ),
    examples=("That was our mistake, and I've refunded the £79 in full just now.",),
    explanations={
        "default": "Owning the problem and saying what was done builds accountability with {name}.",
        "fault": "Admitting the mistake plainly is what lets {name} trust the company again.",
        "action": "Saying what you have already done shows {name} the problem is being handled.",
    },
    suggestions={"default": "Keep it; add when the customer will see the result if it is missing."},
)
