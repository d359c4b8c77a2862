"""The demo generator: reproducible, big enough, every intent expressed, valid import files."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from goodwill.demo import inbound, seed_case, sources
from goodwill.demo.ideas import IDEAS
from goodwill.demo.personas import ALL, PHASES, STAGES
from goodwill.demo.staff import STAFF, TIERS
from goodwill.demo.writer import FILES
from goodwill.errors import InvalidInput
from goodwill.imports import mail
from goodwill.imports.fields import FieldReader, parse_time
from goodwill.imports.readers import ErrorLog, TextLines, csv_rows, jsonl_rows
from goodwill.imports.rows import KNOWN_FIELDS, PARSERS, Kind
from tests.conftest import shared_data_dir
from tests.unit.demo.conftest import AS_OF, Generated, data_dir_or_none, make


def _when(row: dict[str, object]) -> datetime:
    return parse_time(str(row["occurred_at"]))


# -- reproducibility and size ---------------------------------------------------------------


def test_same_seed_and_date_give_byte_identical_files(tmp_path: Path) -> None:
    first = make(tmp_path / "a", customers=120, data_dir=data_dir_or_none())
    second = make(tmp_path / "b", customers=120, data_dir=data_dir_or_none())
    other_seed = make(tmp_path / "c", customers=120, seed=8, data_dir=data_dir_or_none())
    for name in FILES:
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name
    assert (first.folder / "interactions.jsonl").read_bytes() != (
        other_seed.folder / "interactions.jsonl"
    ).read_bytes()


def test_default_demo_is_big_enough_and_spans_18_months(default_demo: Generated) -> None:
    summary = default_demo.summary
    assert summary.customers == len(default_demo.customers) == 2000
    assert summary.total_interactions >= 30_000
    assert len(default_demo.interactions) == summary.interactions
    times = sorted(_when(i) for i in default_demo.interactions)
    end = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC)
    assert times[-1] < end
    assert times[-1] > end - timedelta(days=3)
    assert end - timedelta(days=550) <= times[0] < end - timedelta(days=540)


def test_size_outside_the_supported_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="customers"):
        make(tmp_path, customers=10, data_dir=None)


# -- intent ---------------------------------------------------------------------------------


def test_every_persona_stage_phase_and_reply_tier_is_present(small_builtin: Generated) -> None:
    attributes = [c["attributes"] for c in small_builtin.customers.values()]
    assert {a["demo_persona"] for a in attributes} == {p.key for p in ALL}
    assert {a["demo_intended_stage"] for a in attributes} == set(STAGES)
    assert {a["demo_intended_phase"] for a in attributes} == set(PHASES)
    rows = small_builtin.interactions
    tiers = {i["attributes"]["demo_tier"] for i in rows if "demo_tier" in i.get("attributes", {})}
    assert tiers == set(TIERS)
    kinds = {i["kind"] for i in rows}
    assert kinds == {"message", "call", "meeting", "note", "purchase", "billing", "usage", "survey"}
    authors = {i.get("author_email") for i in rows if i.get("direction") == "outbound"}
    assert {m.email for m in STAFF if m.role != "admin"} <= authors


def test_promises_are_followed_by_what_happened(default_demo: Generated) -> None:
    """Kept: fulfilled by the due time; late: chased, then fulfilled; broken: only chased;
    overdue: due before the end of the history, not kept yet; open: not due yet."""
    fulfilled: dict[str, datetime] = {}
    chased: set[str] = set()
    for row in default_demo.interactions:
        attrs = row.get("attributes", {})
        if "demo_fulfils" in attrs:
            fulfilled[attrs["demo_fulfils"]] = _when(row)
        if "demo_chases" in attrs:
            chased.add(attrs["demo_chases"])
    outcomes: Counter[str] = Counter()
    for row in default_demo.interactions:
        promise = row.get("attributes", {}).get("demo_promise")
        if promise is None:
            continue
        outcome, due, ext = promise["outcome"], parse_time(promise["due_at"]), row["external_id"]
        outcomes[outcome] += 1
        assert (outcome == "open") == (due >= END), row
        assert (ext in fulfilled) == (outcome in ("kept", "late")), row
        assert (ext in chased) == (outcome in ("late", "broken")) or outcome == "overdue", row
        if ext in fulfilled:
            assert (fulfilled[ext] <= due) == (outcome == "kept"), row
    assert min(outcomes[o] for o in ("kept", "late", "broken")) >= 50
    assert outcomes["open"] + outcomes["overdue"] > 0


END = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC)


def test_avoiding_customers_leave_the_companys_messages_unanswered(
    default_demo: Generated,
) -> None:
    for customer in default_demo.customers_of("avoiding"):
        rows = default_demo.by_customer[customer]
        outreach = [i for i in rows if "demo_outreach" in i.get("attributes", {})]
        assert len(outreach) >= 2, customer
        first_outreach = min(_when(i) for i in outreach)
        assert not any(
            i.get("direction") == "inbound" and _when(i) > first_outreach for i in rows
        ), customer


def test_leaving_customers_cancel_and_their_bills_stop(default_demo: Generated) -> None:
    for customer in default_demo.customers_of("leaving"):
        rows = default_demo.by_customer[customer]
        reasons = [i.get("attributes", {}).get("demo_reason") for i in rows]
        assert "terminate_account" in reasons, customer
        cancelled = parse_time(default_demo.customers[customer]["attributes"]["demo_cancelled_at"])
        assert not any(i["kind"] in ("billing", "usage", "purchase") and _when(i) > cancelled
                       and "demo_fulfils" not in i.get("attributes", {}) for i in rows)  # fmt: skip


def test_advocates_bring_in_new_customers(default_demo: Generated) -> None:
    referred = [c for c in default_demo.customers.values() if "demo_referred_by" in c["attributes"]]
    assert len(referred) >= 20
    for customer in referred:
        advocate = customer["attributes"]["demo_referred_by"]
        assert default_demo.persona_of(advocate) == "advocate"
        mentions = [
            i
            for i in default_demo.by_customer[advocate]
            if i.get("attributes", {}).get("demo_reason") == "referral"
        ]
        assert any(customer["name"].split()[0] in i["body"] for i in mentions)


def test_newcomers_are_in_their_first_weeks_with_the_first_bill_still_to_come(
    default_demo: Generated,
) -> None:
    for customer in default_demo.customers_of("newcomer"):
        since = parse_time(default_demo.customers[customer]["customer_since"])
        assert since > END - timedelta(days=21)
        rows = default_demo.by_customer[customer]
        assert not any(i["kind"] == "billing" and "plan" in i["subject"] for i in rows)
        assert any(i.get("attributes", {}).get("demo_outreach") == "welcome" for i in rows)


def test_long_tenured_customers_joined_years_before_the_history(default_demo: Generated) -> None:
    for persona in ("advocate", "steady", "drifting"):
        years = [
            (END - parse_time(default_demo.customers[c]["customer_since"])).days / 365
            for c in default_demo.customers_of(persona)
        ]
        assert min(years) >= 1
        assert max(years) > 5


def test_contact_frequency_rises_and_falls_with_the_persona(default_demo: Generated) -> None:
    demo = default_demo

    def halves(persona: str) -> tuple[int, int]:
        first = second = 0
        for customer in demo.customers_of(persona):
            record = demo.customers[customer]
            start = max(parse_time(record["customer_since"]), _when(demo.interactions[0]))
            usage = [i for i in demo.by_customer[customer] if i["kind"] == "usage"]
            if len(usage) < 4:
                continue
            middle = start + (_when(usage[-1]) - start) / 2
            first += sum(i["quantity"] for i in usage if _when(i) < middle)
            second += sum(i["quantity"] for i in usage if _when(i) >= middle)
        return first, second

    rising = halves("upgrader")
    assert rising[1] > 1.3 * rising[0]
    falling = halves("drifting")
    assert falling[1] < 0.8 * falling[0]


def test_seed_case_is_one_conversation_word_for_word(small_builtin: Generated) -> None:
    rows = sorted(
        (i for i in small_builtin.interactions if i.get("attributes", {}).get("demo_case")),
        key=_when,
    )
    assert [r["direction"] for r in rows] == ["inbound", "outbound", "inbound"]
    assert len({r["conversation_external_id"] for r in rows}) == 1
    fill = {"company": "Northwind Money", "app": "Northwind", "firm_reference": "900123"}
    assert rows[0]["body"] == seed_case.SUGGESTION
    assert rows[1]["body"] == seed_case.fill(seed_case.REPLY, **fill)
    assert rows[2]["body"] == seed_case.fill(seed_case.ANSWER, **fill)
    assert "Learn how to download statements (link)" in rows[1]["body"]
    assert "Who damn are you to discuss tech solutions?" in rows[2]["body"]
    assert small_builtin.customers[rows[0]["customer_external_id"]]["name"].startswith("Michael ")


def test_seed_case_text_matches_the_published_study() -> None:
    study = shared_data_dir().parent / "seeds" / "000_305e2fc4d4553fbe.txt"
    if not study.is_file():
        pytest.skip(f"the seed study is not at {study}")
    text = study.read_text(encoding="utf-8")
    for part in (seed_case.SUGGESTION, seed_case.REPLY, seed_case.ANSWER):
        assert part in text


def test_ideas_are_asked_for_in_different_words_by_several_customers(
    default_demo: Generated,
) -> None:
    asked: dict[str, set[str]] = {}
    customers: dict[str, set[str]] = {}
    loops: Counter[str] = Counter()
    for row in default_demo.interactions:
        attrs = row.get("attributes", {})
        if "demo_idea" in attrs and row["direction"] == "inbound" and "demo_reaction" not in attrs:
            asked.setdefault(attrs["demo_idea"], set()).add(row["body"])
            customers.setdefault(attrs["demo_idea"], set()).add(row["customer_external_id"])
        if "demo_loop" in attrs:
            loops[attrs["demo_loop"]] += 1
    for idea in IDEAS:
        assert len(asked[idea.key]) >= 2, idea.key
        assert len(customers[idea.key]) >= 3, idea.key
    assert set(loops) == {"shipped", "planned", "declined"}


# -- sources -------------------------------------------------------------------------------


def test_without_the_shared_data_the_built_in_texts_are_used(small_builtin: Generated) -> None:
    assert not small_builtin.summary.used_banking77
    assert not small_builtin.summary.used_cdnow
    builtin = tuple(t for texts in inbound.BUILTIN_TEXTS.values() for t in texts)
    routine = [
        i["body"]
        for i in small_builtin.interactions
        if i.get("attributes", {}).get("demo_situation") == "question"
        and i.get("direction") == "inbound"
        and i["attributes"].get("demo_reason") in inbound.BUILTIN_TEXTS
    ]
    assert routine
    assert all(text.startswith(builtin) for text in routine)  # curt customers add a word


def test_banking77_and_cdnow_are_used_when_present(default_demo: Generated) -> None:
    folder = data_dir_or_none()
    if folder is None or not (folder / sources.CDNOW_MASTER).is_file():
        pytest.skip("the shared data folder is not here")
    assert default_demo.summary.used_banking77
    assert default_demo.summary.used_cdnow
    with (folder / sources.BANKING77_TRAIN).open(encoding="utf-8", newline="") as fh:
        train = tuple(row["text"].strip() for row in csv.DictReader(fh))
    questions = [
        i["body"]
        for i in default_demo.interactions
        if i.get("attributes", {}).get("demo_situation") == "question"
        and i["direction"] == "inbound"
        and i["attributes"].get("demo_reason") != "first_bill"
    ]
    assert len(questions) > 500
    assert all(text.startswith(train) for text in questions)
    real = set()
    for line in (folder / sources.CDNOW_MASTER).read_text(encoding="ascii").splitlines()[1:]:
        _, _, cds, dollars = line.split()
        real.add((int(cds), Decimal(dollars)))
    purchases = [
        (i["quantity"], Decimal(i["amount"]))
        for i in default_demo.interactions
        if i["kind"] == "purchase"
    ]
    assert len(purchases) > 2000
    assert all(p in real for p in purchases)


# -- the import format ---------------------------------------------------------------------


def _parse_rows(path: Path, kind: Kind) -> list[dict[str, object]]:
    log = ErrorLog()
    with path.open("rb") as fh:
        lines = TextLines(fh, encoding="utf-8-sig", log=log)
        rows = csv_rows(lines) if path.suffix == ".csv" else jsonl_rows(lines)
        records = []
        for line, values in rows:
            f = FieldReader(values, line, log)
            f.no_unknown_fields(KNOWN_FIELDS[kind])
            record = PARSERS[kind](f)
            assert record is not None, (path.name, line, log.errors)
            records.append(record)
    assert not log, log.errors[:5]
    return records


def test_files_are_valid_import_files_whose_references_resolve(small_builtin: Generated) -> None:
    folder = small_builtin.folder
    accounts = {r["external_id"] for r in _parse_rows(folder / "accounts.csv", Kind.ACCOUNTS)}
    customers = _parse_rows(folder / "customers.csv", Kind.CUSTOMERS)
    conversations = _parse_rows(folder / "conversations.csv", Kind.CONVERSATIONS)
    interactions = _parse_rows(folder / "interactions.jsonl", Kind.INTERACTIONS)
    staff_emails = {m.email for m in STAFF}
    assert {c["account_external_id"] for c in customers} - {None} <= accounts
    assert {c["owner_email"] for c in customers} <= staff_emails
    assert len({c["email"] for c in customers}) == len(customers)
    known = {c["external_id"] for c in customers}
    threads = {c["external_id"] for c in conversations}
    assert {c["customer_external_id"] for c in conversations} <= known
    assert {i["customer_external_id"] for i in interactions} <= known
    assert {i["conversation_external_id"] for i in interactions} - {None} <= threads
    assert {i["author_email"] for i in interactions} - {None} <= staff_emails
    assert len({i["external_id"] for i in interactions}) == len(interactions)


def test_mbox_threads_parse_and_come_from_known_customers(small_builtin: Generated) -> None:
    log = ErrorLog()
    with (small_builtin.folder / "mail.mbox").open("rb") as fh:
        messages = [mail.parse_message(raw, line) for line, raw in mail.split_mbox(fh, log=log)]
    assert not log
    assert len(messages) == small_builtin.summary.emails >= 20
    emails = {c["email"] for c in small_builtin.customers.values()}
    ids = [m.message_id for m in messages]
    assert len(set(ids)) == len(ids)
    for message in messages:
        address = message.sender[1]
        assert address in emails or address.endswith("@northwind.example")
        assert message.body.strip()
        assert all(parent in ids[: ids.index(message.message_id)] for parent in message.parent_ids)
