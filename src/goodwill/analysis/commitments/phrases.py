"""What a promise looks like in a company reply: subjects, future forms, and what is no promise.

A promise is a clause whose subject is the writer (``I``: owner ``agent``) or the company or one
of its people, teams or things for the customer (``we``, ``our engineers``, ``a technician``,
``your refund``: owner ``company``), followed by a future form (``will``, ``'ll``, ``am going
to``, ``shall``) and an action. ``let me …`` and ``I promise …`` are promises of the writer;
``you'll receive / get / see / hear`` is the company's promise worded from the customer's side.
"""

from __future__ import annotations

FUTURE = r"(?:\s+will|'ll|\s+shall|\s+(?:am|are|is)\s+going\s+to|'(?:m|re|s)\s+going\s+to)"
ADVERBS = r"(?:\s+(?:personally|also|definitely|certainly|then|now|first|immediately|gladly))*"

#: A word of a noun phrase: not a pronoun or a conjunction (they start a new clause).
_NOUN = r"(?!(?:and|but|or|so|then|i|we|you|they|he|she|it|that|which)\b)[\w-]+"

#: Subjects, most specific first. ``owner`` is read from the group that matched.
SUBJECTS = (
    r"(?P<agent>\bI)" + FUTURE,
    r"(?P<company>\bwe)" + FUTURE,
    rf"(?P<np>\b(?:the|a|an|our|your|my)\s+(?:{_NOUN}\s+){{0,3}}?{_NOUN})" + FUTURE,
    r"(?P<elided>\b(?:and|then)\s+will)",
)
PROMISE = r"(?P<promise>\bI\s+promise(?:\s+(?:that|you))?)"
LET_ME = r"(?P<letme>\blet\s+(?:me|us)\s+(?!know\b)(?=\w))"
YOU_RECEIVE = (
    r"(?P<you>\byou(?:(?:\s+will|'ll)\s+(?:receive|get|see|hear|have\s+(?!to\b)|be\s+"
    r"(?:refunded|credited|contacted|notified|sent|emailed|called))|\s+can\s+expect\b))"
)

#: After the future form: these words make the clause no promise.
NOT_AN_ACTION = (
    r"\s+(?:not|never|no\s+longer|try|attempt|hope|aim|need|have\s+to|want|like|"
    r"be\s+(?:out|away|off|unavailable|closed|on\s+leave|on\s+holiday|happy|glad|pleased|"
    r"delighted|unable))\b"
)

#: A sentence opening like this is a condition, not a promise.
CONDITIONS = r"^\W*(?:if|when|whenever|once|unless|in\s+case|should|as\s+long\s+as)\b"

#: Words an abbreviation ends with: no sentence break after them.
ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "no",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "approx",
        "dept",
        "ref",
        "inc",
        "ltd",
        "co",
        "jr",
        "sr",
        "a.m",
        "p.m",
    ]
)
