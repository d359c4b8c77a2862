"""The situation a draft is judged in, computed once and shared by every detector.

It holds the reply cut into sentences and parts (greeting, signature), the customer's reading
(intents, emotion), and the context signals the catalogue relies on: did the customer propose a
feature, ask how to do something, volunteer something, suffer a broken promise? Signals are read
from the customer's message, the earlier thread and the relationship; their phrases are data
(:data:`SIGNALS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goodwill.coach.model import IRRITANTS, CustomerReading, Draft, Severity
from goodwill.coach.spec import Hit, compile_phrases
from goodwill.coach.text import (
    Line,
    Sentence,
    Signature,
    find_signature,
    generic_greeting,
    greeting_name,
    is_valediction,
    lines_of,
    split_sentences,
)

STRONG_EMOTION = 0.5  # intensity from which a negative emotion needs acknowledging
COMING_APART = frozenset(
    {"differentiating", "circumscribing", "stagnating", "avoiding", "terminating"}
)


def _p(*phrases: str) -> re.Pattern[str]:
    pattern = compile_phrases(phrases)
    assert pattern is not None
    return pattern


SIGNALS: dict[str, re.Pattern[str]] = {
    # the customer asks how to do something (instructions are then the answer)
    "howto": _p(
        r"how (?:do|can|should|would) (?:i|we)",
        r"how to",
        r"where (?:can|do|should) (?:i|we) (?:find|get|see|go)",
        r"(?:what|which) (?:do|should) (?:i|we) (?:do|need)",
        r"is there (?:a|any) way",
        r"(?:can|could) (?:i|we) (?:\w+ ){0,3}(?:through|in|on|online|via|from)\b",
        r"(?:can|could|do) (?:i|we) (?:use|get|add|change|book|bring|take|order|pay|register|"
        r"freeze|set up|move|keep|swap|check|update|see|find|download|export|request)",
        r"what do i do|do (?:i|we) (?:need|have) to",
        # whether a function exists ("is there a webhook for…"), not why something happened
        r"is there (?:a|an|any) (?!reason|explanation|point|excuse)\w+(?: \w+)? (?:for|to|that)\b",
    ),
    # the customer did something on their own initiative (a reading, an early payment, a tip-off)
    "voluntary": _p(
        r"(?:here'?s|here is|attached is|i'?ve attached|attaching) (?:a photo of )?my \w* "
        r"?(?:meter )?reading",
        r"my (?:\w+ )?(?:meter )?reading (?:today |for this month )?is",
        r"(?:just )?(?:to )?let(?:ting)? you know",
        r"thought (?:you'?d want to|you should) know|just a heads[- ]up|fyi\b",
        r"i'?ve (?:paid|set|sent|returned|had|installed|moved|noticed)",
        r"(?:we'?ve|i'?ve|we have|i have) paid .{0,40}early|paid .{0,30} early",
        r"i'?d (?:rather|like to) (?:sort|send|fix|pay) (?:it|this|the)",
        r"undercharg\w+|you sent me (?:two|2|an extra)",
        r"i'?m letting you know|i'?m telling you",
    ),
    # a promise was broken or the customer was let down before
    "broken_promise": _p(
        r"you (?:promised|said (?:you would|it would)|told me)",
        r"(?:i was|we were) (?:told|promised)",
        r"(?:never|didn'?t|did not) (?:show(?:ed)? up|turn(?:ed)? up|came|come|call(?:ed)?|arrive)",
        r"(?:no one|nobody|no-one) (?:came|called|rang|showed|turned up|got back|has called)",
        r"(?:still|yet) (?:nothing|no refund|not (?:arrived|received|paid|fixed))",
        r"twice you'?ve told me|(?:second|third) time (?:you|we were)",
        r"promised .{0,30} (?:never|didn'?t)",
    ),
    # the customer accuses the company of a mistake, a deceit or a breach
    "accusation": _p(
        r"fraud\w*|scam|theft|misled|misleading|conned|ripped off|lied|deceiv\w+",
        r"your (?:mistake|typo|error|fault)",
        r"(?:charged|billed|taken) (?:me )?twice|charged .{0,20}(?:after|even though|without)",
        r"data (?:breach|leak)|security incident",
    ),
    # the customer asks for something to be done
    "request": _p(
        r"(?:please|can you|could you|can someone|could someone) (?:please )?(?:refund|cancel|fix|"
        r"send|change|update|close|delete|remove|rebook|stop|sort|reissue|look|check|add|split|"
        r"block|freeze|put|make|get|help|pass|reinstate|explain)",
        r"i (?:want|need|would like|'d like) (?:it|this|my|a|the|to|you|an|someone)",
        r"(?:please )?(?:make it stop|sort this out)",
        r"can (?:it|this) be",
        r"any chance of",
        r"(?:please )?(?:pass on|tell) (?:our|my|them|him|her)",
    ),
}
# the company has already done what was needed (not necessarily in the first person)
DONE = _p(
    r"(?:has|have) (?:now |just |already )?been (?:refunded|processed|cancelled|credited|corrected|"
    r"updated|fixed|restored|resolved|removed|waived|approved|issued|sent|dispatched|reinstated|"
    r"replaced|reversed|rebooked|booked|closed|changed|moved|paid|unblocked|unlocked|added)",
    r"(?:is|are) now (?:fixed|restored|resolved|live|working|active|closed|cancelled|back|in place|"
    r"showing|corrected|updated)",
    r"(?:we|i)'?(?:ve| have) (?:now |just |already |also )?(?:refunded|credited|corrected|fixed|"
    r"cancelled|reversed|waived|reissued|rebooked|booked|processed|restored|resolved|removed)",
    r"(?:was|were) (?:refunded|issued|processed|approved|credited|dispatched) on",
    r"^(?:yes,? )?done\b",
    # what was asked for, handed over: "your unlock code is 84412093", "our reference is EY5520"
    r"(?:your|our|the) (?:[\w-]+ ){0,3}(?:code|number|reference|pin|password|urn|id|voucher)s? "
    r"(?:is|are):? (?=[a-z-]{0,6}\d)[a-z0-9-]{5,}",
    r"(?:works?|working|is running|are running) (?:normally|again|fine|properly) (?:now|again)\b",
)
# what the customer asked to be sent, sent (sending information is not an action otherwise)
SENT = _p(
    r"(?:i|we)'?(?:ve| have) (?:now |just |also )?(?:attached|enclosed|re-?sent|sent you|e-?mailed "
    r"you|posted you)",
)
ASKED_TO_SEND = _p(
    r"send|re-?send|(?:a |another |new )?copy|e-?mail (?:me|it|them)|forward|post (?:me|it)",
)
# the customer's proposal exists already: pointing to it answers the suggestion
ALREADY = _p(
    r"(?:you can|you'?re able to) already do (?:this|that|exactly)|you can do (?:this|that) "
    r"already|we do already|good news: (?:you can|we do)",
)
INSTRUCTION = _p(
    r"(?:go|head) to|tap|click|select|choose|open|log ?in(?:to)?|sign in|press|enter|type|"
    r"text \w+ to|dial|call (?:us|our|the) .{0,30}on|visit|download|upload|search for|complete|"
    r"fill in|send (?:us|me)|reply with|bring|(?:can|could) be (?:downloaded|found|viewed|"
    r"accessed|changed|booked|paid|made)|you(?:'ll| will)? need to (?:add|enter|go|select|use|set|"
    r"send|bring|give)",
    r"you can (?:\w+ ){0,4}(?:in|from|under|by|at|on|through|via|with)\b",
    r"(?:under|in) (?:settings|my account|the app|your account|profile|admin|preferences)",
    r"(?:yes|no)[,:!.—-]",
    r"[£$€]\d[\w.,]*|\d[\w.,:%]*",
    r"\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|"
    r"(?:january|february|march|april|june|july|august|september|october|november|december) "
    r"\d{1,2}|on the \d{1,2}(?:st|nd|rd|th)",
)
APOLOGY = _p(
    r"(?:i'?m|i am|we'?re|we are) (?:so |really |very |truly |terribly |deeply |genuinely )?sorry",
    r"(?:my|our|sincere) apologies|i apologi[sz]e|sorry(?: again)?[,.!:;—–]|sorry,? (?:that|you|"
    r"the)",
    r"sorry (?:about|for) (?:that|this|the|your|it|all)\b",
    r"sorry (?:that )?(?:it|this|they|he|she)\b",
)
ANY_INCONVENIENCE = _p(
    r"any (?:\w+ )?(?:inconvenience|trouble|confusion|frustration|disappointment|distress|upset|"
    r"concern|difficult(?:y|ies)|delay|issue|problem|misunderstanding|worry|stress)s?|"
    r"the inconvenience"
)


# keyed by id: hashing a compiled pattern hashes its whole compiled code on every lookup (about
# 34 µs on average for the catalogue's patterns); the pattern is kept in the value, so its id
# cannot be reused by another pattern while the entry exists
_TWINS: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}

# the operator's completed act on the matter; sending or attaching information is not one
ACT_DONE = (
    r"(?:i|we)(?:[\x27’]ve| have| had)? (?:just |already |now |also |since |"
    r"personally )?(?:reported|raised|logged|escalated|fixed|refunded|corrected|booked|arranged|"
    r"cancell?ed|changed|credited|asked|flagged|opened|filed|lodged|approved|waived|removed|"
    r"added|switched|reversed|reset|restored|updated|amended|issued|ordered|replaced|closed|"
    r"spoken (?:to|with)|talked to|called|rung|phoned|chased|put)\b"
)
# a sentence opening with such an act (an opener like "Separately," may come first)
OPERATOR_ACT = re.compile(rf"^(?:[\w ]{{1,25}}, )?{ACT_DONE}", re.I)
ACTED_ON_MATTER = re.compile(rf"\b{ACT_DONE}", re.I)
# what the operator "added" or "put" may be reading matter for the customer ("I've added a
# step-by-step guide below"): that sentence still instructs, so it is not an act on the matter
INFO_OBJECT = re.compile(
    r"\b(?:guide|instructions|link|article|faq|video|tutorial|walkthrough|how-to|help page|"
    r"screenshots?|leaflet|booklet)\b",
    re.I,
)

# a letter that is not part of an escape such as \\W or \\S: the source is not all lower case
_UPPER_LETTER = re.compile(r"(?<!\\)(?:\\\\)*[A-Z]")


def lowercase_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same case-insensitive pattern compiled case-sensitively, for lower-cased text.

    Python's ``re`` folds the case of every character it compares under IGNORECASE, which makes
    the catalogue's long alternations about three times slower than the same search on text
    lowered once. A sentence whose lowering keeps its length (nearly all) is searched with the
    twin; offsets are then the sentence's own. ``None`` when the source holds an upper-case
    letter outside an escape, which the twin would no longer match.
    """
    cached = _TWINS.get(id(pattern))
    if cached is None or cached[0] is not pattern:
        source = pattern.pattern
        ok = bool(pattern.flags & re.IGNORECASE) and not _UPPER_LETTER.search(source)
        flags = pattern.flags & ~re.IGNORECASE
        cached = (pattern, re.compile(source, flags) if ok else None)
        _TWINS[id(pattern)] = cached
    return cached[1]


