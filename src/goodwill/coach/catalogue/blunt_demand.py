"""Irritant: a demand for payment or action without thanks or context, or with a threat."""

from __future__ import annotations

import re

from goodwill.coach.model import Severity
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, compile_phrases

# a deadline, not any "by" ("listed by name")
DEADLINE = (
    r"(?:within (?:\d+|a|one|two|three|seven|fourteen|the next)|no later than|by (?:the \d|\d|"
    r"return|tomorrow|today|the end|end of|close|noon|midday|\w+day\b|(?:jan|feb|mar|apr|may|jun|"
    r"jul|aug|sep|oct|nov|dec)\w*)|before (?:the \d|\d|the end|\w+day\b|your (?:next|first) "
    r"\w+))"
)
# Shapes of a demand, whatever the words: the penalty as the other branch of an instruction
# ("…, otherwise further charges will apply"), a penalty the customer "incurs", an obligation
# with an adverb in it ("must also be paid in full before …").
PENALTY = (
    r"(?:or|otherwise),? (?:\w+ ){0,3}?(?:charges?|fees?|interest|penalt(?:y|ies)|surcharges?|"
    r"costs) (?:will|may|would|can) (?:apply|be (?:added|applied|charged|incurred|due))",
    r"(?<!not )(?<!n't )(?:incur|incurs|attract|attracts) (?:a|an) (?:[\w£$€.,-]+ ){0,3}?(?:fee|"
    r"charge|penalty|surcharge)",
)
SHAPES = (
    *PENALTY,
    r"(?:must|should|needs? to|has to) (?:also |still |first |then |now )+be (?:paid|settled|"
    r"received|returned|submitted|provided|completed|cleared|sent)",
)
THREAT = compile_phrases(
    (
        *PENALTY,
        r"failure to (?:pay|do so|comply|respond|make payment|provide)",
        r"(?:will|may|could) (?:result in|lead to)",
        r"(?:will|may) be (?:suspended|disconnected|closed|terminated|cut off|restricted|cancelled|"
        r"charged|reported|passed)",
        r"summons|court (?:costs|action|proceedings)|bailiffs?|enforcement agents?",
        r"otherwise (?:your|the) (?:\w+ ){0,2}(?:will|may) be",
        r"debt (?:recovery|collection)|recovery action|collections? (?:agency|partner)|"
        r"credit reference agencies|to avoid (?:late|arrears|further|a lapse|your account)",
        r"will incur|or the full (?:price|amount)",
        # a penalty as the condition's other branch: "to avoid a fee", "or a fee will be added"
        r"to avoid (?:a |an |any |the )?(?:[\w-]+ ){0,3}(?:fee|charge|penalty|action|interest|"
        r"costs?|suspension|disconnection|surcharge)",
        r"(?:or|otherwise) (?:a|an|the|your|we) [^.!?]{0,60}?(?:will|may|would) (?:be )?(?:added|"
        r"charged|applied|taken|collected|renew|lapse|expire|close|suspend|cancel|pass|refer)",
        # after an obligation, whatever the "or" branch does is the penalty
        r"(?:must|needs? to|required|have to|has to)\b[^.!?]{0,80}?,? (?:or|otherwise) (?:a|an|the|"
        r"your|we|it|this) [^.!?]{0,60}?(?:will|may|would) (?:be )?\w+",
        r"any (?:[\w-]+ ){0,5}(?:will|may) be (?:charged|deducted|debited|recovered|invoiced)",
    )
)
MONEY_OR_ORDER = compile_phrases(
    (
        r"[£$€]\s?\d[\d,.]*|payment|balance|amount|fee|invoice|bill|premium|interest|charges?|arrears|"
        r"owe|debt|deposit|sum",
        r"you must|you are required|we require|must be \w+ (?:[\w£$€.,-]+ ){0,6}?(?:within|by|"
        r"before)",
    )
)
SOFTENER = compile_phrases(
    (
        r"payment plan|instal?ments|spread (?:it|the cost|payments)|no rush|whenever suits|"
        r"if (?:that'?s|it'?s) (?:difficult|hard|tight)|happy to (?:help|arrange|spread)",
    )
)
ASKED_TO_PAY = compile_phrases(
    (
        r"how much (?:do i|will i|is)|what do i owe|when is (?:my|the) (?:payment|bill) due|"
        r"how (?:do|can) i pay",
    )
)


