"""Sentences with their offsets, and the parts of a reply: greeting, body, sign-off, signature.

Offsets always refer to the text as given, so a finding can be highlighted where it was written.
A line break always ends a sentence (e-mails put greetings, list items and signatures on lines of
their own); inside a line, a sentence ends at ``.``, ``!`` or ``?`` followed by a space and a
capital, a digit or a quote, except after a known abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9£$€#*])")
_ABBREVIATIONS = _wordset(
    """
    mr mrs ms dr prof st no nos approx etc vs e.g i.e ref tel inc ltd co jan feb mar apr jun
    jul aug sep sept oct nov dec mon tue wed thu fri sat sun a.m p.m
    """
)
_SURNAME_PREFIX = re.compile(r"^(?:Mc|Mac|Fitz|De|La|Le|Da|Di)(?=[A-Z][a-z]+$)")
_LIST_MARK = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[A-Za-z0-9£$€]+(?:['’][A-Za-z]+)?")

GREETING = re.compile(
    r"^\s*(?:hi|hiya|hello|hey|dear|good (?:morning|afternoon|evening)|morning|afternoon|evening|"
    r"greetings|bonjour|hallo)\b[ ,!]*",
    re.I,
)
GENERIC_ADDRESSEES = _wordset(
    """
    customer customers valued esteemed sir madam sirs there all everyone team friend friends
    folks user member client patient passenger policyholder applicant occupier guest account
    holder cardholder subscriber colleague colleagues you tenant tenants resident residents
    homeowner householder parent parents student traveller traveler shopper buyer driver
    supporter donor player
    """
)
_PARTICLES = _wordset("de da di du del della van von der den ter le la dos das bin al el")
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord)\.?"
_NAME_WORD = r"[A-Z][a-zà-ÿ'’-]+(?:-[A-Z][a-zà-ÿ'’-]+)?"
NAME_AFTER_GREETING = re.compile(
    rf"(?:{_TITLE}\s+(?:[A-Z]\.\s*)?{_NAME_WORD}(?:\s+and\s+{_TITLE}\s+{_NAME_WORD})?"
    rf"|{_TITLE}\s+and\s+{_TITLE}\s+{_NAME_WORD}"
    rf"|{_NAME_WORD}(?:\s+{_NAME_WORD})?(?:\s+(?:and|&)\s+{_NAME_WORD})?)"
)
VALEDICTION = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:with )?(?:kind|best|warm|warmest|many|kindest|warm|fond) ?"
    r"(?:regards|wishes)|regards|best|cheers|thanks(?: again| so much| very much)?|many thanks|"
    r"thank you(?: again)?|sincerely|yours(?: sincerely| faithfully| truly)?|all the best|"
    r"take care|speak soon|talk soon|respectfully|sorry again|"
    r"with (?:thanks|best wishes|apologies|sincere apologies|kind regards|warm wishes))\b\s*[,.!]?",
    re.I,
)
TEAM_WORDS = _wordset(
    """
    team teams support service services department dept care desk centre center customer
    customers billing accounts account relations office administration admin reception
    operations bank insurance energy mobile broadband group ltd limited plc inc llc company
    help helpdesk sales retention compliance claims collections management services unit
    division the our contact hub network finance payments lending mortgage mortgages
    experience partnerships security privacy bookings reservations returns metering tariffs
    renewals member members patient patients estates facilities digital platform policy
    servicing assessment connections control credit recovery protection revenue
    manager managers secretary secretaries coordinator coordinators administrator
    administrators receptionist receptionists outpatients inpatients radiology dermatology
    cardiology orthopaedics physiotherapy pharmacy clinic clinics practice loans savings
    lettings officer officers adviser advisers advisor advisors agent agents representative
    representatives specialist specialists desk concierge household
    """
)
BRAND_WORDS = _wordset(
    """
    air airways airlines holidays travel tours telecom health clinic surgery pharmacy hotels
    hotel labs software systems solutions logistics foods motors homes home living studio co &
    direct online digital express capital partners associates
    """
)
_FOOTER = re.compile(
    r"ticket|case\s*(?:#|ref|no|number|:)|ref(?:erence)?\s*[:#]|survey|rate (?:this|your|our|us)|"
    r"unsubscribe|confidential|registered|authori[sz]ed|regulated|company (?:no|number)|"
    r"sent (?:via|from|by)|powered by|automated|do not reply|mailbox|https?://|www\.|★|©|"
    r"conversation id|transcript|reply stop|status:",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    index: int
    line: int


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str
    index: int


@dataclass(frozen=True, slots=True)
class Signature:
    """The closing block: an optional valediction line, then the sender's lines."""

    start: int
    end: int
    valediction: bool
    human_name: str | None
    lines: tuple[Line, ...]


def lines_of(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped, index))
        pos += len(raw) + 1
    return out