@dataclass(frozen=True)
class Signals:
    suggestion: bool
    howto: bool
    question: bool
    complaint: bool
    praise_only: bool
    voluntary: bool
    broken_promise: bool
    breach: bool
    strong_emotion: bool
    needs_action: bool
    coming_apart: bool  # Knapp stage on the way down (seed 002)
    first_disagreement: bool  # lifecycle phase (seed 003): the response to an incident decides
    long_term: bool  # lifecycle phase (seed 003): long-term customers expect to be recognised


@dataclass
class Situation:
    """A draft, read: sentences, parts, the customer's reading, signals and findings so far."""

    draft: Draft
    reading: CustomerReading
    sentences: list[Sentence]
    lines: list[Line]
    signature: Signature | None
    greeting: Line | None
    signals: Signals
    found: dict[str, list[Hit]] = field(default_factory=dict)
    # each sentence lower-cased once, for every category's search (see ``lowercase_twin``)
    _lowered: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def reply(self) -> str:
        return self.draft.reply

    @property
    def customer(self) -> str:
        return self.draft.customer_message

    def has(self, category: str) -> bool:
        return bool(self.found.get(category))

    @property
    def resolved(self) -> bool:
        """The reply gives a concrete result: an action done, a next step or a feedback outcome."""
        if any(self.has(c) for c in ("ownership", "specific_next_step", "feedback_outcome")):
            return True
        if ALREADY.search(self.reply) or any(DONE.search(x.text) for x in self._not_refusals()):
            return True
        if SENT.search(self.reply) and ASKED_TO_SEND.search(self.customer):
            return True
        return self.answered

    def _not_refusals(self) -> list[Sentence]:
        """Sentences not found to refuse or blame ("the case has been closed" is no action)."""
        spans = [
            (h.start, h.end)
            for name in ("dismissal", "blame_shifting")
            for h in self.found.get(name, [])
            if h.start is not None and h.end is not None
        ]
        return [x for x in self.sentences if not any(a < x.end and x.start < b for a, b in spans)]

    @property
    def answered(self) -> bool:
        """A how-to or a plain question answered with instructions or facts.

        A suggestion is never "answered" by instructions (that is the workaround trap), and a
        complaint phrased as a question ("why is it so hard??") is not answered by facts.
        """
        sig = self.signals
        plain_question = sig.question and "complaint" not in self.reading.intents
        if sig.suggestion or not (sig.howto or plain_question):
            return False
        flagged = [
            (h.start, h.end)
            for name, hits in self.found.items()
            if name in IRRITANTS
            for h in hits
            if h.start is not None and h.end is not None
        ]
        body = [
            x
            for x in self.sentences
            if not self.in_signature(x.start)
            and not any(a < x.end and x.start < b for a, b in flagged)
        ]
        return any(INSTRUCTION.search(x.text) for x in body)

    def operator_act(self, hit: Hit) -> bool:
        """The hit's sentence reports what the operator did on the matter ("Separately, I've
        reported the fuel payments as a data error …", "I've raised it with ParentPay, …").

        Such a sentence tells the customer nothing to do and nothing about their competence, so
        it cannot carry an instruction-shaped irritant (patronising, an unsolicited workaround)
        whatever word inside it looks like one. Sending or attaching information is not an act
        on the matter (the ownership rule): "I've attached our beginner's guide" stays judged.
        """
        if hit.start is None or hit.end is None:
            return False
        text = self.reply[hit.start : hit.end]
        return OPERATOR_ACT.search(text) is not None and INFO_OBJECT.search(text) is None

    def in_signature(self, offset: int) -> bool:
        return self.signature is not None and offset >= self.signature.start

    def sentence_hits(
        self, pattern: re.Pattern[str] | None, severity: Severity, reason: str = "default"
    ) -> list[Hit]:
        """One hit per sentence holding a match of ``pattern``, spanning the sentence."""
        if pattern is None:
            return []
        twin = lowercase_twin(pattern)
        if self._lowered is None:
            self._lowered = [s.text.lower() for s in self.sentences]
        hits: list[Hit] = []
        for s, low in zip(self.sentences, self._lowered, strict=True):
            if twin is not None and len(low) == len(s.text):
                m = twin.search(low)
            else:
                m = pattern.search(s.text)
            if m:
                hits.append(Hit(s.start, s.end, severity, reason, s.text[m.start() : m.end()]))
        return hits

    def values(self) -> dict[str, str]:
        reading = self.reading
        intent = {
            "suggestion": "a suggestion",
            "complaint": "a complaint",
            "cancellation": "a cancellation",
            "billing": "a billing question",
            "question": "a question",
            "praise": "praise",
        }.get(reading.primary_intent, "a message")
        emotion = "" if reading.emotion == "neutral" else reading.emotion
        return {"intent": intent, "emotion": emotion, "name": self.customer_name or "the customer"}

    @property
    def customer_name(self) -> str | None:
        if self.greeting is None:
            return None
        span = greeting_name(self.greeting.text)
        return self.greeting.text[span[0] : span[1]] if span else None


