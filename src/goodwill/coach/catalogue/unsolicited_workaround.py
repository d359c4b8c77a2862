"""Irritant: instructions for existing functions when the customer proposed something else."""

from __future__ import annotations

from goodwill.coach.situation import ALREADY, Situation
from goodwill.coach.spec import Category, Hit, bump, compile_phrases

# "you can do it online, or we can send someone": an offer to do it for them, not a workaround
WE_DO_IT = compile_phrases(
    (
        r"(?:we|i)(?:'ll| will| can| could| are happy to|'m happy to|'d be happy to) (?:also )?"
        r"(?:send|arrange|do|book|set|sort|handle|take care|change|make|process|call|message|"
        r"e-?mail|"
        r"text|ring|let you know|tell|update|notify|contact)",
    )
)


# after a proposal, pointing to where something already is ("… is available as a PDF on our
# website"); after a complaint the same words usually cite a document, which is another matter
ALREADY_THERE = compile_phrases(
    (
        r"(?:is|are) (?:already |also )?available (?:[\w-]+ ){0,4}?(?:in|from|on|under|through|"
        r"via) (?:the|your|our) (?:[\w&-]+ )?(?:app|settings|browser|account|menu|dashboard|"
        r"website|portal|site|page|section)",
    )
)


# Shapes of a workaround offered in place of what was raised, whatever the function: a stop-gap
# opener followed by an instruction, an aside framed as a tip, a function said to exist already.
SHAPES = (
    r"(?:in the meantime|meanwhile|for now|until then|in the interim|for the time being),? "
    r"[^.!?]{0,80}?\b(?:tap|click|choose|select|go to|open|press|use|book|try|switch|turn|set|"
    r"you can|you could|you(?:'ll| will)? need to)\b",
    r"(?:^|\b)(?:(?:a|one|quick|little|handy|top|pro|small|useful) )*(?:tip|trick|hack)\s*[:!–-]",
    r"here'?s a (?:quick |little |handy |useful )?(?:tip|trick|hack|workaround)",
    r"you can already (?:\w+)",
)


def detect(s: Situation, c: Category) -> list[Hit]:
    sig = s.signals
    if s.has("feedback_outcome"):
        return []
    if sig.howto and not sig.suggestion:
        return []  # instructions answer a how-to; a proposal worded "could we get …" is not one
    if sig.question and not (sig.suggestion or sig.complaint):
        return []  # a plain question: instructions are the answer
    if ALREADY.search(s.reply):
        return []
    if not (sig.suggestion or sig.complaint or sig.needs_action):
        return []
    severity = bump("medium", sig.strong_emotion)
    reason = "suggestion" if sig.suggestion else "default"
    hits = [
        h
        for h in s.sentence_hits(c.pattern, severity, reason)
        if not (WE_DO_IT and WE_DO_IT.search(s.reply[h.start or 0 : h.end or 0]))
        and not s.operator_act(h)
    ]
    if sig.suggestion:
        seen = {h.start for h in hits}
        extra = [h for h in s.sentence_hits(ALREADY_THERE, severity, reason) if h.start not in seen]
        return sorted([*hits, *extra], key=lambda h: h.start or 0)
    # a complaint or request: a stop-gap is fine once the matter itself is being dealt with
    if any(s.has(x) for x in ("ownership", "specific_next_step")):
        return []
    return hits


