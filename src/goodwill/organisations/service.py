"""Organisations, members, and their credentials: the verbs of the organisations domain."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import idna
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from goodwill import security, tenancy
from goodwill.database import try_write, utcnow
from goodwill.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from goodwill.organisations.models import (
    ApiToken,
    Member,
    Organisation,
    Team,
    UserAccount,
    WebhookEndpoint,
    WebSession,
)
from goodwill.types import Role

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_DOMAINS = 50
_TOP_LEVEL = re.compile(r"^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(f"email: {email!r} is not an e-mail address")
    return email


def _slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:60] or "org"


def create_organisation(
    *, db: Session, name: str, email_domains: list[str] | None = None
) -> Organisation:
    """A new tenant (system work: the session must not be scoped to another one)."""
    if not name.strip():
        raise InvalidInput("name: an organisation needs a name")
    with tenancy.system_scope(db):
        slug = _slugify(name)
        if db.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
            slug = f"{slug}-{secrets.token_hex(3)}"
        org = Organisation(
            name=name.strip(),
            slug=slug,
            email_domains=checked_domains(email_domains or []),
        )
        db.add(org)
        db.flush()
    return org


def get_organisation(*, db: Session) -> Organisation:
    """The caller's own organisation."""
    org = db.get(Organisation, tenancy.current_organisation_id(db))
    if org is None:
        raise NotFound("organisation not found")
    return org


def normalise_domain(value: str) -> str:
    """A domain name as stored: lower case, an internationalised one in its ASCII (``xn--``)
    form; a leading ``@`` and a final dot are dropped. Anything else is refused, saying why."""
    text = value.strip().removeprefix("@").removesuffix(".")
    shown = repr(text if len(text) <= 80 else text[:80] + "…")
    if not text:
        raise InvalidInput("give a domain name, for example example.com")
    try:
        ascii_name = idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise InvalidInput(f"{shown} is not a domain name ({exc})") from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or not _TOP_LEVEL.match(labels[-1]) or len(ascii_name) > 253:
        raise InvalidInput(
            f"{shown} is not a domain name: give the part after the @ of your team's addresses, "
            "with its top-level domain (for example example.com)"
        )
    return ascii_name


def checked_domains(domains: Sequence[str]) -> list[str]:
    """Each domain normalised (``normalise_domain``), in the order given; the position of the
    first that is refused or repeated is named."""
    if len(domains) > MAX_EMAIL_DOMAINS:
        raise InvalidInput(f"domains: at most {MAX_EMAIL_DOMAINS} e-mail domains")
    found: list[str] = []
    for i, given in enumerate(domains):
        try:
            name = normalise_domain(given)
        except InvalidInput as exc:
            raise InvalidInput(f"domains[{i}]: {exc}") from None
        if name in found:
            raise InvalidInput(f"domains[{i}]: {name} is listed twice")
        found.append(name)
    return found


def get_email_domains(*, db: Session) -> list[str]:
    """The organisation's e-mail domains: mail from these is its team's, not a customer's."""
    return list(get_organisation(db=db).email_domains or [])


def set_email_domains(*, db: Session, domains: Sequence[str]) -> list[str]:
    """Replace the organisation's e-mail domains (checked; applies to the next e-mail import)."""
    org = get_organisation(db=db)
    org.email_domains = checked_domains(domains)
    db.flush()
    return list(org.email_domains)


def get_setting(*, db: Session, key: str) -> dict[str, Any] | None:
    """The organisation's settings entry ``key`` when it is an object, else ``None``."""
    value = (get_organisation(db=db).settings or {}).get(key)
    return value if isinstance(value, dict) else None


def set_setting(*, db: Session, key: str, value: dict[str, Any]) -> None:
    """Replace the settings entry ``key`` (with a new settings dict, so the change is saved)."""
    org = get_organisation(db=db)
    org.settings = {**(org.settings or {}), key: value}


