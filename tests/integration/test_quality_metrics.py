"""Service quality metrics on hand-built conversations, through the API (both databases):
each metric's number, the conversations behind it, definitions and parameters, coaching."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.organisations import service as organisation_service
from goodwill.reasons.models import ContactReason
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext, add_member
from tests.factories.quality import PERIOD, T0, inbound, promise, reason, reply, review_all, thread

API = "/api/v1/quality"


def _metrics(client: TestClient, org: OrgContext, **params: str) -> dict[str, Any]:
    r = client.get(f"{API}/metrics", params=PERIOD | params, headers=org.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _row(report: dict[str, Any], member_id: uuid.UUID) -> dict[str, Any]:
    found = [i for i in report["items"] if i["member_id"] == str(member_id)]
    assert len(found) == 1, report["items"]
    return found[0]["speed"] | found[0]["quality"]  # type: ignore[no-any-return]


def _drill(client: TestClient, org: OrgContext, metric: str, **params: str) -> list[Any]:
    r = client.get(
        f"{API}/conversations", params=PERIOD | {"metric": metric} | params, headers=org.headers
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


def test_sentiment_recovers_from_minus_0_8_to_0_6_and_speed_sits_beside_it(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a)
    conversation, _ = thread(
        session_factory,
        org_a,
        customer_id=customer.id,
        messages=[
            inbound(0, "This is a disgrace, my card is blocked!", sentiment=-0.8),
            reply(2, agent),
            inbound(3, "Still not working.", sentiment=-0.3),
            reply(5, agent),
            inbound(6, "Works now, thank you so much!", sentiment=0.6),
        ],
    )
    row = _row(_metrics(client, org_a), agent)
    assert row["sentiment_recovery"]["value"] == 1.4
    assert row["first_response_time"]["value"] == 2.0
    assert row["handling_time"]["value"] == 5.0
    items = _drill(client, org_a, "sentiment_recovery", member_id=str(agent))
    assert [i["conversation_id"] for i in items] == [str(conversation)]
    detail = items[0]["contributions"][0]["detail"]
    assert (detail["first"], detail["last"]) == (-0.8, 0.6)


def test_a_repeat_contact_on_the_same_reason_within_the_window_is_not_resolved(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    card, fees = reason(session_factory, org_a, "card"), reason(session_factory, org_a, "fees")
    repeat = make_customer(session_factory, org_a)
    other_reason = make_customer(session_factory, org_a)
    late = make_customer(session_factory, org_a)
    first, _ = thread(
        session_factory,
        org_a,
        customer_id=repeat.id,
        messages=[inbound(0, reason=card), reply(1, agent)],
    )
    _, (again,) = thread(
        session_factory,
        org_a,
        customer_id=repeat.id,
        opened_at=T0 + timedelta(days=3),
        messages=[inbound(0, "My card still fails.", reason=card)],
    )
    thread(
        session_factory,
        org_a,
        customer_id=other_reason.id,
        messages=[inbound(0, reason=card), reply(1, agent)],
    )
    thread(
        session_factory,
        org_a,
        customer_id=other_reason.id,
        opened_at=T0 + timedelta(days=2),
        messages=[inbound(0, "What are your fees?", reason=fees)],
    )
    thread(
        session_factory,
        org_a,
        customer_id=late.id,
        messages=[inbound(0, reason=card), reply(1, agent)],
    )
    thread(
        session_factory,
        org_a,
        customer_id=late.id,
        opened_at=T0 + timedelta(days=9),
        messages=[inbound(0, reason=card)],
    )
    value = _row(_metrics(client, org_a), agent)["resolution_efficacy"]
    # three answered conversations: the repeat within 7 days fails, the others are resolved
    assert (value["numerator"], value["denominator"]) == (2.0, 3.0)
    assert value["notes"]["by_reason"] == 3
    failing = [
        i
        for i in _drill(client, org_a, "resolution_efficacy")
        if i["contributions"][0]["denominator"] and not i["contributions"][0]["numerator"]
    ]
    assert [i["conversation_id"] for i in failing] == [str(first)]
    assert failing[0]["contributions"][0]["detail"]["repeat_interaction_id"] == str(again)


def test_without_a_reason_any_new_message_within_the_window_counts_and_says_so(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a)
    thread(
        session_factory,
        org_a,
        customer_id=customer.id,
        messages=[inbound(0), reply(1, agent), inbound(30, "And another thing.")],
    )
    value = _row(_metrics(client, org_a), agent)["resolution_efficacy"]
    assert (value["value"], value["notes"]) == (0.0, {"by_any_inbound": 1, "pending": 0})
    # with the organisation's window at one day, the message 29 hours later no longer counts
    with org_session(session_factory, org_a) as db:
        organisation_service.set_setting(db=db, key="quality", value={"repeat_window_days": 1})
    assert _row(_metrics(client, org_a), agent)["resolution_efficacy"]["value"] == 1.0
    definitions = client.get(f"{API}/definitions", headers=org_a.headers).json()["items"]
    resolution = next(d for d in definitions if d["name"] == "resolution_efficacy")
    assert resolution["parameters"] == {"repeat_window_days": 1}
    assert "handling_time" in resolution["recalibrates"]


def test_reopened_after_closing_or_after_a_quiet_gap_but_not_in_a_normal_exchange(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a)
    closed, ids = thread(
        session_factory,
        org_a,
        customer_id=customer.id,
        closed_at=T0 + timedelta(hours=2),
        messages=[inbound(0), reply(1, agent), inbound(5, "It broke again.")],
    )
    quiet, _ = thread(
        session_factory,
        org_a,
        customer_id=customer.id,
        messages=[inbound(0), reply(1, agent), inbound(24 * 4, "Back again.")],
    )
    thread(
        session_factory,
        org_a,
        customer_id=customer.id,
        messages=[inbound(0), reply(1, agent), inbound(2, "Which form?"), reply(3, agent)],
    )
    value = _row(_metrics(client, org_a), agent)["reopen_rate"]
    assert (value["numerator"], value["denominator"]) == (2.0, 3.0)
    reopened = {
        i["conversation_id"]: i["contributions"][0]["detail"]["reopened_by_interaction_id"]
        for i in _drill(client, org_a, "reopen_rate")
        if i["contributions"][0]["numerator"]
    }
    assert set(reopened) == {str(closed), str(quiet)}
    assert reopened[str(closed)] == str(ids[2])


def test_promises_kept_counts_late_and_broken_against(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a)
    relationship = relationship_of(session_factory, org_a, customer.id)
    _, (message,) = thread(
        session_factory, org_a, customer_id=customer.id, messages=[reply(0, agent)]
    )
    for status, day in (("kept", 3), ("kept_late", 4), ("broken", 5), ("open", 6)):
        promise(
            session_factory,
            org_a,
            relationship_id=relationship.id,
            owner=agent,
            status=status,
            closed_at=T0 + timedelta(days=day),
            interaction_id=message,
        )
    broken_elsewhere = promise(
        session_factory,
        org_a,
        relationship_id=relationship.id,
        owner=agent,
        status="broken",
        closed_at=T0 + timedelta(days=7),
    )
    value = _row(_metrics(client, org_a), agent)["promises_kept"]
    assert (value["numerator"], value["denominator"]) == (1.0, 4.0)
    assert value["notes"] == {"kept": 1, "kept_late": 1, "broken": 2}
    items = _drill(client, org_a, "promises_kept")
    outside = [i for i in items if i["conversation_id"] is None]
    assert outside[0]["contributions"][0]["detail"]["commitment_id"] == str(broken_elsewhere)
    assert len(items) == 2  # the three promises of one conversation, and the one outside


def test_irritants_empathy_and_the_coaching_view_come_from_the_coachs_reviews(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a)
    angry = "I am furious, you charged me twice and nobody answers!!"
    warm = "I'm so sorry, that must be really frustrating. I have refunded the second charge today."
    cold = "Unfortunately that is our policy. Regards"
    thread(
        session_factory,
        org_a,
        customer_id=customer.id,
        messages=[inbound(0, angry, emotion=("anger", 0.9)), reply(1, agent, warm)],
    )
    _, (_, cold_id) = thread(
        session_factory,
        org_a,
        customer_id=customer.id,
        opened_at=T0 + timedelta(days=8),
        messages=[inbound(0, angry, sentiment=-0.7), reply(1, agent, cold)],
    )
    row = _row(_metrics(client, org_a), agent)
    assert row["irritant_density"]["notes"]["unreviewed_replies"] == 2  # not reviewed yet
    assert row["irritant_density"]["value"] is None
    assert review_all(session_factory, org_a) == 2
    row = _row(_metrics(client, org_a), agent)
    empathy = row["empathy_when_strong"]
    assert (empathy["numerator"], empathy["denominator"]) == (1.0, 2.0)
    density = row["irritant_density"]
    assert density["numerator"] == 3.0  # blame shifting, missing empathy, missing next step
    assert density["value"] == round(100 * 3 / density["denominator"], 4)
    view = client.get(f"{API}/coaching/{agent}", params=PERIOD, headers=org_a.headers).json()
    assert [w["week"] for w in view["weeks"]] == ["2026-W10", "2026-W11"]
    assert view["weeks"][0]["irritants"] == {}
    assert view["weeks"][0]["strengths"]["empathy"] == 1
    blame = next(c for c in view["categories"] if c["category"] == "blame_shifting")
    assert blame["examples"][0]["interaction_id"] == str(cold_id)
    assert blame["examples"][0]["text"] == "Unfortunately that is our policy."


def test_drill_down_pages_through_every_conversation_once(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a)
    made = {
        str(
            thread(
                session_factory,
                org_a,
                customer_id=customer.id,
                opened_at=T0 + timedelta(days=n),
                messages=[inbound(0), reply(1, agent)],
            )[0]
        )
        for n in range(3)
    }
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = PERIOD | {"metric": "first_response_time", "limit": "2"}
        r = client.get(
            f"{API}/conversations",
            params=params | ({"cursor": cursor} if cursor else {}),
            headers=org_a.headers,
        )
        seen += [i["conversation_id"] for i in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)
    assert len(seen) == 3
    bad = client.get(f"{API}/conversations", params={"metric": "speed"}, headers=org_a.headers)
    assert bad.status_code == 422
    assert "metric: one of" in bad.text


def test_a_repeat_in_an_older_conversation_or_under_a_merged_reason_is_not_resolved(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    card, old_card = reason(session_factory, org_a, "card"), reason(session_factory, org_a, "kort")
    with org_session(session_factory, org_a) as db:
        merged = db.get(ContactReason, old_card)
        assert merged is not None
        merged.merged_into_id = card  # "kort" now counts as "card"
    older, merged_repeat, too_late = (make_customer(session_factory, org_a) for _ in range(3))
    before = T0 - timedelta(days=10)  # a conversation opened before the period
    made = {}
    for customer in (older, merged_repeat, too_late):
        made[customer.id], _ = thread(
            session_factory,
            org_a,
            customer_id=customer.id,
            messages=[inbound(0, reason=card), reply(1, agent)],
        )
    _, (in_older,) = thread(
        session_factory,
        org_a,
        customer_id=older.id,
        opened_at=before,
        messages=[inbound(24 * 12, "The card fails again.", reason=card)],  # T0 + 2 days
    )
    _, (under_merged,) = thread(
        session_factory,
        org_a,
        customer_id=merged_repeat.id,
        opened_at=T0 + timedelta(days=3),
        messages=[inbound(0, "Kortet virker ikke.", reason=old_card)],
    )
    thread(
        session_factory,
        org_a,
        customer_id=too_late.id,
        opened_at=before,
        messages=[inbound(24 * 19, "Card again.", reason=card)],  # T0 + 9 days: past the window
    )
    value = _row(_metrics(client, org_a), agent)["resolution_efficacy"]
    assert (value["numerator"], value["denominator"]) == (1.0, 3.0)
    repeats = {
        i["conversation_id"]: i["contributions"][0]["detail"]["repeat_interaction_id"]
        for i in _drill(client, org_a, "resolution_efficacy")
    }
    assert repeats == {
        str(made[older.id]): str(in_older),
        str(made[merged_repeat.id]): str(under_merged),
        str(made[too_late.id]): None,
    }
