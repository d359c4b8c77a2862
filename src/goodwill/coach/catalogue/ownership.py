"""Strength: the company owns its mistake, has acted, or someone personally sees it through."""

from __future__ import annotations

import re

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
    # the operator's own verdict on what we did: "That was wrong, and I've …"
    r"^(?:and )?(?:that|this|it) (?:was|is) (?:wrong|a mistake|unacceptable|not (?:good enough|"
    r"acceptable|ok|okay|right))\b",
    # the fault named as ours in other shapes: "which is on us", "our clerical error"
    r"(?:that|this|it|which)(?:'s| is| was) (?:entirely |all |squarely )?on (?:us|me)\b|"
    r"(?:mistake|error|fault) (?:was|is) (?:all )?(?:ours|mine)\b|(?:our|my) (?:clerical|"
    r"administrative|admin|processing|human|system|technical|billing) (?:mistake|error|fault)",
    r"you'?re (?:absolutely |quite |completely |totally )?right[^.!?]{0,60}(?:sorry|should "
    r"have|shouldn'?t have|(?:not|isn'?t|wasn'?t) acceptable|our (?:mistake|fault))",
    # our own system or release did the harm
    r"(?:our|last night'?s|yesterday'?s|the latest|a recent|this week'?s) (?:[\w-]+ ){0,2}"
    r"(?:update|release|system|app|page|software|website|change) (?:\w+ )?(?:had|contained|"
    r"introduced|caused|timed out|crashed|failed)\b",
)
FAULT = compile_phrases(FAULT_PHRASES)
LOGGED_IDEA = re.compile(
    r"\b(?:added|logged|passed|put|shared|forwarded|raised|submitted|noted) [^.!?]{0,40}? "
    r"(?:on|to|with|in|onto) (?:our|the) [^.!?]{0,30}?(?:list|wishlist|board|backlog|roadmap|"
    r"tracker|team|forum|request)\b",
    re.I,
)

ACTIONS = (
    r"refunded|credited|corrected|fixed|cancell?ed|reversed|updated|removed|waived|re-?sent|"
    r"reissued|issued|arranged|escalated|booked|processed|reinstated|replaced|added|applied|"
    r"raised|changed|restored|unlocked|unblocked|extended|resolved|amended|dispatched|reset|"
    r"adjusted|reactivated|scheduled|set up|set (?:it|this|that|them) up|switched|moved|frozen|"
    r"barred|blocked|paused|approved|recalled|put (?:a|the|your)|put (?:\w+ ){1,4}on hold|marked|"
    r"reported|asked (?:our|their|the|your|him|her|dr)|spoken to|called (?:the|their)|"
    r"recalculated|upgraded|reserved|held|taken over|ordered|started (?:the|a)|opened (?:the|a)|"
    r"released|sent (?:out|you|a|an|them|the|two|your)|generated|"
    r"resubmitted|rolled back|made it my priority|created|organised|organized|requested|"
    r"submitted|posted|re-?invoiced|couriered|made the (?:[\w-]+ ){0,2}change|made (?:you )?"
    r"(?:a |an |the )?(?:new|fresh|replacement|corrected|revised|amended|updated) \w+"
)
# the same actions in the simple past or in progress, on the customer's own matter
PAST_ACTIONS = (
    r"refunded|credited|corrected|fixed|cancell?ed|reversed|restored|re-?sent|reissued|rebooked|"
    r"booked|replaced|moved|posted|submitted|re-?invoiced|couriered|unlocked|unblocked|waived|"
    r"reinstated|escalated|chased|reset"
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
        if s.signals.suggestion and LOGGED_IDEA.search(s.reply[h.start or 0 : h.end or 0]):
            continue  # passing a suggestion on is its outcome, not an action on a problem
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
        # making sure praise reaches someone is passing it on, not resolving anything
        r"i(?:'ll| will) (?:make sure|ensure|see to it)(?! (?:that )?(?:[\w.]+ ){1,2}(?:sees?|"
        r"hears?|gets? (?:your|the) (?:message|note|words|feedback|thanks)))",
        r"(?:i|we)(?:'ve| have) (?:now |just |also )?(?:chased|investigated|re-?booked|swapped|"
        r"exchanged|topped up|unfrozen|lifted|cleared|opened an investigation|raised a "
        r"(?:complaint|case|ticket))",
        r"(?:we|i) (?:let you down|dropped the ball)|(?:it|that|this) slipped",
        rf"\bi (?:also |then |personally |just |already )?(?:{PAST_ACTIONS}) (?:it|them|"
        r"your|you|this|that)\b",
        r"(?:i|we)(?:'ve| have)? (?:found|checked|traced|located|looked into) [^.!?;]{0,80}?"
        rf"(?:,| and) (?:{PAST_ACTIONS}|sent|arranged|asked)\b",
        r"(?:i'?m|i am|we'?re|we are) (?:also |now |personally )?(?:sending|couriering|posting|"
        r"dropping|bringing|refunding|crediting|replacing|rebooking|waiving|arranging for) "
        r"(?:you|your|it|them|a|an|the|two|three|\d)",
    ),
    examples=("That was our mistake, and I've refunded the £79 in full just now.",),
    explanations={
        "default": "Owning the problem and saying what was done builds accountability with {name}.",
        "fault": "Admitting the mistake plainly is what lets {name} trust the company again.",
        "action": "Saying what you have already done shows {name} the problem is being handled.",
    },
    suggestions={"default": "Keep it; add when the customer will see the result if it is missing."},
)