def get_or_create_user(
    *, db: Session, email: str, display_name: str, password: str | None
) -> UserAccount:
    email = normalise_email(email)
    user = db.scalar(select(UserAccount).where(UserAccount.email == email))
    if user is not None:
        return user
    user = UserAccount(
        email=email,
        display_name=display_name.strip() or email,
        password_hash=security.hash_password(password) if password else None,
    )
    db.add(user)
    db.flush()
    return user


def set_password(*, db: Session, user: UserAccount, password: str) -> None:
    user.password_hash = security.hash_password(password)
    db.flush()


def add_member(
    *, db: Session, user: UserAccount, role: Role, team_name: str | None = None
) -> Member:
    """Make ``user`` a member of the session's organisation."""
    existing = db.scalar(select(Member).where(Member.user_id == user.id))
    if existing is not None:
        raise Conflict(f"{user.email} is already a member of this organisation")
    team = get_or_create_team(db=db, name=team_name) if team_name else None
    member = Member(user_id=user.id, role=role.value, team_id=team.id if team else None)
    db.add(member)
    db.flush()
    return member


def get_or_create_team(*, db: Session, name: str) -> Team:
    team = db.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.add(team)
        db.flush()
    return team


def get_member(*, db: Session, member_id: uuid.UUID) -> Member:
    member = db.get(Member, member_id)
    if member is None:
        raise NotFound(f"member {member_id} not found")
    return member


def get_member_by_email(*, db: Session, email: str) -> Member:
    member = db.scalar(
        select(Member).join(UserAccount).where(UserAccount.email == normalise_email(email))
    )
    if member is None:
        raise NotFound(f"no member with e-mail {email}")
    return member


def get_all_members(*, db: Session) -> list[Member]:
    return list(db.scalars(select(Member).join(UserAccount).order_by(UserAccount.email)))


def set_role(*, db: Session, member: Member, role: Role) -> Member:
    """Change a member's role; the last active admin cannot be demoted."""
    if member.role == Role.ADMIN and role != Role.ADMIN:
        admins = db.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.role == Role.ADMIN.value, Member.is_active.is_(True))
        )
        if (admins or 0) <= 1:
            raise Conflict("cannot demote the organisation's last admin")
    member.role = role.value
    db.flush()
    return member


def create_api_token(*, db: Session, member: Member, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``member``; the plain token is returned once and never stored."""
    plain = security.new_token()
    token = ApiToken(
        member_id=member.id,
        name=name.strip() or "token",
        prefix=plain[:10],
        token_hash=security.token_digest(plain),
    )
    db.add(token)
    db.flush()
    return token, plain


def revoke_api_token(*, db: Session, token_id: uuid.UUID) -> None:
    token = db.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"API token {token_id} not found")
    token.revoked_at = utcnow()
    db.flush()


def authenticate_token(*, db: Session, token: str) -> Member:
    """The active member behind ``token``; scopes ``db`` to the member's organisation."""
    digest = security.token_digest(token)
    with tenancy.system_scope(db):
        row = db.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        now = utcnow()
        if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at < now):
            raise NotAuthenticated("invalid or revoked API token")
        member = db.get(Member, row.member_id)
        if member is None or not member.is_active:
            raise NotAuthenticated("the token's member is no longer active")
        if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_NOTED:
            _note_use(db, row.id, now)
    tenancy.scope(db, member.organisation_id)
    return member


TOKEN_USE_NOTED = timedelta(minutes=5)  # "last used" is noted at most this often


def _note_use(db: Session, token_id: uuid.UUID, now: datetime) -> None:
    """Note when a token was last used, never failing the request for it: on SQLite, several
    requests arriving together with the same token all read it, and all but the first to write
    would meet a "busy snapshot" (another connection committed since their read began), which no
    waiting cures. The marker is a convenience: a request that cannot write it skips it."""
    stmt = (
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_USE_NOTED),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    try_write(db, lambda: db.execute(stmt))


