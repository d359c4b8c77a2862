"""The customer's survey page: no sign-in, one answer per link, a nonce on the form, nothing of
the company's view on it, hostile input shown as text, expired and unknown links closed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import utcnow
from goodwill.organisations.models import Organisation
from goodwill.perception.models import PerceptionAnswer
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext
from tests.factories.perception import FINE, ask, owner_estimate
from tests.integration.perception_support import Team, make_relationship, make_team, nonce
from tests.web_support import sign_in

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def team(session_factory: sessionmaker[Session], org_a: OrgContext) -> Team:
    return make_team(session_factory, org_a)


@pytest.fixture
def relationship_id(
    session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> uuid.UUID:
    return make_relationship(session_factory, org_a, owner=team.ana, name="Margareth Vance")


def _answers(factory: sessionmaker[Session], org: OrgContext) -> list[PerceptionAnswer]:
    with org_session(factory, org) as db:
        return list(db.scalars(select(PerceptionAnswer).where(PerceptionAnswer.side == "customer")))


def _form(nonce_value: str, **overrides: str) -> dict[str, str]:
    return {"nonce": nonce_value, **{k: str(v) for k, v in FINE.items()}, **overrides}


def test_the_customer_answers_once_without_signing_in(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    relationship_id: uuid.UUID,
) -> None:
    _, token = ask(session_factory, org_a, relationship_id)
    page = client.get(f"/p/{token}")
    assert page.status_code == 200, page.text
    assert not client.cookies  # no session, no sign-in
    assert "How is it going with Acme Money?" in page.text
    assert "Acme Money does what it says it will do." in page.text
    assert 'aria-label="Sections"' not in page.text
    assert "Sign out" not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert page.headers["referrer-policy"] == "no-referrer"
    form = _form(nonce(page.text), trust="2", comment="Promised a call, never came")
    sent = client.post(f"/p/{token}", data=form, follow_redirects=False)
    assert sent.status_code == 303
    thanks = client.get(sent.headers["location"])
    assert thanks.status_code == 200
    assert "Your answers are in" in thanks.text
    assert 'name="nonce"' not in thanks.text
    (stored,) = _answers(session_factory, org_a)
    assert stored.scores() == FINE | {"trust": 2}
    assert stored.comment == "Promised a call, never came"
    again = client.post(f"/p/{token}", data=_form(nonce(page.text), trust="5"))
    assert "Your answers are in" in again.text
    assert [a.trust for a in _answers(session_factory, org_a)] == [2]  # single use


def test_the_page_reveals_nothing_of_the_companys_view(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    team: Team,
    relationship_id: uuid.UUID,
) -> None:
    owner_estimate(session_factory, org_a, relationship_id, team.ana.member_id, FINE)
    with org_session(session_factory, org_a) as db:
        db.execute(update(PerceptionAnswer).values(comment="OWNER-ONLY: thinks she is happy"))
    _, token = ask(session_factory, org_a, relationship_id)
    page = client.get(f"/p/{token}").text
    for secret in ("OWNER-ONLY", "Margareth", "ana@acme.example", str(relationship_id)):
        assert secret not in page
    assert "checked" not in page  # no answer is pre-filled from the owner's estimate


def test_hostile_input_is_shown_as_text(
    client: TestClient,
    raw_db: Session,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    team: Team,
    relationship_id: uuid.UUID,
) -> None:
    with tenancy.system_scope(raw_db):
        raw_db.execute(
            update(Organisation)
            .where(Organisation.id == org_a.organisation_id)
            .values(name=f"Acme {HOSTILE}")
        )
        raw_db.commit()
    _, token = ask(session_factory, org_a, relationship_id)
    page = client.get(f"/p/{token}")
    assert HOSTILE not in page.text
    assert "Acme &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    bad = client.post(
        f"/p/{token}", data=_form(nonce(page.text), trust=f'5">{HOSTILE}', comment=HOSTILE)
    )
    assert bad.status_code == 422
    assert "Choose one answer from 1 to 5." in bad.text
    assert HOSTILE not in bad.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x" in bad.text  # kept
    assert _answers(session_factory, org_a) == []
    good = client.post(f"/p/{token}", data=_form(nonce(page.text), comment=HOSTILE))
    assert good.status_code == 200
    (stored,) = _answers(session_factory, org_a)
    assert stored.comment == HOSTILE  # stored as written, escaped where shown
    sign_in(client, team.ana.email)
    owner_page = client.get(f"/relationships/{relationship_id}/perception")
    assert owner_page.status_code == 200
    assert HOSTILE not in owner_page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in owner_page.text


def test_a_form_without_its_nonce_stores_nothing(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    relationship_id: uuid.UUID,
) -> None:
    _, token = ask(session_factory, org_a, relationship_id)
    other = make_relationship(session_factory, org_a, owner=None, name="Other")
    _, other_token = ask(session_factory, org_a, other)
    other_nonce = nonce(client.get(f"/p/{other_token}").text)
    stale = str(int((utcnow() - timedelta(days=2)).timestamp()))
    for forged in ("", "123.abc", other_nonce, f"{stale}.{other_nonce.split('.')[1]}"):
        refused = client.post(f"/p/{token}", data=_form(forged))
        assert refused.status_code == 403, forged
        assert "please send it again" in refused.text
        assert 'name="nonce"' in refused.text  # a fresh form, the answers kept
        assert 'name="trust" value="4" required checked' in refused.text
    assert _answers(session_factory, org_a) == []


def test_expired_and_unknown_links_are_closed(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    relationship_id: uuid.UUID,
) -> None:
    _, token = ask(session_factory, org_a, relationship_id, now=utcnow() - timedelta(days=31))
    expired = client.get(f"/p/{token}")
    assert expired.status_code == 410
    assert "This link has expired" in expired.text
    posted = client.post(f"/p/{token}", data=_form("1.x"))
    assert posted.status_code == 410
    for unknown in ("gw_" + "A" * 43, token[:-1], "x" * 300):
        answer = client.get(f"/p/{unknown}")
        assert answer.status_code == 404
        assert "This link is not valid" in answer.text
        assert "Acme" not in answer.text
    with org_session(session_factory, org_a) as db:
        assert db.scalar(select(func.count()).select_from(PerceptionAnswer)) == 0
