"""Organisations with an admin member and an API token, for tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.organisations import service
from goodwill.types import Role

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class OrgContext:
    organisation_id: uuid.UUID
    admin_member_id: uuid.UUID
    admin_email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_organisation(
    factory: sessionmaker[Session], name: str, *, domains: list[str] | None = None
) -> OrgContext:
    """An organisation, its admin (password ``PASSWORD``) and an admin API token."""
    session = factory()
    org = service.create_organisation(
        db=session, name=name, email_domains=domains or [f"{name.split()[0].lower()}.example"]
    )
    tenancy.scope(session, org.id)
    email = f"admin@{org.slug}.example"
    user = service.get_or_create_user(
        db=session, email=email, display_name="Ada Admin", password=PASSWORD
    )
    member = service.add_member(db=session, user=user, role=Role.ADMIN, team_name="Support")
    _, token = service.create_api_token(db=session, member=member, name="tests")
    session.commit()
    session.close()
    return OrgContext(org.id, member.id, email, token)


def add_member(
    factory: sessionmaker[Session], org: OrgContext, email: str, role: Role
) -> tuple[uuid.UUID, str]:
    """Another member of ``org`` with ``role`` and an API token: (member id, token)."""
    session = factory()
    tenancy.scope(session, org.organisation_id)
    user = service.get_or_create_user(
        db=session, email=email, display_name=email, password=PASSWORD
    )
    member = service.add_member(db=session, user=user, role=role)
    _, token = service.create_api_token(db=session, member=member, name="tests")
    session.commit()
    session.close()
    return member.id, token