# a rule text as the reason a charge "applies", with nothing asked of the customer: the rule is
# cited instead of owning the decision (blame_shifting's finding), not a demand
RULE_CONSEQUENCE = re.compile(
    r"\b(?:our|the|your) (?:[\w-]+ ){0,2}(?:policy|policies|terms|conditions|rules|contract|"
    r"agreement|t&cs)\b[^.!?]*\b(?:so|therefore|which means|meaning)\b[^.!?]*\b(?:applies|"
    r"apply|is payable|stands|is charged|remains)\b",
    re.I,
)
ASKS = re.compile(r"\b(?:please|you must|you need to|you will need to|kindly)\b", re.I)


def detect(s: Situation, c: Category) -> list[Hit]:
    hits: list[Hit] = []
    thanks = "thank" in s.reply.lower()
    softened = SOFTENER is not None and SOFTENER.search(s.reply) is not None
    asked = ASKED_TO_PAY is not None and ASKED_TO_PAY.search(s.customer) is not None
    # a statute recited ("… is a statutory charge … payable by all liable residents") is one
    # problem, the boilerplate, unless it also threatens
    recited = {h.start for h in s.found.get("irrelevant_boilerplate", [])}
    for h in s.sentence_hits(c.pattern, "medium"):
        sentence = s.reply[h.start or 0 : h.end or 0]
        threat = THREAT is not None and THREAT.search(sentence) is not None
        if not threat and (MONEY_OR_ORDER is None or not MONEY_OR_ORDER.search(sentence)):
            continue
        if not threat and (asked or (thanks and softened) or h.start in recited):
            continue
        if not threat and RULE_CONSEQUENCE.search(sentence) and not ASKS.search(sentence):
            continue
        if s.signals.voluntary:
            hits.append(Hit(h.start, h.end, "high", "voluntary", h.trigger))
        else:
            severity: Severity = "high" if threat and s.signals.strong_emotion else "medium"
            hits.append(Hit(h.start, h.end, severity, "threat" if threat else "default", h.trigger))
    return hits


