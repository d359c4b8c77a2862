"""Irritant: thanks or appreciation with no concrete outcome behind it."""

from __future__ import annotations

from goodwill.coach.catalogue import generic_closing
from goodwill.coach.model import Severity
from goodwill.coach.situation import ANY_INCONVENIENCE, Situation
from goodwill.coach.spec import Category, Hit, compile_phrases

PASSED_ON = compile_phrases(
    (
        r"(?:i'?ve|i have|we'?ve|i'?ll|i will) (?:\w+ )?(?:passed|shared|sent|forwarded|"
        r"read (?:it )?out)[^.!?]{0,40}(?:to|with) (?:[A-Z]\w+|the (?:\w+ ){0,2}(?:crew|team|"
        r"driver|engineer|staff|nurses?|doctors?|store|branch)|"
        r"(?:his|her|their) (?:manager|team))",
        r"make sure (?:he|she|they) (?:sees?|gets?|hears?)",
    )
)

# what was said to be noted or passed on: the customer's words, not their data ("your reading")
YOUR_WORDS = (
    r"(?:feedback|comments?|suggestions?|ideas?|complaint|concerns?|views|request|message|thoughts|"
    r"input|e-?mail|letter)"
)
FOLLOWED_BY_ACTION = compile_phrases(
    (
        r"(?:,|;|and|so) (?:we|i|they|the \w+ team)(?:'re| are|'ll| will|'ve| have|'m| am) "
        r"(?:now |already |also )?(?:\w+ing|\w+ed|going to)",
    )
)


def detect(s: Situation, c: Category) -> list[Hit]:
    hits = s.sentence_hits(c.pattern, "low")
    if not hits:
        return []
    severity: Severity = "medium" if s.signals.suggestion or s.signals.strong_emotion else "low"
    out: list[Hit] = []
    closing = generic_closing.CATEGORY.pattern
    for h in hits:
        sentence = s.reply[h.start or 0 : h.end or 0]
        if s.operator_act(h):
            continue  # "I've logged your email as a formal complaint and asked …": an act
        if closing is not None and closing.search(sentence):
            continue  # a closing formula: generic_closing judges it
        last = generic_closing.closing_thanks(s)
        if last is not None and last.start == h.start:
            continue  # thanks for the contact as the last line is a closing formula
        acted = FOLLOWED_BY_ACTION is not None and FOLLOWED_BY_ACTION.search(sentence)
        if acted and not ANY_INCONVENIENCE.search(h.trigger):
            continue  # "I've shared it with the team, and we're adding …": the outcome is here
        if ANY_INCONVENIENCE.search(h.trigger):
            out.append(Hit(h.start, h.end, severity, "formula", h.trigger))
        elif _has_outcome(s):
            continue
        else:
            reason = "suggestion" if s.signals.suggestion else "default"
            out.append(Hit(h.start, h.end, severity, reason, h.trigger))
    return out


def _has_outcome(s: Situation) -> bool:
    if s.has("feedback_outcome"):
        return True
    if s.signals.praise_only:
        return PASSED_ON is not None and PASSED_ON.search(s.reply) is not None
    return not s.signals.suggestion and s.resolved


