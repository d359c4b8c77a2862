"""Strength: says what happens to the customer's suggestion and how they will hear back."""

from __future__ import annotations

import re

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, compile_phrases

FOLLOW_BACK = compile_phrases(
    (
        r"(?:i|we)(?:'ll| will) (?:personally )?(?:let you know|tell you|update you|email you|"
        r"message you|text you|write (?:back )?to you|write back|come back to you|confirm|keep you "
        r"(?:posted|updated|informed)|be in touch|notify you|check in)",
        r"you(?:'ll| will) (?:\w+ ){0,2}(?:hear|get an? (?:email|notification|message|invitation|"
        r"update|in-app message)|receive|be notified|be the first|be able to try)",
        r"(?:subscribed|added) you|added (?:you|your (?:name|email|vote|account|workspace|request|"
        r"use case|mobile number|number))|put your name|your name on|flagged your account",
        r"(?:email|text|message|write to) you (?:when|once|the (?:day|moment))",
        r"is (?:already )?live",
    )
)
DATED_STATUS = re.compile(
    r"(?:planned|due|launch\w*|coming|arriv\w*|release|ship\w*|live|available|scheduled|"
    r"roll(?:ed|ing)? out|reach\w*|ready|"
    r"expected|introduced|switched on|go(?:es)? live|in (?:the )?\w+ (?:update|release)|tested|"
    r"trialled|piloted|turn(?:ed)? (?:it|them) on|agenda|meeting)"
    r"[^.!?]{0,60}\b(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|spring|summer|autumn|winter|next (?:month|quarter|week|year)|this "
    r"(?:month|year)|\d{1,2}(?:st|nd|rd|th)?|end of|quarter|q[1-4]|v?\d+\.\d+)",
    re.I,
)


ABOUT_AN_IDEA = re.compile(
    r"\b(?:idea|suggestion|request|feature|feedback|vote|roadmap|release|update|beta|launch)", re.I
)


def detect(s: Situation, c: Category) -> list[Hit]:
    hits = s.sentence_hits(c.pattern, "high" if s.signals.suggestion else "medium")
    if not s.signals.suggestion:
        hits = [h for h in hits if ABOUT_AN_IDEA.search(s.reply[h.start or 0 : h.end or 0])]
    if not hits:
        return []
    follow = FOLLOW_BACK is not None and FOLLOW_BACK.search(s.reply) is not None
    dated = [h for h in hits if DATED_STATUS.search(s.reply[h.start or 0 : h.end or 0])]
    return hits if follow else dated


CATEGORY = Category(
    name="feedback_outcome",
    kind="strength",
    order=30,
    summary="Tells the customer what happens to their suggestion and how they will hear back.",
    detect=detect,
    phrases=(
        r"(?:i|we)(?:'ve| have)(?: now| also| just| already)? (?:added|logged|passed|shared|sent|"
        r"forwarded|raised|submitted|recorded|noted|put|flagged|registered|tagged)"
        r"(?: (?:it|this|them|your (?:\w+ )?(?:idea|suggestion|request|feedback|vote|comments?|"
        r"use case|name|message|note|description|account|workspace)))?[^.!?]{0,40}"
        r"(?:product|design|development|engineering|roadmap|ideas?|feature|board|list|backlog|"
        r"spec|review|team|manager|beta|launch|early[- ]access|release|request)",
        r"(?:is|are|it'?s|they'?re|this is)(?: already| now| currently)? (?:on (?:our|the) roadmap|"
        r"planned|scheduled|in (?:development|design|testing|beta|the works|progress)|being "
        r"(?:built|developed|introduced|trialled|tested|produced|added|made|rolled out|written)|"
        r"coming|launching|due|arriving|"
        r"part of (?:our|the) (?:\w+ )?update)",
        # a change announced with the date it starts: "from 1 December every patient will get …"
        r"(?:from|starting|as of|beginning) (?:\d{1,2}(?:st|nd|rd|th)? \w+|next \w+|(?:january|"
        r"february|march|april|may|june|july|august|september|october|november|december)\b"
        r"(?: \d{1,2})?),? (?:every|all|each|our|the|your) [^.!?]{0,50}?\bwill\b",
        r"(?:aren'?t|isn'?t|is not|are not) planned[^.!?]{0,80}(?:but|because)",
        r"(?:is|are) (?:already )?in development|(?:launch|launches|ships?|goes live|arrives?) "
        r"(?:in|on|at|this|next)",
        r"(?:team|manager) (?:is|are) (?:looking at|reviewing|tracking|trialling|adding|"
        r"rebuilding)",
        r"(?:i|we)(?:'ve| have) (?:linked|tagged|attached|put) (?:it|this|your (?:\w+ )?(?:idea|"
        r"request|suggestion|name|vote))",
        r"(?:is|are) (?:being )?(?:designed|discussed|considered|reviewed|explored|scoped)\b",
        r"(?:the|our) (?:\w+ )?(?:team|partners|manager|board|managers) (?:is|are|will be) "
        r"(?:discussing|considering|reviewing|looking at|exploring)",
        r"on (?:our|the) (?:roadmap|backlog|plan)\b",
        # Fifth pass: the idea taken to the place where it is decided ("putting it to the library
        # management meeting on 12 November", "I'll put the proposal on the agenda for the AGM"),
        # or switched on or tried out for them ("will turn them on at the start of next half
        # term", "It will be tested on your shipments from 14 April")
        r"(?:putting|put|taking|take|bringing|bring|presenting|present|raising|raise) (?:it|this|"
        r"them|(?:the|your) (?:idea|suggestion|proposal|request)(?: and [\w ]{1,20}?)?) (?:to|"
        r"before|on the agenda (?:of|for|at)) (?:the|our|next|this) (?:[\w\x27’-]+ "
        r"){0,3}?(?:meeting|"
        r"committee|board|agm|panel|review|forum|council)\b",
        r"will (?:turn|switch) (?:it|them|this|these) on\b|(?:it|this|they) will be (?:tested|"
        r"trialled|piloted|switched on|turned on|enabled) (?:\w+ ){0,4}?(?:from|on|in|at|by|"
        r"starting)\b",
        # who decides on it, and when
        r"(?:team|manager|board|partners|committee|panel) (?:reviews?|considers?|looks? at|"
        r"discuss(?:es)?|meets?|decides?|will (?:review|consider|decide|discuss))\b",
    ),
    examples=(
        "I've added your idea to our product board; the team reviews new ideas every second "
        "Tuesday and I'll email you their decision.",
    ),
    explanations={
        "default": "Saying where the idea went and when {name} will hear back closes the feedback "
        "loop.",
    },
    suggestions={"default": "Keep the promise of a follow-up and put it in your calendar."},
)