CATEGORY = Category(
    name="blunt_demand",
    kind="irritant",
    order=31,  # before blame_shifting, which leaves a demand's sentence to it
    summary="Payment or action demanded without thanks, reason or options, or backed by a threat; "
    "worst when it answers something the customer did voluntarily (seed 003: meter readings "
    "answered with payment demands).",
    detect=detect,
    phrases=(
        *SHAPES,
        r"(?:you must|you are required to|you need to|you will need to|we require you to) (?:pay|"
        r"settle|clear|make (?:a |the )?payment|complete|return|upload|provide|send|submit|visit)",
        r"(?:must|should) be (?:paid|settled|received|returned|submitted|provided|completed|"
        r"cleared|sent)",
        r"(?:is|are) (?:now |still )?(?:due|payable|overdue)\b|(?:payable|due) (?:in full|"
        r"immediately|within|by|for payment)|remains? due",
        r"(?:please )?(?:pay|settle|clear) (?:the|your|this) (?:outstanding |overdue |remaining |"
        r"full )?(?:balance|amount|invoice|bill|arrears|sum|debt|fee)",
        r"you (?:now )?owe|arrears of|failure to (?:pay|do so|comply|respond|make payment|provide)",
        r"(?:your )?(?:account|service|supply|claim|request) (?:will|may) be (?:suspended|"
        r"disconnected|closed|terminated|cut off|restricted|cancelled)",
        r"otherwise (?:your|the) (?:\w+ ){0,2}(?:will|may) be",
        r"(?:or|otherwise) the full (?:price|amount)[^.!?]{0,30} (?:will|may) be charged",
        r"(?:pass|passed|refer|referred) (?:this |your account )?to (?:a |our )?(?:debt|collection|"
        r"recovery)|debt recovery|recovery action",
        r"(?:late|overdue|unpaid) (?:payments?|invoices?|balances?) (?:will|are|may)",
        r"(?:a|an|the) (?:[£$€][\d.,]+ )?(?:\w+ )?fee (?:of [£$€][\d.,]+ )?(?:applies|is payable|"
        r"will be charged|must be paid)|fee of [£$€][\d.,]+ (?:applies|must|will|is)",
        r"we (?:will )?require (?:a|an|the|immediate|full|you|original|all|your|proof|evidence|"
        r"copies|payment)",
        # a condition the customer must meet before we do anything
        r"before (?:any|the|your|we) (?:\w+ ){0,2}(?:can|will|may) (?:be )?(?:processed|made|"
        r"released|progressed|considered|reviewed|closed|handled|actioned|paid|looked at)",
        r"may be reported to credit reference agencies",
        r"(?<!nothing )(?<!never )(?:should|must|needs? to) be (?:settled|paid|cleared)(?: by "
        r"return| immediately| in full| within| by| before)?",
        # a legal or collection consequence held over the customer ("any arrears will result in a
        # summons and additional court costs")
        r"(?:will|may|could|would) (?:result in|lead to) (?:a |an |further |legal )?"
        r"(?:[\w-]+ ){0,2}(?:summons|court|legal action|proceedings|bailiffs?|enforcement "
        r"(?:agents?|action)|disconnection|debt collect\w+|collection agenc\w+|default notice|"
        r"county court)",
        r"by return|(?:is|are) due (?:for payment|in full|immediately|now)",
        r"you (?:must|will need to|need to) (?:contact|obtain|provide|send|complete|return|visit|"
        r"submit|attend)",
        # an obligation with a deadline, whatever the verb ("must be made within 10 days")
        r"(?:is|are) required (?:within|by|before|in full|immediately|no later)",
        rf"(?:must|should|needs? to|has to) be (?:\w+ed|made|paid|done) (?:in full )?{DEADLINE}",
        # … with the penalty as the other branch ("… within 7 days or a fee will be added")
        rf"you (?:must|are required to|have to) [\w-]+ (?:[\w£$€.,-]+ ){{0,6}}?{DEADLINE}"
        r"[^.!?]{0,40}?,? (?:or|otherwise)\b",
        r"(?:please )?(?:ensure|make sure) [^.!?]{0,60}? to avoid",
        r"any (?:[\w-]+ ){0,5}(?:will|may) be (?:charged|deducted|debited|recovered|invoiced)",
        r"(?:^|please |kindly )(?:provide|send|return|submit|pay|complete|sign) [^.!?]{0,60}? "
        r"within \d+ "
        r"(?:working |business |calendar )?days",
    ),
    examples=(
        "Based on this reading your account is in arrears of £212.40, which must be paid within "
        "14 days.",
    ),
    explanations={
        "default": "The demand (“{trigger}”) arrives without thanks, reason or options, so {name} "
        "is treated like a debtor rather than a customer.",
        "threat": "A threat (“{trigger}”) in a reply to {name} turns a billing matter into a "
        "confrontation.",
        "voluntary": "{name} did this on their own initiative; answering it with a demand "
        "(“{trigger}”) punishes the helpful act, like the meter readings answered with payment "
        "demands in seed 003.",
    },
    suggestions={
        "default": "Thank them first, explain the amount, and offer fair terms (a date that "
        "suits, instalments).",
        "threat": "Drop the threat; state the amount, the reason and the options, and offer help.",
        "voluntary": "Start with thanks for what they did, then explain the balance and offer "
        "fair payment terms.",
    },
)
