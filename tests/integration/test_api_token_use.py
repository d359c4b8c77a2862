"""An API token's "last used" marker never fails a request: on SQLite, requests arriving together
with one token all read it, and the ones that write the marker after another has committed meet a
"busy snapshot" that no waiting cures (found by the HTTP load test with two server processes)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from goodwill import migrations, tenancy
from goodwill.database import make_engine, make_session_factory, utcnow
from goodwill.organisations import service
from goodwill.organisations.models import ApiToken, Member
from tests.factories.organisations import make_organisation


def test_a_request_whose_snapshot_is_stale_still_authenticates(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'goodwill.sqlite3'}")
    migrations.upgrade(engine)
    factory = make_session_factory(engine)
    org = make_organisation(factory, "Acme Money")
    long_ago = utcnow() - timedelta(hours=1)
    with factory.begin() as db, tenancy.system_scope(db):
        db.execute(update(ApiToken).values(last_used_at=long_ago))

    first, second = factory(), factory()
    with tenancy.system_scope(second):  # the second request's read begins: its snapshot
        assert second.scalar(select(ApiToken.last_used_at)) is not None
    member = service.authenticate_token(db=first, token=org.token)  # notes the use, commits
    first.commit()
    # the second request now authenticates on its old snapshot: noting the use would be a
    # "busy snapshot" on SQLite; it is skipped, and the request goes on
    again = service.authenticate_token(db=second, token=org.token)
    assert isinstance(again, Member)
    assert again.id == member.id
    second.commit()
    with factory() as db, tenancy.system_scope(db):
        noted = db.scalar(select(ApiToken.last_used_at))
        assert noted is not None
        assert noted > long_ago
    engine.dispose()
