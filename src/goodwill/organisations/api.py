"""JSON routes: sign-in and sign-out, the caller, members, API tokens and e-mail domains."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import select

from goodwill.dependencies import (
    SESSION_COOKIE,
    AdminMember,
    AppSettings,
    CurrentMember,
    DbSession,
    ManagerMember,
    csrf_token_for,
)
from goodwill.errors import NotAuthenticated, NotFound
from goodwill.organisations import service
from goodwill.organisations.models import ApiToken, Member
from goodwill.organisations.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenRead,
    EmailDomainsRead,
    EmailDomainsUpdate,
    LoginIn,
    LoginOut,
    MemberCreate,
    MemberRead,
    MeRead,
    RoleUpdate,
)
from goodwill.types import Role

router = APIRouter(tags=["organisation"])


def _me(db: DbSession, member: Member) -> MeRead:
    org = service.get_organisation(db=db)
    return MeRead(
        member_id=member.id,
        user_id=member.user_id,
        email=member.user.email,
        display_name=member.user.display_name,
        role=Role(member.role),
        organisation_id=org.id,
        organisation_name=org.name,
    )


def _member_read(member: Member) -> MemberRead:
    return MemberRead(
        id=member.id,
        email=member.user.email,
        display_name=member.user.display_name,
        role=Role(member.role),
        team_id=member.team_id,
        is_active=member.is_active,
    )


@router.post("/auth/login", response_model=LoginOut)
def login(db: DbSession, settings: AppSettings, body: LoginIn, response: Response) -> LoginOut:
    try:
        result = service.login(
            db=db, email=body.email, password=body.password, session_days=settings.session_days
        )
    except NotAuthenticated:
        db.commit()  # keep the failed-attempt count that throttles guessing
        raise
    response.set_cookie(
        SESSION_COOKIE,
        result.cookie_value,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        max_age=settings.session_days * 86400,
        path="/",
    )
    _, member = service.authenticate_session(db=db, cookie_value=result.cookie_value)
    me = _me(db, member)
    return LoginOut(**me.model_dump(), csrf_token=csrf_token_for(settings, result.cookie_value))


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(db: DbSession, _: CurrentMember, request: Request, response: Response) -> None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        service.logout(db=db, cookie_value=cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", response_model=MeRead)
def me(db: DbSession, member: CurrentMember) -> MeRead:
    return _me(db, member)


@router.get("/members", response_model=list[MemberRead])
def list_members(db: DbSession, _: CurrentMember) -> list[MemberRead]:
    return [_member_read(m) for m in service.get_all_members(db=db)]


@router.post("/members", response_model=MemberRead, status_code=status.HTTP_201_CREATED)
def create_member(db: DbSession, _: AdminMember, body: MemberCreate) -> MemberRead:
    user = service.get_or_create_user(
        db=db, email=body.email, display_name=body.display_name, password=body.password
    )
    member = service.add_member(db=db, user=user, role=body.role, team_name=body.team)
    return _member_read(member)


@router.patch("/members/{member_id}", response_model=MemberRead)
def set_member_role(
    db: DbSession, _: AdminMember, member_id: uuid.UUID, body: RoleUpdate
) -> MemberRead:
    member = service.get_member(db=db, member_id=member_id)
    return _member_read(service.set_role(db=db, member=member, role=body.role))


@router.get("/tokens", response_model=list[ApiTokenRead])
def list_tokens(db: DbSession, member: CurrentMember) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.member_id == member.id).order_by(ApiToken.created_at)
    return list(db.scalars(stmt))


@router.post("/tokens", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(db: DbSession, member: CurrentMember, body: ApiTokenCreate) -> ApiTokenCreated:
    token, plain = service.create_api_token(db=db, member=member, name=body.name)
    return ApiTokenCreated(**ApiTokenRead.model_validate(token).model_dump(), token=plain)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(db: DbSession, member: CurrentMember, token_id: uuid.UUID) -> None:
    token = db.get(ApiToken, token_id)
    if token is None or (token.member_id != member.id and member.role != Role.ADMIN):
        raise NotFound(f"API token {token_id} not found")
    service.revoke_api_token(db=db, token_id=token_id)


@router.get("/settings/email-domains", response_model=EmailDomainsRead)
def get_email_domains(db: DbSession, _: CurrentMember) -> EmailDomainsRead:
    domains = service.get_email_domains(db=db)
    return EmailDomainsRead(organisation_id=service.get_organisation(db=db).id, domains=domains)


@router.put("/settings/email-domains", response_model=EmailDomainsRead)
def put_email_domains(
    db: DbSession, _: ManagerMember, body: EmailDomainsUpdate
) -> EmailDomainsRead:
    """Replace the e-mail domains (managers): each must be a domain name, none twice; applies
    to the next e-mail import."""
    domains = service.set_email_domains(db=db, domains=body.domains)
    return EmailDomainsRead(organisation_id=service.get_organisation(db=db).id, domains=domains)
