"""Response frameworks through the HTTP API: versions, the coach's review blocking publication,
conditional blocks on real relationship state, required slots, suggestion order, import."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from goodwill.frameworks.models import FrameworkUsage, ResponseFramework
from goodwill.interactions.models import Conversation
from goodwill.main import API_PREFIX
from goodwill.messages import service as message_service
from goodwill.reasons.models import ContactReason, MessageReason
from goodwill.relationships import commitments, engine
from goodwill.relationships import service as relationship_service
from goodwill.relationships.schemas import CommitmentCreate, CommitmentUpdate
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.frameworks import BAD_BODY, GOOD_BODY, make_framework
from tests.factories.interactions import make_conversation, make_interaction
from tests.factories.organisations import OrgContext, add_member

FW = f"{API_PREFIX}/frameworks"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def agent(session_factory: sessionmaker[Session], org_a: OrgContext) -> dict[str, str]:
    _, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    return _bearer(token)


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    r = client.post(
        FW, json={"name": "Answer a complaint", "body": GOOD_BODY} | body, headers=headers
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_editing_a_published_framework_makes_a_new_version_and_keeps_the_old(
    client: TestClient, org_a: OrgContext
) -> None:
    made = _create(client, org_a.headers, intents=["complaint"])
    assert made["status"] == "draft"
    assert made["latest"]["review_passed"], made["latest"]["review"]
    published = client.post(f"{FW}/{made['id']}/publish", json={}, headers=org_a.headers)
    assert published.status_code == 200, published.text
    edited = GOOD_BODY.replace("that matters to us", "we do not take it for granted")
    r = client.put(
        f"{FW}/{made['id']}", json={"name": "Complaint v2", "body": edited}, headers=org_a.headers
    )
    assert r.status_code == 200, r.text
    detail = r.json()
    assert (detail["latest_version"], detail["published_version"]) == (2, 1)
    assert detail["published"]["body"] == GOOD_BODY
    assert detail["latest"]["body"] == edited
    versions = client.get(f"{FW}/{made['id']}/versions", headers=org_a.headers).json()["items"]
    assert [v["number"] for v in versions] == [2, 1]


def test_the_coach_blocks_publication_until_a_manager_overrides_with_a_reason(
    client: TestClient, org_a: OrgContext, agent: dict[str, str]
) -> None:
    made = _create(client, agent, name="Statements", body=BAD_BODY, intents=["suggestion"])
    review = made["latest"]["review"]
    blocking = {f["category"] for f in review["blocking"]}
    assert {
        "template_noise",
        "irrelevant_boilerplate",
        "patronising",
        "generic_closing",
    } <= blocking
    url = f"{FW}/{made['id']}/publish"
    blocked = client.post(url, json={}, headers=agent)
    assert blocked.status_code == 409
    assert {f["category"] for f in blocked.json()["blocking"]} == blocking
    reason = "Legal asked for this wording until the review in March."
    refused = client.post(url, json={"override_reason": reason}, headers=agent)
    assert refused.status_code == 403, refused.text
    assert client.get(f"{FW}/{made['id']}", headers=agent).json()["status"] == "draft"
    done = client.post(url, json={"override_reason": reason}, headers=org_a.headers)
    assert done.status_code == 200, done.text
    version = done.json()["published"]
    assert version["override_reason"] == reason
    assert version["override_member_id"] == str(org_a.admin_member_id)


def test_check_reports_body_mistakes_with_their_lines(
    client: TestClient, agent: dict[str, str]
) -> None:
    body = "Hi {{customer_first_name}},\n{% if phase == forever %}x{% endif %}\n{{ticket.id}}"
    r = client.post(f"{FW}/check", json={"body": body}, headers=agent)
    assert r.status_code == 200
    errors = r.json()["errors"]
    assert [e["line"] for e in errors] == [3]
    assert "unknown variable" in errors[0]["message"]
    r = client.post(
        f"{FW}/check", json={"body": "{% if tenure_years >= x %}a{% endif %}"}, headers=agent
    )
    assert "is a number" in r.json()["errors"][0]["message"]


def _long_term_with_broken_promise(
    factory: sessionmaker[Session], org: OrgContext
) -> tuple[uuid.UUID, uuid.UUID]:
    """Margareth, a customer for five years (her first purchase), with a promise broken."""
    customer = make_customer(factory, org, name="Margareth Jones", email="mj@example.com")
    now = utcnow()
    make_interaction(
        factory,
        org,
        customer_id=customer.id,
        kind="purchase",
        direction=None,
        subject="Premium plan",
        body=None,
        occurred_at=(now - timedelta(days=5 * 365 + 20)).isoformat(),
    )
    make_interaction(
        factory,
        org,
        customer_id=customer.id,
        body="Thanks, all good with the card now.",
        occurred_at=(now - timedelta(days=40)).isoformat(),
    )
    with org_session(factory, org) as db:
        engine.recompute(db=db, all_relationships=True)
    relationship = relationship_of(factory, org, customer.id)
    assert relationship.phase == "long_term"
    with org_session(factory, org) as db:
        rel = relationship_service.get(db=db, relationship_id=relationship.id)
        promise = commitments.create(
            db=db,
            relationship=rel,
            commitment_in=CommitmentCreate(text="I will call you on Monday"),
        )
        commitments.close(
            db=db, commitment=promise, commitment_in=CommitmentUpdate(status="broken")
        )
    message = make_interaction(
        factory,
        org,
        customer_id=customer.id,
        body="You promised to call me on Monday and nobody did.",
        occurred_at=now.isoformat(),
    )
    return relationship.id, message.id


def test_conditional_blocks_follow_the_relationships_real_state(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    framework_id = make_framework(session_factory, org_a, intents=["complaint"])
    relationship_id, message_id = _long_term_with_broken_promise(session_factory, org_a)
    r = client.post(
        f"{FW}/{framework_id}/fill",
        json={"relationship_id": str(relationship_id), "interaction_id": str(message_id)},
        headers=org_a.headers,
    )
    assert r.status_code == 200, r.text
    filled = r.json()
    assert filled["text"].startswith("Hi Margareth,")
    assert "You have been with us for 5 years" in filled["text"]
    assert "did not keep it; I am sorry" in filled["text"]
    assert filled["conditions"] == [
        {"condition": "phase == long_term", "result": True},
        {"condition": "promise_broken", "result": True},
    ]
    [slot] = filled["slots"]
    assert filled["text"][slot["start"] : slot["end"]].startswith("[[answer:")
    # a new customer with no broken promise gets neither sentence
    newcomer = make_customer(session_factory, org_a, name="Nia Okafor", email="nia@example.com")
    fresh = relationship_of(session_factory, org_a, newcomer.id)
    r = client.post(
        f"{FW}/{framework_id}/fill", json={"relationship_id": str(fresh.id)}, headers=org_a.headers
    )
    text = r.json()["text"]
    assert text.startswith("Hi Nia,")
    assert "been with us" not in text
    assert "sorry" not in text


def test_a_reply_cannot_be_sent_with_a_slot_unwritten(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    framework_id = make_framework(session_factory, org_a, intents=["complaint"])
    customer = make_customer(session_factory, org_a, name="Sam Lee", email="sam@example.com")
    relationship = relationship_of(session_factory, org_a, customer.id)
    url = f"{FW}/{framework_id}/usages"
    base = {"event": "sent", "relationship_id": str(relationship.id)}
    filled = client.post(
        f"{FW}/{framework_id}/fill",
        json={"relationship_id": str(relationship.id)},
        headers=org_a.headers,
    ).json()
    placeholder = filled["slots"][0]["placeholder"]
    answer = "I refunded the second charge today; it shows on your statement by Friday."
    cases = {
        "": "is empty",
        placeholder: "placeholder",
        "Sorry.": "too short",
        "n/a": "filler",
    }
    for written, why in cases.items():
        final = filled["text"].replace(
            filled["text"][filled["slots"][0]["start"] : filled["slots"][0]["end"]], written
        )
        r = client.post(
            url,
            json=base | {"final_text": final, "slots": {"answer": written}},
            headers=org_a.headers,
        )
        assert r.status_code == 422, (written, r.text)
        assert why in r.json()["detail"], r.text
    left_as_is = client.post(
        url,
        json=base | {"final_text": filled["text"], "slots": {"answer": answer}},
        headers=org_a.headers,
    )
    assert left_as_is.status_code == 422
    assert "slot mark" in left_as_is.json()["detail"]
    final = filled["text"].replace(
        filled["text"][filled["slots"][0]["start"] : filled["slots"][0]["end"]], answer
    )
    ok = client.post(
        url, json=base | {"final_text": final, "slots": {"answer": answer}}, headers=org_a.headers
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["edit_ratio"] < 0.05
    assert ok.json()["deleted_sentences"] == []


SUGGEST_LIBRARY: list[dict[str, Any]] = [
    {
        "name": "Apologise for a broken promise",
        "intents": ["complaint"],
        "phases": ["long_term"],
        "emotions": ["anger", "sadness"],
        "examples": ["You promised to call me back and nobody did", "I was told it would be fixed"],
    },
    {
        "name": "Thank for an idea and say what happens to it",
        "intents": ["suggestion"],
        "examples": ["It would be great if the app could export to a spreadsheet"],
    },
    {
        "name": "Explain a charge",
        "intents": ["billing", "question"],
        "examples": ["Why was I charged this fee on my invoice?"],
    },
]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "You promised to call me on Monday and nobody did. I am really upset.",
            "Apologise for a broken promise",
        ),
        (
            "It would be great if I could export my statements to a spreadsheet.",
            "Thank for an idea and say what happens to it",
        ),
        ("Why is there an extra fee on my invoice this month?", "Explain a charge"),
    ],
)
def test_suggestions_put_the_fitting_framework_first(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    message: str,
    expected: str,
) -> None:
    for item in SUGGEST_LIBRARY:
        make_framework(session_factory, org_a, **item)
    make_framework(
        session_factory, org_a, name="Retired apology", intents=["complaint"], publish=True
    )
    with org_session(session_factory, org_a) as db:
        retired = db.scalar(
            select(ResponseFramework).where(ResponseFramework.name == "Retired apology")
        )
        assert retired is not None
        retired.status = "retired"
    relationship_id, _ = _long_term_with_broken_promise(session_factory, org_a)
    r = client.post(
        f"{FW}/suggest",
        json={"customer_message": message, "relationship_id": str(relationship_id)},
        headers=org_a.headers,
    )
    assert r.status_code == 200, r.text
    names = [i["name"] for i in r.json()["items"]]
    assert names[0] == expected, r.json()
    assert "Retired apology" not in names
    assert r.json()["items"][0]["why"]


def test_suggesting_for_a_stored_message_records_the_suggestions(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    for item in SUGGEST_LIBRARY:
        make_framework(session_factory, org_a, **item)
    relationship_id, message_id = _long_term_with_broken_promise(session_factory, org_a)
    r = client.post(
        f"{FW}/suggest", json={"interaction_id": str(message_id)}, headers=org_a.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["phase"] == "long_term"
    assert r.json()["intent"] == "complaint"
    assert r.json()["items"][0]["name"] == "Apologise for a broken promise"
    with org_session(session_factory, org_a) as db:
        rows = db.scalars(select(FrameworkUsage).where(FrameworkUsage.event == "suggested")).all()
        assert sorted(u.rank or 0 for u in rows) == [1, 2, 3]
        assert {u.relationship_id for u in rows} == {relationship_id}


def _count(factory: sessionmaker[Session], org: OrgContext) -> int:
    with org_session(factory, org) as db:
        return db.scalar(select(func.count()).select_from(ResponseFramework)) or 0


def test_import_is_all_or_nothing_with_line_numbers(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    bad_csv = (
        "title,body,intents\n"
        '"Refund","Hi {{customer_first_name}}, [[answer: what you did]] Ana",billing\n'
        '"","no title here",question\n'
        '"Broken","Hello {{ticket.requester.name}}",complaint\n'
        '"Wrong intent","Hello",rant\n'
    )
    r = client.post(
        f"{FW}/import",
        files={"file": ("macros.csv", bad_csv.encode(), "text/csv")},
        headers=org_a.headers,
    )
    assert r.status_code == 422, r.text
    errors = {(e["line"], e["field"]) for e in r.json()["errors"]}
    assert errors == {(3, "title"), (4, "body"), (5, "intents")}, r.json()
    assert _count(session_factory, org_a) == 0
    bad_json = json.dumps([{"title": "Fine", "body": "Hello"}, {"title": "No body"}], indent=2)
    r = client.post(
        f"{FW}/import",
        files={"file": ("macros.json", bad_json.encode(), "application/json")},
        headers=org_a.headers,
    )
    assert r.status_code == 422
    assert [(e["line"], e["field"]) for e in r.json()["errors"]] == [(6, "body")]
    good = json.dumps(
        {
            "frameworks": [
                {"title": "Statements", "body": BAD_BODY},
                {"title": "Complaint", "body": GOOD_BODY, "intents": ["complaint"]},
            ]
        }
    )
    r = client.post(
        f"{FW}/import",
        files={"file": ("macros.json", good.encode(), "application/json")},
        headers=org_a.headers,
    )
    assert r.status_code == 201, r.text
    result = r.json()
    assert (result["imported"], result["passed"]) == (2, 1)
    statements = result["items"][0]["review"]
    assert "template_noise" in {f["category"] for f in statements["blocking"]}
    listed = client.get(FW, params={"status": "draft"}, headers=org_a.headers).json()["items"]
    assert {f["name"] for f in listed} == {"Statements", "Complaint"}


def test_outcomes_count_uses_and_flag_sentences_operators_delete(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    framework_id = make_framework(session_factory, org_a, intents=["complaint"])
    relationship_id, _ = _long_term_with_broken_promise(session_factory, org_a)
    filled = client.post(
        f"{FW}/{framework_id}/fill",
        json={"relationship_id": str(relationship_id)},
        headers=org_a.headers,
    ).json()
    answer = "I have booked the engineer for Thursday morning and I will call you after the visit."
    slot = filled["slots"][0]
    final = filled["text"][: slot["start"]] + answer + filled["text"][slot["end"] :]
    final = final.replace("You have been with us for 5 years, and that matters to us.\n", "")
    for _ in range(3):
        r = client.post(
            f"{FW}/{framework_id}/usages",
            json={
                "event": "sent",
                "relationship_id": str(relationship_id),
                "final_text": final,
                "slots": {"answer": answer},
            },
            headers=org_a.headers,
        )
        assert r.status_code == 201, r.text
    client.post(f"{FW}/{framework_id}/usages", json={"event": "used"}, headers=org_a.headers)
    r = client.get(f"{FW}/outcomes", headers=org_a.headers)
    assert r.status_code == 200, r.text
    [row] = [o for o in r.json()["items"] if o["framework_id"] == str(framework_id)]
    assert (row["sent"], row["used"], row["edited"]) == (3, 1, 3)
    assert row["mean_edit_ratio"] > 0
    assert row["flagged"] is True
    assert row["deleted_sentences"][0] == {
        "sentence": "You have been with us for 5 years, and that matters to us.",
        "deleted": 3,
        "sent": 3,
    }


def test_suggestions_come_only_from_the_callers_library(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    theirs = make_framework(session_factory, org_b, name="Beta apology", intents=["complaint"])
    message = {"customer_message": "You promised to call me and nobody did."}
    empty = client.post(f"{FW}/suggest", json=message, headers=org_a.headers)
    assert empty.status_code == 200, empty.text
    assert empty.json()["items"] == []
    mine = make_framework(session_factory, org_a, name="Acme apology", intents=["complaint"])
    as_a = client.post(f"{FW}/suggest", json=message, headers=org_a.headers).json()["items"]
    as_b = client.post(f"{FW}/suggest", json=message, headers=org_b.headers).json()["items"]
    assert [i["framework_id"] for i in as_a] == [str(mine)]
    assert [i["framework_id"] for i in as_b] == [str(theirs)]
    assert client.get(f"{FW}/{theirs}", headers=org_a.headers).status_code == 404


def test_the_review_also_reads_the_organisations_own_messages_of_the_intent(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    purpose = {"intents": ["suggestion"]}
    before = _create(client, org_a.headers, **purpose)["latest"]["review"]["samples"]
    customer = make_customer(session_factory, org_a, name="Ida", email="ida@example.com")
    idea = make_interaction(
        session_factory, org_a, customer_id=customer.id, body="Could you add a dark mode please?"
    )
    other = make_interaction(
        session_factory, org_a, customer_id=customer.id, body="Where is my card?"
    )
    with org_session(session_factory, org_a) as db:
        for interaction_id, intent in ((idea.id, "suggestion"), (other.id, "question")):
            message_service.store(
                db=db,
                interaction_id=interaction_id,
                results={"intent": message_service.AnalyserResult("1.0.0", [intent])},  # type: ignore[arg-type]
            )
    after = _create(client, org_a.headers, **purpose)["latest"]["review"]["samples"]
    assert after == before + 2  # one more message, reviewed in both renderings


def _analysed(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    customer_id: uuid.UUID,
    conversation_id: uuid.UUID,
    body: str,
    at: datetime,
    reason_id: uuid.UUID,
    sentiment: float,
) -> uuid.UUID:
    message = make_interaction(
        factory,
        org,
        customer_id=customer_id,
        conversation_id=str(conversation_id),
        body=body,
        occurred_at=at.isoformat(),
    )
    with org_session(factory, org) as db:
        db.add(MessageReason(interaction_id=message.id, reason_id=reason_id, confidence=0.9))
        message_service.store(
            db=db,
            interaction_id=message.id,
            results={"sentiment": message_service.AnalyserResult("1.0.0", {"score": sentiment})},
        )
    return message.id


def test_outcomes_follow_what_happened_after_a_sent_reply(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Repeat contact on the same reason, sentiment recovery, reopen and a promise kept."""
    framework_id = make_framework(session_factory, org_a, intents=["complaint"])
    customer = make_customer(session_factory, org_a, name="Tom Reed", email="tom@example.com")
    relationship = relationship_of(session_factory, org_a, customer.id)
    conversation = make_conversation(session_factory, org_a, customer_id=customer.id)
    with org_session(session_factory, org_a) as db:
        reason = ContactReason(name="Card not arrived")
        db.add(reason)
        db.flush()
        reason_id = reason.id
    now = utcnow()
    common = {
        "customer_id": customer.id,
        "conversation_id": conversation.id,
        "reason_id": reason_id,
    }
    answered = _analysed(
        session_factory,
        org_a,
        body="My card still has not arrived!",
        at=now - timedelta(hours=1),
        sentiment=-0.7,
        **common,
    )
    answer = "I have ordered a new card by express post; it arrives on Thursday."
    filled = client.post(
        f"{FW}/{framework_id}/fill", json={"interaction_id": str(answered)}, headers=org_a.headers
    ).json()
    slot = filled["slots"][0]
    final = filled["text"][: slot["start"]] + answer + filled["text"][slot["end"] :]
    sent = client.post(
        f"{FW}/{framework_id}/usages",
        json={
            "event": "sent",
            "interaction_id": str(answered),
            "final_text": final,
            "slots": {"answer": answer},
        },
        headers=org_a.headers,
    )
    assert sent.status_code == 201, sent.text
    with org_session(session_factory, org_a) as db:
        db.get(Conversation, conversation.id).closed_at = now + timedelta(hours=2)  # type: ignore[union-attr]
        rel = relationship_service.get(db=db, relationship_id=relationship.id)
        promise = commitments.create(
            db=db, relationship=rel, commitment_in=CommitmentCreate(text="a new card by Thursday")
        )
        commitments.close(db=db, commitment=promise, commitment_in=CommitmentUpdate(status="kept"))
    _analysed(
        session_factory,
        org_a,
        body="Thanks, the card came, all good.",
        at=now + timedelta(days=2),
        sentiment=0.5,
        **common,
    )
    r = client.get(f"{FW}/outcomes", params={"days": 7}, headers=org_a.headers)
    [row] = [o for o in r.json()["items"] if o["framework_id"] == str(framework_id)]
    assert (row["repeat_contact_rate"], row["repeat_contact_known"]) == (1.0, 1)
    assert (row["sentiment_recovery_rate"], row["sentiment_recovery_known"]) == (1.0, 1)
    assert (row["reopen_rate"], row["reopen_known"]) == (1.0, 1)
    assert (row["promise_kept_rate"], row["promise_kept_known"]) == (1.0, 1)
    later = client.get(f"{FW}/outcomes", params={"days": 1}, headers=org_a.headers).json()
    [row] = [o for o in later["items"] if o["framework_id"] == str(framework_id)]
    assert row["repeat_contact_rate"] == 0.0  # the second message came after one day
