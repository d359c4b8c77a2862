"""Build dev.jsonl and holdout.jsonl from the hand-written sources in src/ and check every label.

Usage: python tests/data/coach/build.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from goodwill.coach import model

HERE = Path(__file__).parent
IRRITANTS = set(model.IRRITANTS)
STRENGTHS = set(model.STRENGTHS)
WHOLE = {"missing_empathy", "missing_next_step", "impersonal"}
MARK = re.compile(r"\{([a-z_+]+)\|([^{}]*)\}")
SECTIONS = ("context:", "customer:", "reply:", "whole:")


class SourceError(ValueError):
    pass


def parse_reply(marked: str, where: str) -> tuple[str, list[dict[str, object]]]:
    """The plain reply and its spans from `{category|words}` markup."""
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(marked):
        plain = marked[pos : m.start()]
        out.append(plain)
        length += len(plain)
        words = m.group(2)
        for category in m.group(1).split("+"):
            if category not in IRRITANTS | STRENGTHS or category in WHOLE:
                raise SourceError(f"{where}: bad span category {category!r}")
            spans.append(
                {"category": category, "text": words, "start": length, "end": length + len(words)}
            )
        out.append(words)
        length += len(words)
        pos = m.end()
    out.append(marked[pos:])
    reply = "".join(out)
    if "{" in reply or "}" in reply:
        raise SourceError(f"{where}: unbalanced markup in reply")
    return reply, spans


def _sections(lines: list[str], where: str) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        name = next((n for n in SECTIONS if line.startswith(n)), None)
        if name is not None:
            current = name[:-1]
            rest = line[len(name) :].strip()
            parts[current] = [rest] if rest else []
            continue
        if current is None:
            if line.strip():
                raise SourceError(f"{where}: text before the first section: {line!r}")
            continue
        parts[current].append(line)
    for needed in ("customer", "reply"):
        if needed not in parts:
            raise SourceError(f"{where}: missing section {needed}:")
    return parts


def _context(lines: list[str], where: str) -> list[dict[str, str]]:
    turns = []
    for line in lines:
        if not line.strip():
            continue
        direction, _, text = line.partition(":")
        direction = {"in": "inbound", "out": "outbound"}.get(direction.strip())
        if direction is None or not text.strip():
            raise SourceError(f"{where}: context lines are 'in: …' or 'out: …': {line!r}")
        turns.append({"direction": direction, "text": text.strip()})
    return turns


def parse_item(block: str, where: str) -> dict[str, object]:
    header, *lines = block.split("\n")
    fields = [f.strip() for f in header.split("|")]
    item_id, industry = fields[0], fields[1] if len(fields) > 1 else ""
    where = f"{where} {item_id}"
    parts = _sections(lines, where)
    reply, spans = parse_reply("\n".join(parts["reply"]).strip(), where)
    whole = [w.strip() for w in " ".join(parts.get("whole", [])).split(",") if w.strip()]
    for category in whole:
        if category not in WHOLE:
            raise SourceError(f"{where}: {category!r} is not a whole-reply category")
    labels = [s for s in spans if s["category"] in IRRITANTS]
    labels += [{"category": c, "text": None, "start": None, "end": None} for c in whole]
    item: dict[str, object] = {
        "id": item_id,
        "industry": industry,
        "customer_message": "\n".join(parts["customer"]).strip(),
    }
    if parts.get("context"):
        item["context"] = _context(parts["context"], where)
    item["reply"] = reply
    item["labels"] = labels
    item["strengths"] = [s for s in spans if s["category"] in STRENGTHS]
    return item


def parse_file(path: Path) -> list[dict[str, object]]:
    text = path.read_text(encoding="utf-8")
    blocks = list(re.split(r"^@@ ", text, flags=re.M)[1:])
    return [parse_item(b.rstrip(), path.name) for b in blocks]


def build(prefix: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for path in sorted((HERE / "src").glob(f"{prefix}_*.txt")):
        items += parse_file(path)
    ids = [i["id"] for i in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SourceError(f"{prefix}: duplicate ids {sorted(dupes)}")
    for item in items:
        reply = str(item["reply"])
        for span in [*item["labels"], *item["strengths"]]:  # type: ignore[misc]
            if span["start"] is not None:
                assert reply[span["start"] : span["end"]] == span["text"]
    return items


def main() -> int:
    for prefix, name in (
        ("dev", "dev.jsonl"),
        ("holdout", "holdout.jsonl"),
        ("fresh", "holdout_fresh.jsonl"),
        ("blind", "holdout_blind.jsonl"),
        ("blind4", "holdout_blind4.jsonl"),
        ("blind5", "holdout_blind5.jsonl"),
        ("blind6", "holdout_blind6.jsonl"),
        ("blind7", "holdout_blind7.jsonl"),
        ("blind8", "holdout_blind8.jsonl"),
        ("blind9", "holdout_blind9.jsonl"),
    ):
        items = build(prefix)
        with (HERE / name).open("w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        clean = sum(1 for i in items if not i["labels"])
        share = clean / max(len(items), 1)
        print(f"{name}: {len(items)} items, {clean} with no irritant ({share:.0%})")
        counts: dict[str, int] = {}
        for item in items:
            for span in [*item["labels"], *item["strengths"]]:  # type: ignore[misc]
                counts[span["category"]] = counts.get(span["category"], 0) + 1
        print(
            "  "
            + ", ".join(f"{c}={counts.get(c, 0)}" for c in [*sorted(IRRITANTS), *sorted(STRENGTHS)])
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
