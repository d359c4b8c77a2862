"""Irritant: a suggestion or complaint turned away without consideration, reason or alternative."""

from __future__ import annotations

import re

from goodwill.coach.model import Severity
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, compile_phrases

ALTERNATIVE = compile_phrases(
    (
        r"but (?:i|we) (?:can|could|have|'ve|will|'ll)|however,? (?:i|we)|instead|what i can do|"
        r"as an alternative|the good news is|good news:|on the bright side|(?:the )?(?:earliest|"
        r"soonest|quickest|best) (?:we|i) (?:could|can)|"
        r"i can (?:offer|move|drop|switch|arrange|do)|i'?ve (?:\w+ )?(?:arranged|"
        r"moved|switched|added|booked|refunded|credited)|i(?:'ll| will) (?:ask|look|check|review)",
    )
)

REASON = re.compile(
    r"\b(?:because|since|due to|as (?:we|there|our|it|the))\b|,? so (?:we|i) (?:don'?t|do not|"
    r"can'?t|cannot)\b|^(?:that|this)(?:'s|’s| is) why\b|"
    r"\bwhich is why\b|\bfor (?:that|this) reason\b",
    re.I,
)
TURN = re.compile(
    r"^\W*(?:however|that said|instead|alternatively|but|what we can|there (?:is|are) (?:one|"
    r"another|a|an|two|other) (?:\w+ )?(?:way|option|alternative)s?\b)",
    re.I,
)

FLAT_REFUSAL = re.compile(
    r"^(?:(?:hi|hello|hey)(?: \w+)?,? )?(?:unfortunately,? |sorry,? |i'?m afraid,? )?(?:we|i) "
    r"(?:do not|don'?t|cannot|can'?t) (?:accept|offer|support|provide|allow|do|give)\b"
    r"[^,;:]{0,40}[.!]$",
    re.I,
)
# the grammar of a refusal: we can't / we're unable to / it isn't supported … (any wording)
REFUSAL = compile_phrases(
    (
        r"(?:we|i)(?:'re| are|'m| am)? (?:\w+ )?(?:unable|not able|not in a position) to|(?:we|i) "
        r"(?:aren'?t|am not|are not) able to",
        r"(?:we|i) (?:can'?t|cannot|won'?t|will not|don'?t|do not|are not going to) (?:\w+ ){0,2}"
        r"(?:offer|support|provide|accept|allow|give|make|change|refund|reimburse|cover|add|"
        r"consider|accommodate|agree|waive|reinstate|extend|reverse|honour|match|compensate|"
        r"stock|sell|introduce|build|do (?:this|that|refunds|exceptions)|open|run|lower|reduce|"
        r"remove|bring back|launch|host)\b",
        r"(?:is|are)(?: not|n'?t) (?:currently |yet |presently )?(?:supported|available|possible|"
        r"offered|an option|feasible|permitted|allowed)",
        r"(?:isn'?t|is not|aren'?t|are not) (?:something|a thing|a feature|an option) (?:that )?"
        r"we",
        # … that the product refuses: "That isn't something the system supports"
        r"(?:isn'?t|is not|aren'?t|are not) (?:something|a thing|a feature|an option) (?:that )?"
        r"(?:the|our) (?:[\w-]+ )?(?:system|app|platform|software|website|site|portal|product|"
        r"service|tool) (?:currently )?(?:supports?|offers?|does|allows?|provides?|can do|has)\b",
        r"no (?:exceptions|refunds?|compensation) (?:can|will|is|are)|we must decline|"
        r"(?:has|have) been declined|(?:is|are) not eligible for",
        r"(?:is|are) not (?:issued|given|offered|provided|paid|granted|accepted|refunded|"
        r"reimbursed|covered) (?:for|on|in|to|after|when|under)\b",
        # what the customer asked for, refused in the passive: "the fee cannot be removed"
        r"(?:cannot|can'?t|can not|will not|won'?t|is not able to) be (?:refunded|waived|reversed|"
        r"changed|removed|cancell?ed|reinstated|extended|transferred|exchanged|returned|reopened|"
        r"amended|altered|undone|overridden|reduced|lowered|refunded|credited|backdated|released|"
        r"added|made|split|paused|moved|deleted|upgraded|downgraded|switched|offered|granted)",
        # a limitation stated as a fact about the product, or a rule applied to everyone
        r"(?:is|are) (?:currently |unfortunately |sadly )?only (?:available|offered|possible|"
        r"supported|sold|provided) (?:in|on|for|to|at|via|through|by|as|with)\b",
        r"(?:apply|applies|applied|sent|charged|given|issued) (?:equally )?to (?:all|every|"
        r"everyone)(?: (?:eligible|of our|our|other))? ?(?:customers|members|accounts|clients|"
        r"users|passengers|patients|policyholders|households|one)?",
    )
)