CATEGORY = Category(
    name="hollow_acknowledgement",
    kind="irritant",
    order=60,
    summary="Thanks, appreciation or 'passed to the team' with nothing said about what happens "
    "next; and the stock apology for 'any inconvenience'.",
    detect=detect,
    phrases=(
        r"(?:we|i) (?:really |truly |greatly |do |very much |always )?(?:appreciate|value) "
        r"(?:your|you|all|the|it)\b[^.!?]{0,60}",
        r"thank(?:s| you)(?: so much| very much| again)? for (?:contacting|getting in touch|"
        r"reaching out|your interest|bringing (?:this|it) to our attention)[^.!?]{0,40}",
        r"thank(?:s| you)(?: so much| very much| again)? for (?:your|the|all|sharing|taking the "
        r"time to (?:share|contact|write|get))[^.!?]{0,20}?(?:feedback|suggestions?|comments?|"
        r"input|thoughts|ideas?|message|e-?mail|enquiry|inquiry|query|letter|patience|"
        r"understanding|request|wishes|views)",
        r"(?:great|good|nice|interesting|lovely) (?:idea|suggestion|feedback)!",
        r"your (?:feedback|opinion|input|comments|satisfaction|views?|suggestion|custom)(?: (?:is|"
        r"are)"
        r"| matters?)(?: (?:very|extremely|really|always))? ?(?:important|valuable|valued|"
        r"appreciated|"
        r"our top priority|to us)?",
        r"(?:customer|your) satisfaction is (?:our|very) (?:top |number one )?(?:priority|"
        r"important)",
        r"we(?:'re| are) always (?:looking for ways|keen) to improve|we welcome all (?:suggestions|"
        r"feedback|comments)|we value all (?:comments|feedback)|we love hearing from",
        r"(?:we|i)(?:'ve| have| will|'ll)? (?:pass(?:ed)?|forward(?:ed)?|share(?:d)?|"
        r"submit(?:ted)?|"
        r"sen[dt]) (?:it|this|them|your \w+|the \w+)?(?: on)? ?(?:on )?(?:to|with) (?:our|the) "
        r"(?:\w+ ){0,3}(?:team|department|people|colleagues)",
        rf"(?:which|this|it|your (?:\w+ )?{YOUR_WORDS})(?:'s| has| have)? (?:been|is|are) (?:noted|"
        r"logged|passed on|"
        r"forwarded|shared|recorded)|(?:has|have) been (?:passed|forwarded|shared) (?:on|with)",
        # Fifth pass: handed to a recipient nobody can name ("passed to the appropriate team"),
        # or fed back so that someone "is aware", with nothing said to follow
        r"(?:passed|forwarded|sent|referred|handed) (?:on )?to (?:the|our) (?:appropriate|relevant|"
        r"right|correct|responsible|proper) (?:team|department|people|person|colleagues?)",
        r"(?:i|we)(?:'ve| have)? fed (?:this|it|that|your \w+) back\b[^.!?]{0,40}",
        r"(?:we|i)(?:'ve| have)? (?:noted|taken note of|logged)(?: down)? (?:your|the|it|this)|"
        r"we'?ve noted it|noted it down|(?:we'?ll|we will|i'?ll|i will) (?:certainly |definitely )?"
        r"(?:keep|bear) (?:it|this|that|your \w+) in mind",
        r"(?:we |i )?(?:apologi[sz]e|are sorry|am sorry|(?:our |my |sincere )?apologies) for any "
        r"(?:\w+ )?(?:inconvenience|trouble|"
        r"confusion|frustration|disappointment|distress|upset|concern|difficult(?:y|ies)|delay|"
        r"issues?|problems?|misunderstanding|worry|stress)[^.!?]*",
        # thanks for the effort of writing, with nothing about what the message changed
        r"thank(?:s| you)(?: so much| very much| again)? for taking the time(?: to \w+)?"
        r"[^.!?]{0,40}",
        r"(?:it's|it is) (?:always )?(?:great|good|nice|lovely|helpful|useful) to (?:get|hear|"
        r"receive) (?:\w+ ){0,2}(?:ideas|feedback|suggestions|comments|from)",
        r"sorry for any inconvenience[^.!?]*",
        r"(?:thanks|thank you|cheers|many thanks|much appreciated|appreciate(?:d)?)(?: so much| "
        r"very much| a lot| again)?,? (?:for )?(?:the|your|this|all the) (?:\w+ )?(?:idea|"
        r"suggestion|feedback|comments?|input|thoughts|note)\b[^.!?]{0,30}",
        rf"(?:it|this|that|your (?:\w+ )?{YOUR_WORDS})(?:'s| has| have)? been (?:logged|noted|"
        r"recorded|passed on|"
        r"forwarded|shared|raised|submitted)",
        r"(?:we'?re|we are) always (?:keen|happy|glad|pleased|interested) to (?:hear|receive|get)",
        r"(?:we|i) (?:will|'ll) (?:pass|forward|share|feed|send) (?:this|it|your \w+)(?: \w+)? "
        r"(?:on|back|along)\b[^.!?]{0,40}",
    ),
    examples=(
        "Thank you for getting in touch. We appreciate your feedback and wishes.",
        "Your feedback has been passed to the relevant team.",
        "We apologise for any inconvenience caused.",
    ),
    explanations={
        "default": "“{trigger}” thanks {name} but nothing in the reply shows the message changed "
        "anything; on its own it reads as a brush-off.",
        "suggestion": "{name} offered an idea; thanks without saying where it goes or when they "
        "will hear back tells them it went nowhere.",
        "formula": "“{trigger}” is a stock apology: “any” plays down the specific trouble {name} "
        "actually had.",
    },
    suggestions={
        "default": "Replace it with what happens next: who does what, by when.",
        "suggestion": "Say where the idea goes (team, review date) and promise to tell them the "
        "outcome; then the thanks will ring true.",
        "formula": "Apologise for the specific problem (“I'm sorry your parcel arrived three days "
        "late”) or drop the line.",
    },
)
