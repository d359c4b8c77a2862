import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from goodwill.analysis import CommitmentExtractor, Message
from goodwill.analysis.commitments import find_commitments

LABELLED = Path(__file__).resolve().parents[2] / "data" / "commitments.jsonl"
SENT = datetime(2024, 6, 5, 10, 15, tzinfo=UTC)


def test_a_promise_has_its_text_owner_due_time_and_span() -> None:
    text = "Sorry about that. I will send you the corrected invoice tomorrow."
    (found,) = find_commitments(text, SENT)
    assert found.text == "I will send you the corrected invoice tomorrow"
    assert text[found.start : found.end] == found.text
    assert found.owner == "agent"
    assert found.due_at == datetime(2024, 6, 6, 17, 0, tzinfo=UTC)


def test_two_promises_in_one_sentence_are_split() -> None:
    found = find_commitments(
        "I will fix the permissions today and we'll send a summary to your admins tomorrow.", SENT
    )
    assert [(f.owner, f.due_at.day if f.due_at else None) for f in found] == [
        ("agent", 5),
        ("company", 6),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Shall I call you tomorrow?",
        "If you send the photos, we will review the claim by Friday.",
        "I'll try to get you an answer by Monday.",
        "We will not be able to refund opened software.",
        "I was going to send the invoice yesterday.",
        "You will have to renew the permit every year.",
        "Please send us a copy of your ID by Monday.",
        "We'd be happy to help if you need anything else.",
        "Let us know if you have any other questions.",
        "I will be out of office until January 6.",
    ],
)
def test_no_promise_in_questions_conditions_hedges_refusals_and_requests(text: str) -> None:
    assert find_commitments(text, SENT) == []


def test_a_curly_apostrophe_and_an_abbreviation_do_not_break_a_promise() -> None:
    found = find_commitments("I’ll ask Dr. Patel to call you on Thursday.", SENT)
    assert len(found) == 1
    assert found[0].due_at == datetime(2024, 6, 6, 17, 0, tzinfo=UTC)


def test_customer_messages_carry_no_commitments_and_spans_index_the_original() -> None:
    extractor = CommitmentExtractor()
    original = "Hi Sam,\n\nWe will refund the fee within 48 hours.\n\nBest regards,\nAnna"
    from goodwill.analysis import Normaliser
    from goodwill.analysis.base import Context

    inbound = Message("1", "I will cancel tomorrow.", "inbound", SENT)
    outbound = Message("2", original, "outbound", SENT)
    contexts = [Context(), Context()]
    normaliser = Normaliser()
    for message, context in zip([inbound, outbound], contexts, strict=True):
        context.values["normalised"] = normaliser.analyse(message)
    none, found = extractor.analyse_batch([inbound, outbound], contexts)
    assert none.items == ()
    (item,) = found.items
    assert original[item.start : item.end] == "We will refund the fee within 48 hours"


def test_labelled_company_sentences_keep_precision_recall_and_due_accuracy() -> None:
    """Regression guard on tests/data/commitments.jsonl (numbers in docs/benchmarks.md)."""
    rows = [json.loads(line) for line in LABELLED.read_text().splitlines()]
    tp = fp = fn = due_ok = 0
    for row in rows:
        gold = list(row["commitments"])
        for found in find_commitments(row["text"], datetime.fromisoformat(row["sent_at"])):
            match = next(
                (g for g in gold if found.start < g["end"] and g["start"] < found.end), None
            )
            if match is None:
                fp += 1
                continue
            gold.remove(match)
            tp += 1
            due_ok += (found.due_at.isoformat() if found.due_at else None) == match["due_at"]
        fn += len(gold)
    assert len(rows) >= 150
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.8
    assert due_ok / tp >= 0.9