CATEGORY = Category(
    name="unsolicited_workaround",
    kind="irritant",
    order=42,
    summary="Explaining how to use what already exists when the customer proposed something new "
    "or raised something else; fine for a how-to question.",
    detect=detect,
    phrases=(
        *SHAPES,
        r"you can (?:always |also |already |still |easily |just |simply )?(?:check|view|see|find|"
        r"download|export|use|access|look up|track|set up|change|update|switch|turn on|increase|"
        r"save|reduce|request|pay|spread|choose|schedule|edit|create|rename|print|set|make|visit|"
        r"get|select|opt|unsubscribe|manage|try|text|log|turn off|switch off|disable|enable|mute|"
        r"hide)",
        # Fifth pass: a menu path handed over ("under Profile > Notifications > Payments")
        r"you can [^.!?]{0,80}?(?:under|in|via|from|at|go to) [\w&\x27’ -]{1,30} >",
        # a do-it-yourself repair for damage the customer complained of: "can often be disguised
        # with a wax filler stick, which you can pick up at most DIY stores"
        r"(?:can|could) (?:often |usually |easily |normally |generally )?be (?:disguised|hidden|"
        r"covered|fixed|repaired|removed|touched up|filled|treated|patched) (?:\w+ )?with (?:a|an|"
        r"some)\b",
        r"which you can (?:pick up|buy|get|find|order) (?:at|from|in|online) (?:most|any|your "
        r"local|a local)?",
        r"you could (?:always |also |just )?\w+",
        r"(?:is|are) (?:already )?available (?:in|from|on|under|through) (?:the|your) (?:\w+ )?"
        r"(?:app|settings|browser|account|menu|dashboard|website|portal)",
        r"(?:alternatively|in the meantime|meanwhile|for now|until then),? (?:you|your \w+) "
        r"(?:can|could|may|might)",
        r"you (?:may|might) (?:want|wish|like|prefer) to|you (?:may|might) prefer",
        r"why not try|(?:have you tried|did you try) (?:using|clearing|restarting)",
        r"(?:a|one|the) (?:\w+ )?(?:workaround|way around (?:this|it)|way to get around (?:this|"
        r"it)) (?:is|would be|for now)",
        # any action the customer could already take themselves, and where
        r"you can (?:also |always |already |easily |still |just |however |instead |though )?[\w-]+ "
        r"(?:[\w\x27’-]+ ){0,7}(?:at any time|anytime|(?:from|in|on|via|through) (?:the|your|our) "
        r"(?:[\w-]+ )?(?:app|account|dashboard|settings|website|portal|page|online account|"
        r"screen|tab|menu|section|site)|"
        r"online\b|using (?:the|your|our|a|an)\b)",
        r"(?:can|could) (?:already |also |always |easily )?be (?:\w+ed|seen|found|done|shown|set "
        r"up)(?: [\w-]+){0,3} (?:in|from|on|via|through|by \w+ing|online|at any time)",
        # "can already be <done>": the function exists, whatever the verb
        r"(?:can|could) already be \w+(?: [\w-]+){0,5} (?:in|from|on|via|through|by \w+ing|"
        r"online|at any time)",
        # what exists already, offered in place of what was proposed
        r"(?:our|the|your) (?:[\w&-]+ ){0,4}already (?:offers|has|includes|provides|lets you|"
        r"supports|allows|features|comes with)",
        r"(?:can|could) (?:be )?(?:viewed|downloaded|exported|changed|accessed|edited|requested)"
        r" (?:at any time|in|from|by|online)",
        r"(?:already )?(?:shows|takes)[^.!?]{0,40} into account|"
        r"(?:the|our) app already shows|we recommend (?:using|turning)",
        # (no trailing space: phrases end at a word edge)
        r"(?:by|from) (?:selecting|tapping|clicking|going to|opening|pressing|choosing)\b",
        r"(?:the|an) (?:easiest|best|quickest|simplest) (?:way|option|thing)(?: for now)? (?:is|"
        r"would be)",
        r"you(?:'ll| will)? (?:can )?find (?:it|them|this|that|your \w+) (?:in|under|on)",
        r"(?:can|could) be (?:removed|deleted|managed|found|seen|checked|rearranged|booked|"
        r"updated) (?:at any time|in|from|by|online|one)",
        r"why not (?:try|use|add|switch|consider)",
        r"you can (?:already |also |always )?(?:rearrange|remove|delete|add|filter|sort|pin|share|"
        r"request|opt out)",
    ),
    examples=(
        "You can always check them from your app or browser by selecting the balance.",
        "In the meantime, you can export your transactions as a CSV file.",
    ),
    explanations={
        "default": "{name} raised something else; instructions for what already exists sidestep "
        "it and imply they had not thought of the obvious.",
        "suggestion": "{name} proposed an improvement; explaining how to use what already exists "
        "treats the idea as a support question and implies they don't know the product.",
    },
    suggestions={
        "default": "Deal with what they raised first; offer a stop-gap only as an option, after "
        "that.",
        "suggestion": "Respond to the idea itself (where it goes, when they will hear); mention "
        "an existing feature only if it truly does what they asked.",
    },
)