# Shapes of a closed door, whatever the words: nothing anyone can do, the matter declared over,
# a feature said not to exist, a service withdrawn.
SHAPES = (
    r"(?:(?:there'?s|there is|there'?s really|there is really) )?(?:nothing|not anything) "
    r"(?:more |else |further )?(?:that )?(?:we|i|the \w+|our \w+|anyone|anybody) (?:can|could) do",
    r"(?:there|there is|there'?s)(?:n'?t| not) (?:anything) (?:more |else |further )?"
    r"(?:that )?(?:we|i|(?:the|our) (?:\w+ ){0,2}?\w+|anyone|anybody) (?:can|could) do",
    r"(?:the|this|your) (?:case|complaint|matter|ticket|claim|query) (?:is|has) (?:now )?(?:been )?"
    r"(?:closed|concluded|considered closed|marked (?:as )?closed)",
    r"(?:decision|outcome|charge|fee|price|rule|policy|verdict|penalty|fine|amount) (?:therefore |"
    r"still |will |must |must therefore |will therefore )?(?:stands?|remains? (?:due|payable|in "
    r"place|unchanged))\b",
    r"(?:is|are)(?: not|n'?t) (?:a|an) (?:[\w-]+ )?(?:feature|option|service|product|facility|"
    r"function|setting) (?:that is |which is )?(?:available|offered|supported|provided|we "
    r"(?:offer|have|provide|support))",
    r"(?:we|i) (?:no longer|don'?t any longer|do not any longer) (?:offer|issue|provide|support|"
    r"accept|sell|do|have|send|print|post|take|allow|run|stock|carry)\b",
    r"(?:is|are) no longer (?:available|offered|supported|possible|an option|issued|accepted|"
    r"provided)",
)


def detect(s: Situation, c: Category) -> list[Hit]:
    if s.signals.praise_only:
        return []
    sig = s.signals
    severity: Severity = (
        "high" if sig.suggestion or sig.strong_emotion or sig.first_disagreement else "medium"
    )
    reason = "suggestion" if s.signals.suggestion else "default"
    hits: list[Hit] = []
    flat = [
        Hit(x.start, x.end, severity, reason, x.text)
        for x in s.sentences
        if (FLAT_REFUSAL.match(x.text) and len(x.text.split()) <= 9)
        or (REFUSAL is not None and REFUSAL.search(x.text) and not _owned(s, x.start))
    ]
    for h in sorted(
        {
            (h.start, h.end): h for h in [*s.sentence_hits(c.pattern, severity, reason), *flat]
        }.values(),
        key=lambda h: h.start or 0,
    ):
        if _rule_cited(s, h):
            continue
        following = _following(s, h, 3)
        if ALTERNATIVE is not None and ALTERNATIVE.search(following):
            continue
        if REASON.search(_text(s, h)) and TURN.search(following[len(_text(s, h)) :]):
            continue
        hits.append(h)
    return hits


# a refusal that follows from a rule text the same sentence cites ("According to our terms, …
# refunds are not given") is one problem, the rule used in place of a decision: blame_shifting's
RULE_TEXT = re.compile(
    r"\b(?:terms|policy|policies|conditions|contract|t&cs|agreement|price guide|tariff|rules)\b",
    re.I,
)


def _rule_cited(s: Situation, h: Hit) -> bool:
    return any(
        b.start == h.start and RULE_TEXT.search(b.trigger) is not None
        for b in s.found.get("blame_shifting", [])
    )


def _text(s: Situation, h: Hit) -> str:
    return s.reply[h.start or 0 : h.end or 0]


def _owned(s: Situation, start: int) -> bool:
    """Sentences already counted as a strength (ownership, a next step) are not refusals."""
    return any(
        h.start == start
        for name in ("ownership", "specific_next_step", "feedback_outcome", "empathy")
        for h in s.found.get(name, [])
    )


def _following(s: Situation, hit: Hit, count: int) -> str:
    after = [x.text for x in s.sentences if (x.start >= (hit.start or 0))][: count + 1]
    return " ".join(after)


