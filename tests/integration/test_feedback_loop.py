"""The feedback loop through the API: suggestions grouped by meaning into ideas, merge and split,
status changes that prepare one coach-reviewed draft per customer, blocked drafts, tenancy."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.main import API_PREFIX
from goodwill.types import Role
from tests.factories.customers import make_customer
from tests.factories.feedback import (
    CSV_EXPORT,
    DARK_MODE,
    DARK_MODE_AGAIN,
    make_suggestion,
    set_status,
)
from tests.factories.interactions import make_interaction
from tests.factories.organisations import OrgContext, add_member


def _customer(factory: sessionmaker[Session], org: OrgContext, name: str, **kw: Any) -> uuid.UUID:
    return make_customer(factory, org, name=name, **kw).id


def _suggest(client: TestClient, org: OrgContext, **body: Any) -> dict[str, Any]:
    body = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in body.items()}
    r = client.post(f"{API_PREFIX}/suggestions", json=body, headers=org.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_paraphrases_join_one_idea_and_another_topic_starts_its_own(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    margareth = _customer(session_factory, org_a, "Margareth Smith")
    thomas = _customer(session_factory, org_a, "Thomas Berg")
    first = _suggest(client, org_a, customer_id=margareth, text=DARK_MODE)
    second = _suggest(client, org_a, customer_id=thomas, text=DARK_MODE_AGAIN)
    other = _suggest(client, org_a, customer_id=thomas, text=CSV_EXPORT)
    assert second["idea_id"] == first["idea_id"]
    assert other["idea_id"] != first["idea_id"]
    idea = client.get(f"{API_PREFIX}/ideas/{first['idea_id']}", headers=org_a.headers).json()
    assert idea["weight"]["customers"] == 2
    assert idea["weight"]["suggestions"] == 2
    assert {s["text"] for s in idea["suggestions"]} == {DARK_MODE, DARK_MODE_AGAIN}
    assert idea["status"] == "new"
    assert [h["to_status"] for h in idea["history"]] == ["new"]
    listed = client.get(f"{API_PREFIX}/ideas", headers=org_a.headers).json()["items"]
    assert {i["id"] for i in listed} == {first["idea_id"], other["idea_id"]}


def test_weight_counts_customers_segments_and_revenue_not_votes(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    vip = _customer(session_factory, org_a, "Vera", segment="vip")
    make_interaction(
        session_factory,
        org_a,
        customer_id=vip,
        kind="purchase",
        amount="999.00",
        currency="EUR",
        body=None,
        direction=None,
        subject=None,
    )
    voter = _customer(session_factory, org_a, "Victor")
    vip_idea = _suggest(client, org_a, customer_id=vip, text=DARK_MODE)["idea_id"]
    votes_idea = _suggest(client, org_a, customer_id=voter, text=CSV_EXPORT)["idea_id"]
    for _ in range(2):  # the same customer asking again is one customer, not three
        _suggest(client, org_a, customer_id=voter, text=CSV_EXPORT, idea_id=votes_idea)
    ideas = {
        i["id"]: i for i in client.get(f"{API_PREFIX}/ideas", headers=org_a.headers).json()["items"]
    }
    assert ideas[votes_idea]["weight"]["suggestions"] == 3
    assert ideas[votes_idea]["weight"]["customers"] == 1
    assert ideas[vip_idea]["weight"]["segments"] == {"vip": 1}
    assert ideas[vip_idea]["weight"]["revenue"] == 999.0
    assert ideas[vip_idea]["weight"]["score"] > ideas[votes_idea]["weight"]["score"]


def test_merge_moves_every_suggestion_and_split_moves_them_out(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    c = _customer(session_factory, org_a, "Ann")
    a = _suggest(client, org_a, customer_id=c, text=DARK_MODE)
    b = _suggest(client, org_a, customer_id=c, text=CSV_EXPORT)
    r = client.post(
        f"{API_PREFIX}/ideas/{a['idea_id']}/merge",
        json={"idea_ids": [b["idea_id"]]},
        headers=org_a.headers,
    )
    assert r.status_code == 200, r.text
    assert {s["id"] for s in r.json()["suggestions"]} == {a["id"], b["id"]}
    merged = client.get(f"{API_PREFIX}/ideas/{b['idea_id']}", headers=org_a.headers).json()
    assert merged["merged_into_id"] == a["idea_id"]
    assert merged["suggestions"] == []
    listed = client.get(f"{API_PREFIX}/ideas", headers=org_a.headers).json()["items"]
    assert [i["id"] for i in listed] == [a["idea_id"]]
    # a merged idea cannot be merged again, nor an idea into itself
    again = client.post(
        f"{API_PREFIX}/ideas/{a['idea_id']}/merge",
        json={"idea_ids": [b["idea_id"]]},
        headers=org_a.headers,
    )
    assert again.status_code == 409
    r = client.post(
        f"{API_PREFIX}/ideas/{a['idea_id']}/split",
        json={"suggestion_ids": [b["id"]], "title": "CSV export"},
        headers=org_a.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "CSV export"
    assert [s["id"] for s in r.json()["suggestions"]] == [b["id"]]
    left = client.get(f"{API_PREFIX}/ideas/{a['idea_id']}", headers=org_a.headers).json()
    assert [s["id"] for s in left["suggestions"]] == [a["id"]]
    # the last suggestion cannot be split out: the idea would be empty
    empty = client.post(
        f"{API_PREFIX}/ideas/{a['idea_id']}/split",
        json={"suggestion_ids": [a["id"]]},
        headers=org_a.headers,
    )
    assert empty.status_code == 422


def test_agents_cannot_change_status_merge_or_send(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    agent = {"Authorization": f"Bearer {token}"}
    c = _customer(session_factory, org_a, "Ann")
    idea_id = make_suggestion(session_factory, org_a, customer_id=c).idea_id
    r = client.patch(f"{API_PREFIX}/ideas/{idea_id}", json={"status": "planned"}, headers=agent)
    assert r.status_code == 403
    r = client.post(
        f"{API_PREFIX}/ideas/{idea_id}/merge", json={"idea_ids": [str(uuid.uuid4())]}, headers=agent
    )
    assert r.status_code == 403


def test_status_change_prepares_one_personal_draft_per_customer(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    margareth = _customer(session_factory, org_a, "Margareth Smith")
    thomas = _customer(session_factory, org_a, "Thomas Berg")
    s1 = make_suggestion(session_factory, org_a, customer_id=margareth, text=DARK_MODE)
    make_suggestion(
        session_factory, org_a, customer_id=thomas, text=DARK_MODE_AGAIN, idea_id=s1.idea_id
    )
    make_suggestion(session_factory, org_a, customer_id=thomas, text=DARK_MODE, idea_id=s1.idea_id)
    url = f"{API_PREFIX}/ideas/{s1.idea_id}"
    note = "It comes to the iPhone app first, in the April release."
    r = client.patch(
        url,
        json={"status": "planned", "public_note": note, "tracker_url": "https://example.com/t/42"},
        headers=org_a.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["drafts_prepared"] == 2
    assert [h["to_status"] for h in r.json()["history"]] == ["new", "planned"]
    drafts = client.get(f"{url}/drafts", headers=org_a.headers).json()["items"]
    by_customer = {d["customer_id"]: d for d in drafts}
    assert set(by_customer) == {str(margareth), str(thomas)}
    mine = by_customer[str(margareth)]
    assert mine["body"].startswith("Hello Margareth,")
    assert DARK_MODE in mine["body"]  # in their own words
    assert note in mine["body"]
    assert "https://example.com/t/42" in mine["body"]
    assert mine["outcome"] == "planned"
    assert (mine["channel"], mine["recipient"]) == ("email", mine["recipient"])
    assert mine["coach_score"] >= 70
    assert not mine["blocked"]
    assert "feedback_outcome" in {f["category"] for f in mine["coach_findings"]}
    # the same status again prepares nothing; a new outcome prepares one more per customer
    again = client.patch(url, json={"status": "planned"}, headers=org_a.headers)
    assert again.json()["drafts_prepared"] == 0
    shipped = client.patch(url, json={"status": "shipped"}, headers=org_a.headers)
    assert shipped.json()["drafts_prepared"] == 2
    assert len(client.get(f"{url}/drafts", headers=org_a.headers).json()["items"]) == 4


def test_tracker_url_must_be_http(client: TestClient, org_a: OrgContext) -> None:
    for bad in ("javascript:alert(1)", "ftp://example.com/x", "not a url"):
        r = client.post(
            f"{API_PREFIX}/ideas", json={"title": "x", "tracker_url": bad}, headers=org_a.headers
        )
        assert r.status_code == 422, bad
    ok = client.post(
        f"{API_PREFIX}/ideas",
        json={"title": "x", "tracker_url": "https://linear.app/acme/issue/ACME-1"},
        headers=org_a.headers,
    )
    assert ok.status_code == 201


BAD_WORDS = (
    "Dear customer, thanks for your feedback. That is how the system works. "
    "You can always check it from your app."
)


def test_draft_with_high_findings_is_blocked_until_edited_or_overridden(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    c = _customer(session_factory, org_a, "Margareth Smith")
    s = make_suggestion(session_factory, org_a, customer_id=c)
    (draft,) = set_status(session_factory, org_a, s.idea_id, "declined")
    url = f"{API_PREFIX}/loop-drafts/{draft.id}"
    r = client.patch(url, json={"body": BAD_WORDS}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    assert r.json()["blocked"] is True
    assert "high" in {f["severity"] for f in r.json()["coach_findings"]}
    refused = client.post(f"{url}/send", json={}, headers=org_a.headers)
    assert refused.status_code == 409
    assert "high-severity" in refused.json()["detail"]
    assert (
        client.get(f"{API_PREFIX}/ideas/{s.idea_id}/drafts", headers=org_a.headers).json()["items"][
            0
        ]["state"]
        == "draft"
    )
    # edited back into good words, the coach clears it
    good = draft.body
    r = client.patch(url, json={"body": good}, headers=org_a.headers)
    assert r.json()["blocked"] is False


def test_another_organisations_idea_and_draft_are_404(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
) -> None:
    theirs = make_suggestion(
        session_factory, org_b, customer_id=_customer(session_factory, org_b, "Bo")
    )
    (draft,) = set_status(session_factory, org_b, theirs.idea_id, "shipped")
    assert (
        client.get(f"{API_PREFIX}/ideas/{theirs.idea_id}", headers=org_a.headers).status_code == 404
    )
    r = client.patch(
        f"{API_PREFIX}/ideas/{theirs.idea_id}", json={"status": "declined"}, headers=org_a.headers
    )
    assert r.status_code == 404
    r = client.post(f"{API_PREFIX}/loop-drafts/{draft.id}/send", json={}, headers=org_a.headers)
    assert r.status_code == 404
    mine = make_suggestion(
        session_factory, org_a, customer_id=_customer(session_factory, org_a, "Al")
    )
    r = client.post(
        f"{API_PREFIX}/ideas/{mine.idea_id}/merge",
        json={"idea_ids": [str(theirs.idea_id)]},
        headers=org_a.headers,
    )
    assert r.status_code == 404
    assert (
        client.get(f"{API_PREFIX}/ideas/{theirs.idea_id}", headers=org_b.headers).json()[
            "merged_into_id"
        ]
        is None
    )


def test_drafts_follow_their_customers_into_a_merged_idea(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    ann = _customer(session_factory, org_a, "Ann")
    decided = make_suggestion(session_factory, org_a, customer_id=ann, text=DARK_MODE)
    (draft,) = set_status(session_factory, org_a, decided.idea_id, "planned")
    other = make_suggestion(session_factory, org_a, customer_id=ann, text=CSV_EXPORT)
    assert other.idea_id != decided.idea_id
    r = client.post(
        f"{API_PREFIX}/ideas/{other.idea_id}/merge",
        json={"idea_ids": [str(decided.idea_id)]},
        headers=org_a.headers,
    )
    assert r.status_code == 200, r.text
    drafts = client.get(f"{API_PREFIX}/ideas/{other.idea_id}/drafts", headers=org_a.headers)
    assert [d["id"] for d in drafts.json()["items"]] == [str(draft.id)]