@dataclass(frozen=True)
class Login:
    session: WebSession
    cookie_value: str


def login(*, db: Session, email: str, password: str, session_days: int) -> Login:
    """Check a password and open a browser session (throttled after repeated failures)."""
    email = email.strip().lower()
    user = db.scalar(select(UserAccount).where(UserAccount.email == email))
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        raise NotAuthenticated("too many failed sign-ins: try again in a few minutes")
    if user is None or not security.verify_password(user.password_hash, password):
        if user is not None:
            _count_failure(user)
        raise NotAuthenticated("wrong e-mail or password")
    user.failed_logins = 0
    user.locked_until = None
    memberships = member_organisations(db=db, user=user)
    if not memberships:
        raise NotAuthenticated("this account is not a member of any organisation")
    cookie = secrets.token_urlsafe(32)
    session = WebSession(
        session_hash=security.token_digest(cookie),
        user_id=user.id,
        current_organisation_id=memberships[0].organisation_id,
        expires_at=now + timedelta(days=session_days),
    )
    db.add(session)
    db.flush()
    return Login(session=session, cookie_value=cookie)


_MAX_FAILURES = 5
_LOCK_MINUTES = 15


def _count_failure(user: UserAccount) -> None:
    user.failed_logins += 1
    if user.failed_logins >= _MAX_FAILURES:
        user.locked_until = utcnow() + timedelta(minutes=_LOCK_MINUTES)
        user.failed_logins = 0


def member_organisations(*, db: Session, user: UserAccount) -> list[Member]:
    """Every active membership of ``user``, oldest first (system look-up across tenants)."""
    with tenancy.system_scope(db):
        return list(
            db.scalars(
                select(Member)
                .where(Member.user_id == user.id, Member.is_active.is_(True))
                .order_by(Member.created_at)
            )
        )


def authenticate_session(*, db: Session, cookie_value: str) -> tuple[WebSession, Member]:
    """The browser session and current membership; scopes ``db`` to that organisation."""
    digest = security.token_digest(cookie_value)
    with tenancy.system_scope(db):
        ws = db.scalar(select(WebSession).where(WebSession.session_hash == digest))
        if ws is None or ws.expires_at < utcnow() or ws.current_organisation_id is None:
            raise NotAuthenticated("session expired: sign in again")
        member = db.scalar(
            select(Member).where(
                Member.user_id == ws.user_id,
                Member.organisation_id == ws.current_organisation_id,
                Member.is_active.is_(True),
            )
        )
    if member is None:
        raise NotAuthenticated("no longer a member of this organisation")
    tenancy.scope(db, member.organisation_id)
    return ws, member


def logout(*, db: Session, cookie_value: str) -> None:
    digest = security.token_digest(cookie_value)
    ws = db.scalar(select(WebSession).where(WebSession.session_hash == digest))
    if ws is not None:
        db.delete(ws)
        db.flush()


def create_webhook_endpoint(
    *, db: Session, name: str, server_key: bytes
) -> tuple[WebhookEndpoint, str]:
    """A webhook credential; the secret is derived (never stored) and shown once."""
    endpoint = WebhookEndpoint(name=name, secret_salt=secrets.token_hex(16))
    db.add(endpoint)
    db.flush()
    return endpoint, webhook_secret(endpoint=endpoint, server_key=server_key)


def webhook_secret(*, endpoint: WebhookEndpoint, server_key: bytes) -> str:
    return "whsec_" + security.hmac_sha256(server_key, f"webhook:{endpoint.secret_salt}".encode())


def get_webhook_endpoint(*, db: Session, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """An active webhook endpoint, looked up across tenants (the signature proves the caller)."""
    with tenancy.system_scope(db):
        endpoint = db.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.revoked_at is not None:
        raise NotFound("webhook endpoint not found")
    return endpoint