CATEGORY = Category(
    name="dismissal",
    kind="irritant",
    order=40,
    summary="Turning a suggestion or complaint away with no reason, no alternative and no sign "
    "it was considered: 'not something we offer', 'nothing more we can do', 'the decision is "
    "final'.",
    detect=detect,
    phrases=(
        *SHAPES,
        r"(?:is|are)(?: not|n'?t) (?:something|a feature|an option|a service) (?:that )?we "
        r"(?:currently )?(?:offer|provide|support|plan|do|are planning)",
        r"(?:is|are) not on (?:our|the) roadmap|(?:we have|we'?ve got|there are) no (?:current )?"
        r"plans to|no plans (?:to|for)|not (?:something )?we(?:'re| are) planning",
        r"(?:we|i) (?:have|has) no (?:intention|wish|desire) (?:of|to) (?:\w+ing|\w+)\b",
        r"(?:isn'?t|is not|aren'?t|are not) (?:really |quite )?(?:something|a thing|a service) "
        r"(?:that )?we(?:'d| would)? (?:\w+ )?(?:take on|do|offer|provide|consider|get into)\b",
        r"(?:this|that|it|\w+ing (?:a |the )?\w+) (?:is(?:n'?t| not)|would not be|won'?t be) "
        r"(?:possible|feasible|an option)",
        r"(?:there'?s|there is) nothing (?:more |else |further )?(?:we|i) can do",
        r"(?:the|our) decision (?:is final|has been made)|(?:we|i) (?:consider|regard) (?:this|"
        r"the) "
        r"matter (?:closed|resolved)",
        r"(?:we are|we'?re|i am|i'?m) (?:therefore |afraid )?(?:unable|not able) to (?:offer|"
        r"provide|change|reconsider|accept|intervene|accommodate|consider|give|make|reinstate|"
        r"switch|provide)",
        # fourth pass: the verdict without its reasons ("has been considered and rejected")
        r"(?:has|have) been (?:\w+ and )?(?:considered|reviewed|assessed|looked at|examined) "
        r"(?:carefully )?and (?:has been |was )?(?:rejected|declined|refused|dismissed|turned "
        r"down|not upheld)|(?:is|was|has been) not upheld",
        r"(?:will|can) ?not be (?:reversed|reinstated|changed|waived|refunded|reconsidered|"
        r"changing|"
        r"reverting)|cannot be (?:reversed|reinstated|changed|waived)|won'?t be changing",
        r"(?:we|i) (?:will|won'?t|will not) (?:not )?be (?:reverting|changing|making any changes)",
        r"no (?:further )?action (?:is|will be) (?:required|taken|necessary)|(?:do not|don'?t) "
        r"feel (?:any )?further action",
        r"(?:we do|we don'?t|we do not) (?:not )?(?:offer|accept|provide|do|support|take) "
        r"(?:discounts|price \w+|refunds|feature requests|exceptions)",
        r"(?:we|i) (?:don'?t|do not|never) (?:take|accept|consider|act on) (?:any )?(?:[\w-]+ )?"
        r"(?:requests|suggestions|ideas|special orders)\b",
        r"(?:are|is) not applicable|(?:will|shall) (?:therefore )?(?:stand|remain in place)",
        # the complaint explained away without looking into it
        r"(?:i'?m|i am|we'?re|we are) (?:sure|certain|confident) (?:that )?(?:there|it|this|that) "
        r"(?:was|must have been|is) (?:just |simply |only )?(?:a |some )?(?:misunderstanding|"
        r"mix-up|miscommunication|misinterpretation)|there must have been a misunderstanding",
        r"(?:decision|outcome|charge|fee|price|rule|policy|verdict) (?:still )?(?:stands|remains "
        r"(?:unchanged|in place|the same)|is (?:final|unchanged))",
        r"(?:works|is working|functions) as (?:intended|designed)",
        r"(?:is|are) in line with the market",
        r"(?:is|are) satisfied that|applies? to all customers",
        r"(?:the|our) (?:new|current) (?:layout|design|price|prices) (?:will|is going to) (?:stay|"
        r"remain)",
        # "won't be looking at it", "will not be reviewed": consideration itself refused
        r"(?:won'?t|will not|shall not) be (?:looking at|considering|revisiting|reviewing|"
        r"reconsidering|pursuing|taking (?:this|it) (?:forward|further)|reviewed|revisited|"
        r"reconsidered|looked at)",
        r"(?:the|our) decision (?:to \w+ )?[^.!?]{0,50}?(?:is final|has been made(?= *(?:[.!]|$|"
        r"and (?:is|will not|won'?t|cannot|can'?t))))",
    ),
    examples=("Apple Pay for business cards is not something we currently offer.",),
    explanations={
        "default": "“{trigger}” closes the door on {name} without a reason or an alternative; "
        "it reads as if their problem was not considered.",
        "suggestion": "{name} made a suggestion; turning it down in one line (“{trigger}”) tells "
        "them ideas are not welcome.",
    },
    suggestions={
        "default": "Explain why, offer what you can do instead, and say who could reconsider.",
        "suggestion": "Say honestly where the idea stands, why, and where it is recorded; "
        "offer to tell them if it changes.",
    },
)
