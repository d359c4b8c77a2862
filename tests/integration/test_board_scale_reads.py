"""The board's default order read through the last-contact index (both databases): page after
page, the contacted relationships by last contact, then the never-contacted ones, each once; and
its count bounded ("more than ...")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from goodwill.errors import InvalidInput
from goodwill.relationships.models import Relationship
from goodwill.web import board
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext


@pytest.mark.parametrize("descending", [True, False])
def test_pages_follow_last_contact_then_the_never_contacted_each_once(
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    monkeypatch: pytest.MonkeyPatch,
    descending: bool,
) -> None:
    for _ in range(7):
        make_customer(session_factory, org_a)
    now = utcnow()
    with org_session(session_factory, org_a) as db:
        rels = list(db.scalars(select(Relationship)))
        for n, rel in enumerate(rels):  # three never contacted, two contacted at the same time
            rel.last_interaction_at = None if n < 3 else now - timedelta(days=min(n, 5))
    monkeypatch.setattr(board, "PAGE_SIZE", 2)
    monkeypatch.setattr(board, "COUNTED", 5)
    with org_session(session_factory, org_a) as db:
        me = org_a.admin_member_id
        seen: list[Relationship] = []
        for number in range(1, 5):
            q = board.BoardQuery(descending=descending, page=number)
            found = board.page(db=db, q=q, me=me, as_of=now)
            seen += [row[0] for row in found.rows]
            assert found.total == 6  # seven, counted only up to five and one
            assert found.more_than_counted
        contacted = [r for r in seen if r.last_interaction_at is not None]
        never = [r for r in seen if r.last_interaction_at is None]
        assert len(seen) == len({r.id for r in seen}) == 7
        assert seen == contacted + never  # never-contacted last, in both directions
        keys = [(r.last_interaction_at, r.id) for r in contacted]
        assert keys == sorted(keys, reverse=descending)
        ids = [r.id for r in never]
        assert ids == sorted(ids, reverse=descending)


def test_a_board_page_beyond_the_counted_rows_is_refused_with_what_to_do() -> None:
    with pytest.raises(InvalidInput, match="filter the board"):
        board.BoardQuery.parse({"page": str(board.MAX_PAGE + 1)})
