"""Readers: what the customer's message is about (intents) and how they feel (emotion).

The coach judges a draft against a :class:`~goodwill.coach.model.CustomerReading`; where it comes
from is pluggable: :class:`AnalysisReader` reads it from the message pipeline of
:mod:`goodwill.analysis`, :class:`InterimReader` from a small lexicon.

``InterimReader`` is an INTERIM stand-in and, for now, the default (:data:`DEFAULT_READER`). The
analysis pipeline now reads the seed suggestion as a suggestion, but measured on every labelled
set the coach still does better with the interim reader (2026-12-03, `bench/coach_quality.py`
against `--reader analysis`: irritant recall 0.97 against 0.88 on dev, 0.94 against 0.88 on the
hold-out; the analysis reader reads many angry complaints as "surprise" or "neutral", so
missing empathy goes unseen). Switch the default to ``"analysis"`` when it measures at least as
well. The interim reader is deliberately simple and is not meant to become a second
message-understanding component; every verdict names its reader (``CustomerReading.source``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, Literal, Protocol

from goodwill.coach.model import NEGATIVE_EMOTIONS, CustomerReading, Turn
from goodwill.errors import InvalidInput

log = logging.getLogger(__name__)


class CustomerReader(Protocol):
    name: str

    def read_batch(
        self, messages: Sequence[str], threads: Sequence[Sequence[Turn]]
    ) -> list[CustomerReading]: ...


def _bank(table: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    return {
        label: re.compile(r"(?<![\w])(?:" + "|".join(phrases) + r")(?![\w])", re.I)
        for label, phrases in table.items()
    }


# INTERIM: intent phrases, used only while goodwill.analysis is unavailable.
INTERIM_INTENTS = _bank(
    {
        "question": (
            r"(?:how|what|when|where|why|which|who) (?:do|does|did|can|could|should|is|are|was|"
            r"will|would|long|much|many|happens)",
            r"(?:can|could|do|should|am|is) i\b",
            r"is (?:there|it) ",
            r"i (?:was wondering|would like to know|need to know)",
        ),
        "complaint": (
            r"complain\w*|fraud\w*|unacceptable|ridiculous|disgraceful|appalling|outrag\w+|disgust\w*|"
            r"furious|livid|fuming|fed up|sick of|had enough|not impressed|not happy|not fair|"
            r"unfair|a joke|scam|theft|ripped off|conned|misled|misleading|rude\w*|"
            r"incompetent|useless|terrible|awful|horrible|worst|humiliat\w+|disappoint\w+|"
            r"frustrat\w+|annoy\w+|upset|angry|punish\w*",
            r"(?:still|yet) (?:not|no|nothing|haven't|hasn't|can't|waiting|getting)",
            r"(?:second|third|fourth|fifth) (?:time|month)|again\b|every time",
            r"(?:never|didn't|did not|hasn't|haven't|wasn't|weren't) (?:arrive|arrived|come|came|"
            r"turn(?:ed)? up|show(?:ed)? up|call(?:ed)?|rang|got back|received|been (?:paid|"
            r"fixed))",
            r"(?:no one|nobody|no-one) (?:has |had )?(?:told|called|contacted|replied|got back|"
            r"answers|answered|came|turned up|can tell)",
            r"(?:charged|billed|sent) (?:me )?(?:twice|double|the wrong|incorrectly)",
            r"(?:wrong|damaged|broken|cracked|smashed|faulty|filthy)\b|(?:was|were|been|got) "
            r"(?:lost|cancelled)|(?:is|are|went) missing",
            r"(?:doesn't|does not|didn't|won't|isn't|is not|keeps?) (?:work\w*|load\w*|crash\w*|"
            r"accept\w*|logging)",
            r"(?:down|unusable|not working|stopped working|failed|failing)\b",
            r"how is (?:that|this) (?:allowed|acceptable|fair|legal|possible)",
            r"(?:charged|billed|bill|invoice|fee)[^.?!]{0,60}(?:but|even though|although) (?:i|we)",
            r"shouted|yelled|swore at|rolled (?:her|his) eyes",
            r"i want (?:it|this|my money|a refund|you to|an explanation)",
            r"(?:no one|nobody|no-one) (?:does|ever|did)\b",
            # how they are treated, and the threat to leave
            r"(?:is this|this is) how (?:you treat|i'?m treated|i am treated|(?:loyal |long\w* )?"
            r"customers are treated)|(?:or|otherwise) (?:i'?m|i am|we'?re|we are|i'?ll be) (?:off|"
            r"leaving|gone|cancelling|switching|taking my)",
            r"you (?:promised|said you would|told me)|i was told",
            r"broke|(?:has|have) stopped|nothing (?:has|have) (?:\w+ed|arrived|worked|come)|"
            r"missed (?:\w+ )?(?:orders|collections|deliveries|appointments|payments|flights)|"
            r"can'?t (?:continue|go on)|piling up|(?:losing|lost|costing) (?:us |me )?(?:money|"
            r"customers|clients|business|orders|sales|work|income)|sort (?:it|this) out",
        ),
        "suggestion": (
            r"suggest\w*|feature (?:request|idea)|(?:small |quick )?idea\b",
            # a request announced as such: "One request: …", "Wish list: …"
            r"(?:^|(?<=[.!?:]\s)|(?<=\n))(?:(?:one|a|small|quick|little|big|just one|my) )?"
            r"(?:request|wish(?:list| "
            r"list)?|proposal)\s*[:\-–]",
            r"(?:it|that|this) would (?:really |so |also )?(?:help|make (?:life|things|it) "
            r"(?:a lot )?(?:easier|simpler))(?: \w+)? if",
            r"(?:it|that|this) would be (?:really |so |very |super |incredibly )?(?:great|nice|"
            r"good|"
            r"helpful|useful|handy|lovely|brilliant|better|easier|amazing) (?:if|to)",
            r"(?:other|most|many) (?:banks|apps|providers|companies|airlines|networks|suppliers|"
            r"practices|retailers|insurers|shops) (?:already )?(?:do|offer|have|let|give)",
            r"(?:could|can|would|will) you (?:please )?(?:ever )?(?:add|consider|introduce|make|"
            r"build|offer|let|allow|support|show|provide|stock|bring back|create|include|"
            r"integrate)",
            r"(?:please|pls) (?:add|consider|introduce|make|build|offer|let|allow|support|show|"
            r"provide|stock|bring back|stop charging|give|include|start)",
            r"would you (?:ever )?consider|any chance (?:you|of)|any plans (?:for|to)|"
            r"(?:is|are) (?:that|it|this|they) on (?:the|your) roadmap",
            r"(?:is|would) it (?:be )?possible (?:to|for you to) (?:add|have|get|offer|show|let|"
            r"make|choose|see)",
            r"i'?d love (?:a|an|to see|it if|the option)|(?:i|we) wish (?:you|there|the app|it)",
            r"(?:you|they) should (?:make|add|offer|let|have|stop|start|bring|really)",
            r"(?:could|can) (?:the app|it|your app|your website|we) (?:show|have|let|add|include|"
            r"display|compare|send)",
            r"would love (?:it )?if|would love (?:a|an|to)\b|(?:please,? )+(?:please )?(?:add|make|"
            r"let|allow|support|bring|consider|offer)\b",
            r"(?:an?|the) (?:option|ability|setting|feature|filter|button) to\b",
            r"(?:could|can) (?:you|the app|we|it) (?:show|let|have|get|display|include|start)\b",
            r"(?:maybe|perhaps|how about|what about) (?:add|adding|offer|offering|having|"
            r"introduc\w+|bring\w*|includ\w+|a few|some more|more)\b",
        ),
        "praise": (
            r"thank you so much|thanks so much|many thanks to|(?:please )?pass on (?:our|my) "
            r"thanks|please (?:thank|tell) (?:them|him|her)|well done|brilliant|amazing|"
            r"excellent|fantastic|wonderful|impressed|so kind|lovely|love the|loving the|"
            r"great (?:service|job|work)|just (?:wanted|want) to (?:say|pass|let you know)",
            r"(?:really|much|very much|greatly) appreciated|(?:thanks|thank you) for (?:\w+ing|"
            r"your help|the (?:help|quick|fast|speedy|great|lovely|kind))",
            r"(?:love|loves|loved) (?:the|it|your|how)|(?:really|so|very) (?:solid|helpful|kind|"
            r"quick|patient|good|easy)|a pleasure|(?:credit|compliments) to|above and beyond|"
            r"made my day|could(?:n'?t| not) be happier",
            # thanks addressed to a person or for how someone behaved
            r"(?:want|wanted|would like|'d like|writing|write) to (?:say (?:a (?:big |huge )?)?)?"
            r"(?:thank|thanks)\b",
            r"(?:a (?:quick )?note|(?:want|wanted|would like|'d like)) to say "
            r"(?:a (?:big |huge )?)?(?:thank|thanks|how)|(?:was|were) (?:so |very |really |"
            r"incredibly |extremely )?(?:kind|helpful|patient|friendly|caring|professional|"
            r"efficient|thorough)\b",
        ),
        "cancellation": (
            r"cancel (?:my|our|the) \w+|close my|(?:want|like) to (?:leave|switch|close|cancel)|"
            r"switch(?:ing)? (?:to another|away|supplier|provider)|not (?:to )?renew|"
            r"terminat\w+|delete my account|(?:we'?ve|i'?ve) decided not to",
        ),
        "billing": (
            r"bills?|billing|billed|invoices?|charges?|charged|refunds?|payments?|paid|pay|fees?|"
            r"prices?|premiums?|direct debit|overdraft|interest|tariff|balance|overcharged|"
            r"renewal|discount|excess|payout|credit",
        ),
    }
)

# INTERIM: emotion cues with a weight each (the strongest cue sets the base intensity).
INTERIM_EMOTIONS: dict[str, dict[str, float]] = {
    "anger": {
        r"furious|livid|fuming|outrag\w+|beyond angry|how dare|disgraceful|scam|theft|"
        r"ripped off|conned|incompetent|a joke|this is a joke|at breaking point|"
        r"(?:looks like|this is|feels like|amounts to) (?:fraud|a scam|theft)|rip-?off": 0.85,
        r"angry|unacceptable|ridiculous|appalling|fed up|sick of|had enough|driving me mad|"
        r"not impressed|misled|punish\w*|annoyed|annoying|frustrat\w+|outrageous|"
        r"end of my tether|not fair|unfair|mad\b|unimpressed|shambles|nightmare|farce|pathetic|"
        r"useless|incompetent|insane|beyond a joke|losing (?:my )?patience|had it with|unhappy|"
        r"(?:really|very|extremely) (?:serious|unhappy)|serious for us|can'?t (?:continue|go on)|"
        r"(?:losing|costing) (?:us |me )?(?:money|customers|clients|business|sales|income)|"
        r"sort (?:it|this) out!|"
        r"absolutely (?:ridiculous|awful|terrible|shocking)|not (?:at all )?(?:acceptable|ok|"
        r"okay|on)\b|(?:at|reached) (?:my|our) wits'? end": 0.65,
        # shapes of distress told without an emotion word: the same contact made again and again,
        # treatment nobody should get, stakes that cannot wait (medicine, a halted business)
        r"(?:second|third|fourth|fifth|sixth|\d+(?:nd|rd|th)) (?:\w+ ){0,2}?(?:time|e-?mail|call|"
        r"letter|message|chaser|handler|adviser|advisor|manager|engineer|visit|attempt|request|"
        r"complaint)s?|(?:exhausted|tired) (?:from|of) (?:repeating|chasing|explaining|calling)|"
        r"never (?:been )?(?:treated|spoken to) like|(?:was|were) (?:so |very |really |extremely )?"
        r"rude|run out of (?:my |our )?(?:\w+ )?(?:medication|medicine|insulin|tablets|pills)|"
        r"(?:line|production|business|site|work) (?:stops|will stop|grinds to a halt)|"
        r"(?:upsetting|a (?:real |huge |big |terrible )?shock)": 0.6,
        r"why is it so hard|what'?s the point|seriously|do you even|not good enough|"
        r"still nothing|(?:second|third|fourth) time|twice (?:now|you)|unusable|useless|"
        r"(?:what|why) (?:on earth )?(?:is going on|am i supposed to do|is it my problem)": 0.55,
    },
    "disgust": {r"disgust\w*|appalled|shameful|vile": 0.8},
    "fear": {
        # "desperate to have a go" is eagerness, not distress
        r"terrified|panick\w*|scared|frightened|desperate(?! to (?:have|try|get|go|see|do|start|"
        r"join|come|meet|learn|play|ride|book|visit|hear)\b)|shaking|worried sick|distraught|"
        r"beyond stressed|at breaking point|out of my mind|frantic|petrified|worried sick|"
        r"sick with worry|freaking out|in a panic|helpless|beside myself|at (?:my|our) wits'? "
        r"end": 0.85,
        r"worried|worrying|anxious|stress\w*|nervous|can'?t sleep|distress\w*|"
        r"don'?t know what to do|please help|what do i do(?! with| about (?:the|my|it)| to | if| "
        r"when| after| before| for)|losing sleep|afraid|unsafe|"
        r"don'?t feel safe|shaken|(?:starting|beginning|begin|start) to (?:worry|panic)|"
        r"(?:a|my|real|big) worry|worries me|worried about|"
        r"(?:please )?(?:can|could|will) (?:someone|somebody|anyone|you) (?:please )?help|"
        r"(?:getting|feeling|is|he'?s|she'?s) (?:very |so |really )?(?:low|frail|unwell|poorly|"
        r"weak)": 0.6,
        r"concerned|a bit worried|a bit anxious|bit of a worry|uneasy": 0.4,
    },
    "sadness": {
        r"devastated|heartbroken|in tears|humiliated|passed away|died|"
        r"lost my (?:husband|wife|mum|mother|dad|father|son|daughter)": 0.85,
        r"upset|so disappointed|really disappointed|let down|struggling|sad\b|embarrass\w*|"
        # "forgotten" as neglect ("we've been forgotten"), not "I've forgotten how to"
        r"ruined|(?:been|feel|felt|feeling|being|was|were|get|got|left) (?:\w+ )?forgotten|"
        r"forgotten about (?:us|me)|abandoned|ignored|gutted|crushed|miserable|hurt\b": 0.6,
        r"disappointed|sadly": 0.4,
    },
    "joy": {
        r"thank you so much|delighted|thrilled|wonderful|brilliant|amazing|fantastic|"
        r"love the|loving the|so glad|great news": 0.7,
        r"happy|pleased|great|lovely|impressed|well done": 0.5,
    },
    "surprise": {r"can'?t believe|shocked|astonished|no idea why": 0.5},
}
_EMOTION_BANK = {
    emotion: [(re.compile(r"(?<![\w])(?:" + p + r")(?![\w])", re.I), w) for p, w in cues.items()]
    for emotion, cues in INTERIM_EMOTIONS.items()
}
_INTENSIFIER = re.compile(
    r"\b(?:so|really|extremely|absolutely|completely|totally|utterly|beyond|honestly|"
    r"incredibly|very)\s+(?=\w)",
    re.I,
)
_SHOUT = re.compile(r"\b[A-Z]{4,}\b")
_MITIGATED = re.compile(r"\b(?:a bit|a little|slightly|somewhat|bit of a|bit)\s+\w+", re.I)
_SHOUT_EXEMPT = frozenset({"REST", "HTTP", "JSON", "ISBN", "IBAN", "GDPR", "SAML", "SCIM", "VOIP"})


_NEGATION = re.compile(r"\b(?:not|never|no|n't|nt)\s+(?:\w+\s+)?$", re.I)


def _negated(text: str, start: int) -> bool:
    """A cue denied just before it ("I'm not worried", "never angry") says the opposite."""
    return _NEGATION.search(text[max(0, start - 20) : start].replace("n't", " n't")) is not None


class InterimReader:
    """INTERIM lexicon reader (see the module docstring): intents and emotion from phrases."""

    name = "interim-lexicon"

    def read(self, message: str) -> CustomerReading:
        text = message.replace("’", "'")
        found = {k for k, p in INTERIM_INTENTS.items() if p.search(text)}
        if "?" in text:
            found.add("question")
        emotion, intensity = self._emotion(text, "complaint" in found)
        if {"praise", "complaint"} <= found and _praise_without_contrast(text, emotion):
            found.discard("complaint")  # the hardship told is the one the praised person eased
        intents = tuple(k for k in INTERIM_INTENTS if k in found) or ("other",)
        return CustomerReading(intents, emotion, intensity, self.name)

    def read_batch(
        self, messages: Sequence[str], threads: Sequence[Sequence[Turn]]
    ) -> list[CustomerReading]:
        del threads
        return [self.read(m) for m in messages]

    @staticmethod
    def _emotion(text: str, complaint: bool = True) -> tuple[str, float]:
        best, best_weight, cues = "neutral", 0.0, 0
        for emotion, bank in _EMOTION_BANK.items():
            for pattern, weight in bank:
                found = sum(1 for m in pattern.finditer(text) if not _negated(text, m.start()))
                cues += found if emotion not in ("joy", "surprise") else 0
                if found and weight > best_weight:
                    best, best_weight = emotion, weight
        unquoted = re.sub(r"[\"“”'‘][^\"“”'‘]{1,60}[\"“”'‘]", " ", text)
        shouts = [w for w in _SHOUT.findall(unquoted) if w not in _SHOUT_EXEMPT]
        if best == "neutral":
            loud = len(shouts) >= 2 or any(len(w) >= 5 for w in shouts)
            if loud:
                return "anger", 0.5
            if not re.search(r"[!?]{2,}", text):
                return best, 0.0
            # "??" on a plain question is impatience, not distress the reply must acknowledge
            return "anger", 0.5 if complaint else 0.4
        if best_weight <= 0.65 and _MITIGATED.search(text) and not shouts:
            return best, 0.45
        boost = 0.1 * min(3, len(_INTENSIFIER.findall(text)) + len(shouts) + max(cues - 1, 0))
        boost += 0.1 if re.search(r"[!?]{2,}", text) else 0.0
        return best, round(min(1.0, best_weight + boost), 3)


_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|unfortunately|shame|the only (?:thing|problem|issue)|one "
    r"thing|except|apart from|disappoint\w*)\b",
    re.I,
)


def _praise_without_contrast(text: str, emotion: str) -> bool:
    """A thank-you with no turn against the company ("but…", "one thing…") is praise, even
    when it tells of a hard time (a death, a storm) the praised person made easier."""
    return emotion not in NEGATIVE_EMOTIONS and _CONTRAST.search(text) is None


NEGATIVE = tuple(sorted(NEGATIVE_EMOTIONS))
NEGATIVE_SENTIMENT = 0.6  # sentiment score at or below -0.6 counts as a clearly negative message


class AnalysisReader:
    """Intent and emotion from the message pipeline of :mod:`goodwill.analysis`."""

    name = "goodwill.analysis"

    def __init__(self, pipeline: Any) -> None:
        self._pipeline = pipeline

    def read_batch(
        self, messages: Sequence[str], threads: Sequence[Sequence[Turn]]
    ) -> list[CustomerReading]:
        from goodwill.analysis.base import Message

        batch = [
            Message(
                id=str(i),
                text=text,
                direction="inbound",
                thread=tuple(
                    Message(id=f"{i}.{j}", text=t.text, direction=t.direction)
                    for j, t in enumerate(thread)
                ),
            )
            for i, (text, thread) in enumerate(zip(messages, threads, strict=True))
        ]
        return [self._reading(a.results) for a in self._pipeline.run_batch(batch)]

    def _reading(self, results: dict[str, Any]) -> CustomerReading:
        """The analysis' intent and emotion; its sentiment settles a clearly negative message.

        The emotion head can call an angry complaint "surprise" or "neutral"; when the sentiment
        score is strongly negative, the reading takes the most probable negative emotion with
        the sentiment's strength as intensity.
        """
        intent = results.get("intent")
        emotion = results.get("emotion")
        sentiment = results.get("sentiment")
        labels = tuple(getattr(intent, "labels", ()) or ("other",))
        label = str(getattr(emotion, "label", "neutral"))
        intensity = float(getattr(emotion, "intensity", 0.0))
        score = float(getattr(sentiment, "score", 0.0))
        scores: dict[str, float] = dict(getattr(emotion, "scores", {}) or {})
        if label not in NEGATIVE and score <= -NEGATIVE_SENTIMENT and scores:
            label = max(NEGATIVE, key=lambda k: scores.get(k, 0.0))
            intensity = -score
        return CustomerReading(labels, label, intensity, self.name)


def analysis_reader() -> AnalysisReader | None:
    """The analysis-backed reader, or None when ``goodwill.analysis`` cannot build its pipeline."""
    try:
        import goodwill.analysis as analysis

        factory = next(
            (
                getattr(analysis, name)
                for name in ("default_pipeline", "build_pipeline", "make_pipeline", "pipeline")
                if callable(getattr(analysis, name, None))
            ),
            None,
        )
        if factory is None:
            return None
        try:
            pipeline = factory(embedding=None)  # the coach needs no stored vector
        except TypeError:
            pipeline = factory()
        return AnalysisReader(pipeline)
    except Exception as exc:  # a missing model file or an unfinished package: fall back
        log.info("goodwill.analysis pipeline unavailable (%s); using the interim reader", exc)
        return None


ReaderName = Literal["interim", "analysis", "auto"]
DEFAULT_READER: ReaderName = "interim"


def default_reader(name: ReaderName = DEFAULT_READER) -> CustomerReader:
    """``interim``, ``analysis`` (an error if the pipeline cannot be built), or ``auto``
    (analysis when it can be built, else interim)."""
    if name == "interim":
        return InterimReader()
    reader = analysis_reader()
    if reader is not None:
        return reader
    if name == "analysis":
        raise InvalidInput("reader: goodwill.analysis cannot build its pipeline here")
    return InterimReader()
