"""Irritant: a formulaic closing standing in for a real follow-up."""

from __future__ import annotations

from goodwill.coach.model import Severity
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, compile_phrases
from goodwill.coach.text import Sentence, is_valediction

# Shapes of a closing formula, whatever the words: a cheer or farewell line ("Keep up the great
# learning!", "See you in the arena!", "Happy listening!") and, in the last place before the
# sign-off, thanks for making contact (at the top of a reply the same thanks is an opener).
SHAPES = (
    r"keep up the (?:great|good|amazing|fantastic|brilliant) \w+",
    r"see you (?:in|on|at) the \w+|see you (?:soon|next time|around|again)\b",
    r"happy \w+ing\b\s*(?:[!,]|$)",
    r"enjoy the rest of your \w+",
    # fourth pass: the "any questions" invitation in chat wording
    r"(?:any (?:\w+ )?questions|anything else)[,:]? (?:just )?(?:give (?:me|us) a (?:shout|call|"
    r"ring|bell)|drop (?:me|us) a (?:line|message|note))",
)
CONTACT_THANKS = compile_phrases(
    (
        r"thank(?:s| you)(?: so much| very much)? for (?:contacting|getting in touch|reaching out|"
        r"writing to|your (?:e-?mail|message|enquiry|inquiry|query))\b[^.!?]{0,60}[.!]?$",
    )
)


def detect(s: Situation, c: Category) -> list[Hit]:
    if s.resolved:
        return []
    severity: Severity = "medium" if s.signals.needs_action else "low"
    reason = "suggestion" if s.signals.suggestion else "default"
    hits = s.sentence_hits(c.pattern, severity, reason)
    last = closing_thanks(s)
    if last is not None and all(h.start != last.start for h in hits):
        hits.append(Hit(last.start, last.end, severity, reason, last.text))
    return sorted(hits, key=lambda h: h.start or 0)


def closing_thanks(s: Situation) -> Sentence | None:
    """The reply's last sentence before the sign-off, when it only thanks for the contact."""
    body = [
        x
        for x in s.sentences
        if not s.in_signature(x.start) and not is_valediction(x.text) and x.text.strip()
    ]
    if len(body) < 3 or CONTACT_THANKS is None:
        return None
    last = body[-1]
    return last if CONTACT_THANKS.search(last.text.strip()) else None


CATEGORY = Category(
    name="generic_closing",
    kind="irritant",
    order=70,
    summary="'Let us know if you have any other questions', 'we're happy to help', 'have a great "
    "day' in a reply that gives no concrete result or follow-up.",
    detect=detect,
    phrases=(
        *SHAPES,
        r"let (?:us|me) know if (?:you have |there (?:is|are|'s) )?(?:any(?:thing)? )?(?:other |"
        r"else |further |more )?(?:questions?|queries|concerns|issues|suggestions|thing|anything|"
        r"else|we can|i can|you need|there'?s)",
        r"if (?:you have|there (?:is|are|'s)|you need|you require) (?:any )?(?:other |further |"
        r"more |"
        r"additional )?(?:questions?|queries|help|assistance|information|concerns|ideas|anything)",
        r"(?:we|i)(?:'re| are|'m| am) (?:always |more than |very |only too )?(?:happy|glad|here|"
        r"pleased) to (?:help|assist)|(?:we'?re|we are|i'?m) (?:always )?here (?:to help|for you)",
        r"(?:please )?(?:do not|don'?t) hesitate to (?:contact|get in touch|reach out|ask|call|"
        r"let)",
        r"feel free to (?:contact|reach out|get in touch|ask|let us know|drop us|give us|call|"
        r"e-?mail|message)",
        # always there, a message away: "we're only ever an email away", "always here if you
        # need us"
        r"(?:we'?re|we are|i'?m|i am) (?:only |just )?(?:ever |always )?(?:an? |one )?(?:e-?mail|"
        r"call|phone call|message|click|text) away|(?:we'?re|we are|i'?m|i am) always here (?:if|"
        r"when|whenever|for)\b",
        r"(?:if|should) (?:there'?s|there is|you (?:have|need)) anything else(?: at all)?,? (?:we|"
        r"i|just|please|feel)",
        r"^any (?:other|more|further) (?:questions|queries|problems|issues),? (?:just |please )?"
        r"(?:feel free|let us know|get in touch|give us|drop us|shout)",
        r"let (?:us|me) know if (?:we|i) can (?:help|assist|do) (?:with )?(?:anything|something) "
        r"(?:else|more)",
        r"(?:thank you|thanks)(?: again)? for being (?:a|an|one of (?:our|the)) (?:\w+ ){0,2}"
        r"(?:customer|member|client|supporter|subscriber|guest|patient|passenger|resident)s?\b|"
        r"(?:thank you|thanks)(?: again)? for being part of (?:the|our) ",
        r"(?:we |i )?hope (?:this|that) (?:helps|information is helpful|clarifies|answers|resolves|"
        r"has)",
        r"(?:have|enjoy) a (?:great|nice|wonderful|lovely|good|fantastic|pleasant) (?:day|week|"
        r"weekend|evening)",
        r"(?:is there )?anything else (?:i|we) can (?:help|assist|do)|"
        r"if there'?s anything else (?:we|i) can",
        r"(?:we|i) look forward to (?:hearing from you|helping you|serving you|continuing|welcoming"
        r" you|working with you)",
        r"(?:thank you|thanks)(?: again)? for (?:choosing|shopping with|flying with|banking with|"
        r"insuring with|being a (?:valued|loyal)|your (?:continued )?(?:business|custom|loyalty|"
        r"understanding)|your interest in|being with)",
        r"(?:we|i) thank you for your (?:understanding|patience)|we value your business",
        r"(?:we )?hope (?:you (?:continue to |'ll continue to |are still able to )?enjoy|to "
        r"(?:see|welcome) you)|we hope you'?ll continue",
        r"just give us a shout|(?:should you|if you) (?:require|need) (?:any )?(?:further|more) "
        r"(?:assistance|help)|happy (?:saving|shopping)!",
        r"(?:if you (?:need|have)|should you need) (?:anything|any(?:thing)? (?:else|more|"
        r"further))[^.!?]{0,40}(?:get in touch|contact us|let us know|reach out|ask)",
        r"thanks? (?:again|once again) for (?:getting in touch|contacting us|reaching out)",
        r"regards and thanks? for your (?:patience|understanding|time)",
        r"we hope (?:to hear|you have a|this has|you found)",
    ),
    examples=("Let us know if you have any other questions. We're happy to help.",),
    explanations={
        "default": "“{trigger}” is a formula; with no concrete follow-up in the reply, {name} "
        "hears politeness instead of help.",
        "suggestion": "After a suggestion that got no real answer, “{trigger}” invites more ideas "
        "the company has just shown it will not act on.",
    },
    suggestions={
        "default": "End with the actual next step (who does what, by when), or simply sign off "
        "with your name.",
        "suggestion": "Close by saying when {name} will hear about their idea.",
    },
)
