"""A small book for the perception tests: two agents (Ana, Bo) and a manager (Max) in
organisation A, with relationships in chosen stages and segments."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Customer
from goodwill.relationships.models import Relationship
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext, add_member

_NONCE = re.compile(r'name="nonce" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    member_id: uuid.UUID
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Team:
    ana: Person
    bo: Person
    max: Person


def make_team(factory: sessionmaker[Session], org: OrgContext) -> Team:
    people = []
    for name, role in (("ana", Role.AGENT), ("bo", Role.AGENT), ("max", Role.MANAGER)):
        email = f"{name}@acme.example"
        member_id, token = add_member(factory, org, email, role)
        people.append(Person(member_id, email, token))
    return Team(*people)


def make_relationship(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    owner: Person | None,
    name: str,
    stage: str | None = None,
    segment: str | None = None,
    email: str | None = None,
    with_email: bool = True,
) -> uuid.UUID:
    """A customer (``name``) and its relationship, owned by ``owner``; its id."""
    customer = make_customer(
        factory,
        org,
        name=name,
        email=email or f"{name.lower().replace(' ', '.')}@customers.example",
        owner_member_id=owner.member_id if owner else None,
        segment=segment,
    )
    relationship_id = relationship_of(factory, org, customer.id).id
    with org_session(factory, org) as db:
        if stage is not None:
            db.execute(
                update(Relationship).where(Relationship.id == relationship_id).values(stage=stage)
            )
        if not with_email:
            db.execute(
                update(Customer)
                .where(Customer.id == customer.id)
                .values(email=None, external_id=name)
            )
    return relationship_id


def nonce(page: str) -> str:
    """The nonce of the survey form on ``page``."""
    found = _NONCE.search(page)
    assert found, "no survey form on this page"
    return found.group(1)


def token_of(url: str) -> str:
    return url.rsplit("/p/", 1)[1]