def _ends_abbreviation(chunk: str) -> bool:
    word = chunk.rstrip(".!?…\"'”’) ").rsplit(None, 1)[-1].lower() if chunk.strip() else ""
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` with its offsets; list markers are left out of the span."""
    sentences: list[Sentence] = []
    for line in lines_of(text):
        body_start = line.start
        mark = _LIST_MARK.match(line.text)
        if mark:
            body_start += mark.end()
        chunk_start = body_start
        for m in _BOUNDARY.finditer(text, body_start, line.end):
            if _ends_abbreviation(text[chunk_start : m.start()]):
                continue
            _add(sentences, text, chunk_start, m.start(), line.index)
            chunk_start = m.end()
        _add(sentences, text, chunk_start, line.end, line.index)
    return sentences


def _add(out: list[Sentence], text: str, start: int, end: int, line: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    start += len(piece) - len(piece.lstrip())
    out.append(Sentence(start, start + len(stripped), stripped, len(out), line))


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def greeting_name(line: str) -> tuple[int, int] | None:
    """Span (within ``line``) of the name a greeting addresses, if it names a person."""
    m = GREETING.match(line)
    rest_at = m.end() if m else 0
    if m is not None and "!" in m.group(0):
        return None
    n = NAME_AFTER_GREETING.match(line, rest_at)
    if n is None or (m is None and not re.match(r"^[A-Z][^\s,]*\s*(?:and [A-Z]\w*\s*)?,", line)):
        return None
    tokens = [t.lower().strip(".") for t in n.group(0).split()]
    if any(t in GENERIC_ADDRESSEES for t in tokens):
        return None
    if m is None and len(line) > n.end() + 1 and line[n.end()] != ",":
        return None
    return n.start(), n.end()


def generic_greeting(line: str) -> bool:
    m = GREETING.match(line)
    if m is None:
        return False
    rest = words(line[m.end() :])[:3]
    return bool(rest) and rest[0] in GENERIC_ADDRESSEES and rest[0] not in ("there", "all", "you")


def is_human_name(part: str) -> bool:
    """True for "Sam", "Oliver Grant", "Dr Rachel Evans", "Mr P. Webb"; False for team names
    and brands ("Customer Care", "Atlantica Air", "SkyBridge")."""
    part = part.strip(" -–—,.")
    tokens = part.split()
    if not 1 <= len(tokens) <= 4:
        return False
    if any(t.lower().strip(".,&") in TEAM_WORDS | BRAND_WORDS for t in tokens):
        return False
    # CamelCase brands (SkyBridge, FleetSight), not surnames and given names (McLeod, MacDonald,
    # DeShawn, LaToya)
    if any(re.search(r"[a-z][A-Z]", _SURNAME_PREFIX.sub("", t)) for t in tokens):
        return False
    # surname particles ("Anouk de Vries", "Jan van der Berg") between capitalised words
    inner = [t for t in tokens[1:-1] if t not in _PARTICLES]
    return all(
        re.fullmatch(r"(?:[A-Z][\w'’.-]*|[A-Z]\.|and|&)", t)
        for t in (tokens[0], *inner, tokens[-1])
    )


def find_signature(text: str, lines: list[Line] | None = None) -> Signature | None:
    """The sign-off block at the end of a reply, skipping ticket and legal footers after it."""
    lines = lines if lines is not None else lines_of(text)
    end = len(lines)
    while end > 0 and (_FOOTER.search(lines[end - 1].text) or len(words(lines[end - 1].text)) > 14):
        end -= 1
    block: list[Line] = []
    for line in reversed(lines[:end]):
        if len(block) >= 4:
            break
        if is_valediction(line.text):
            block.insert(0, line)
            break
        if not _is_sender_line(line.text):
            break
        block.insert(0, line)
    if not block:
        return None
    valediction = is_valediction(block[0].text)
    senders = block[1:] if valediction else block
    human = _name_after_valediction(block[0].text) if valediction else None
    # a person signs above their team; a capitalised pair below a team line is the company
    team_at = next(
        (i for i, x in enumerate(senders) if _teamish(_first_part(x.text))), len(senders)
    )
    human = human or next(
        (
            _first_part(x.text)
            for x in senders[:team_at]
            if is_human_name(_first_part(x.text))
            and not _named_as_brand(x.text, text[: block[0].start])
        ),
        None,
    )
    if not valediction and human is None and not any(_teamish(x.text) for x in senders):
        return None
    return Signature(block[0].start, block[-1].end, valediction, human, tuple(block))


def is_valediction(text: str) -> bool:
    """ "Kind regards,", "Thanks, Priya", "— Sam", "Looking forward to hosting you again,"."""
    m = VALEDICTION.match(text)
    if m is not None:
        rest = text[m.end() :].strip(" ,-–—")
        return not rest or is_human_name(_first_part(rest))
    return len(words(text)) <= 8 and text.endswith(",") and not GREETING.match(text)


def _is_sender_line(text: str) -> bool:
    """A short line of names, roles, company or phone number, without sentence punctuation."""
    if len(words(text)) > 8 or GREETING.match(text):
        return False
    if re.search(r"[.!?;]$", text) and not re.search(r"\b[A-Z]\.$", text):
        return False
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    capital = sum(1 for t in tokens if t[:1].isupper() or t[:1].isdigit() or t in "&|-–—+:")
    return capital >= 0.6 * len(tokens)


def _name_after_valediction(text: str) -> str | None:
    m = VALEDICTION.match(text)
    if m is None:
        return None
    rest = text[m.end() :].strip(" ,-–—")
    part = _first_part(rest)
    return part if rest and is_human_name(part) else None


def _first_part(text: str) -> str:
    # "Jess from Lingofox", "Sam at Acme": the person comes before the company
    return re.split(r"\s*[,|–—]\s*|\s+-\s+|\s+(?:from|at|@)\s+", text.strip(" -–—"), maxsplit=1)[0]


def _named_as_brand(line: str, body: str) -> bool:
    """ "Brackley Insurance" under "log in to your Brackley account": a company, not a person."""
    first = _first_part(line).split()[0].strip(".,")
    return (
        re.search(rf"\b(?:your|our|the|at|with|from|to|join) {re.escape(first)}\b", body)
        is not None
    )


def _teamish(text: str) -> bool:
    return any(w in TEAM_WORDS for w in words(text))