def build_situation(draft: Draft, reading: CustomerReading) -> Situation:
    lines = lines_of(draft.reply)
    signature = find_signature(draft.reply, lines)
    greeting = next(
        (
            x
            for x in lines[:3]
            if not is_valediction(x.text) and (greeting_name(x.text) or generic_greeting(x.text))
        ),
        None,
    )
    return Situation(
        draft=draft,
        reading=reading,
        sentences=split_sentences(draft.reply),
        lines=lines,
        signature=signature,
        greeting=greeting,
        signals=read_signals(draft, reading),
    )


def read_signals(draft: Draft, reading: CustomerReading) -> Signals:
    text = draft.customer_message
    earlier = " \n".join(t.text for t in draft.context if t.direction == "inbound")
    outbound = " \n".join(t.text for t in draft.context if t.direction == "outbound")
    rel = draft.relationship
    intents = set(reading.intents)
    broken = bool(SIGNALS["broken_promise"].search(text)) or rel.broken_promises > 0
    broken = broken or bool(outbound and SIGNALS["broken_promise"].search(earlier))
    breach = broken or bool(SIGNALS["accusation"].search(text)) or rel.admitted_mistakes > 0
    threshold = STRONG_EMOTION - (0.1 if rel.recent_complaints >= 2 else 0.0)
    strong = reading.negative and reading.intensity >= threshold
    complaint = "complaint" in intents or broken or (reading.negative and reading.intensity >= 0.6)
    suggestion = "suggestion" in intents
    howto = bool(SIGNALS["howto"].search(text))
    action = complaint or suggestion or "cancellation" in intents
    action = action or bool(SIGNALS["request"].search(text))
    return Signals(
        suggestion=suggestion,
        howto=howto,
        question="question" in intents,
        complaint=complaint,
        praise_only=intents <= {"praise", "other"} and "praise" in intents,
        voluntary=bool(SIGNALS["voluntary"].search(text)),
        broken_promise=broken,
        breach=breach,
        strong_emotion=strong,
        needs_action=action and not (intents <= {"praise", "other"} and "praise" in intents),
        coming_apart=(rel.stage or "").lower() in COMING_APART,
        first_disagreement=_phase(rel.phase) == "first_disagreement",
        long_term=_phase(rel.phase) == "long_term",
    )


def _phase(phase: str | None) -> str:
    return (phase or "").lower().replace("-", "_").replace(" ", "_")
