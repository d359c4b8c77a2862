"""Building the demo organisation: Northwind Money, its team, and 18 months of history.

The history is generated as import files and loaded through the real importer
(:mod:`goodwill.imports.service`), one transaction per file, exactly as a customer's own files
would be. The demo is marked in its organisation's settings, so it can be found and rebuilt.
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import delete as delete_rows
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import ingest, tenancy
from goodwill.config import Settings
from goodwill.database import unit_of_work
from goodwill.demo import generator, sources, staff
from goodwill.errors import Conflict
from goodwill.imports import service as import_service
from goodwill.interactions.models import Interaction, InteractionRaw
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Member, Organisation, UserAccount

log = logging.getLogger(__name__)

DEMO_MARK = "demo"

FileProgress = Callable[[str, int, int], None]
"""Told (file name, bytes imported so far, file size) as each file is imported."""


@dataclass(frozen=True)
class DemoSummary:
    organisation_id: uuid.UUID
    organisation_slug: str
    admin_email: str
    password: str
    customers: int
    conversations: int
    interactions: int
    generation_seconds: float
    import_seconds: float
    analysed_messages: int
    analysis_seconds: float
    generation: generator.GenerationSummary
    created: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoOrganisation:
    id: uuid.UUID
    name: str
    slug: str


def get_existing(*, factory: sessionmaker[Session]) -> DemoOrganisation | None:
    """The demo organisation, if it has been built."""
    with unit_of_work(factory) as db, tenancy.system_scope(db):
        orgs = db.scalars(
            select(Organisation).where(Organisation.name == staff.ORGANISATION_NAME)
        ).all()
        for org in orgs:
            if (org.settings or {}).get(DEMO_MARK):
                return DemoOrganisation(org.id, org.name, org.slug)
    return None


def build(
    *,
    factory: sessionmaker[Session],
    settings: Settings,
    seed: int = 7,
    customers: int = 2000,
    as_of: date | None = None,
    force: bool = False,
    on_progress: FileProgress | None = None,
) -> DemoSummary:
    """Create Northwind Money and import its generated history; refuse a second build unless
    ``force`` (which drops the existing demo organisation first)."""
    existing = get_existing(factory=factory)
    if existing is not None:
        if not force:
            raise Conflict(
                f"the demo organisation {existing.name!r} ({existing.slug}) exists already: "
                "rebuild it with --force"
            )
        delete(factory=factory, organisation_id=existing.id)
    as_of = as_of or date.today()
    org_id, admin_id, slug = _create_organisation(factory, seed=seed, as_of=as_of)
    try:
        with tempfile.TemporaryDirectory(prefix="goodwill-demo-") as tmp:
            data_dir = sources.resolve_data_dir(settings.data_dir)
            summary = generator.generate(
                Path(tmp), seed=seed, customers=customers, as_of=as_of, data_dir=data_dir
            )
            started = time.perf_counter()
            created = _import_folder(factory, Path(tmp), org_id, admin_id, on_progress)
            import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        analysed = (
            ingest.after_ingest(factory, org_id).analysed if settings.analyse_on_ingest else 0
        )
        analysis_seconds = time.perf_counter() - started
    except BaseException:
        delete(factory=factory, organisation_id=org_id)
        raise
    log.info(
        "demo built: %s in %.1f s + %.1f s; %d messages analysed in %.1f s",
        created,
        summary.seconds,
        import_seconds,
        analysed,
        analysis_seconds,
    )
    return DemoSummary(
        organisation_id=org_id,
        organisation_slug=slug,
        admin_email=staff.ADMIN_EMAIL,
        password=staff.DEMO_PASSWORD,
        customers=created.get("customers", 0),
        conversations=created.get("conversations", 0),
        interactions=created.get("interactions", 0),
        generation_seconds=summary.seconds,
        import_seconds=import_seconds,
        analysed_messages=analysed,
        analysis_seconds=analysis_seconds,
        generation=summary,
        created=created,
    )


def _create_organisation(
    factory: sessionmaker[Session], *, seed: int, as_of: date
) -> tuple[uuid.UUID, uuid.UUID, str]:
    """The organisation and its members (admin, two managers, five agents in two teams)."""
    with unit_of_work(factory) as db:
        org = organisation_service.create_organisation(
            db=db, name=staff.ORGANISATION_NAME, email_domains=[staff.DOMAIN]
        )
        org.settings = {DEMO_MARK: {"seed": seed, "as_of": as_of.isoformat()}}
        tenancy.scope(db, org.id)
        admin_id = None
        for person in staff.STAFF:
            user = organisation_service.get_or_create_user(
                db=db, email=person.email, display_name=person.name, password=staff.DEMO_PASSWORD
            )
            member = organisation_service.add_member(
                db=db, user=user, role=person.role, team_name=person.team
            )
            if person.email == staff.ADMIN_EMAIL:
                admin_id = member.id
        assert admin_id is not None
        return org.id, admin_id, org.slug


def _import_folder(
    factory: sessionmaker[Session],
    folder: Path,
    org_id: uuid.UUID,
    admin_id: uuid.UUID,
    on_progress: FileProgress | None,
) -> dict[str, int]:
    """Each generated file through the importer, one unit of work per file; records created."""
    created: dict[str, int] = {}
    for path, _plan in import_service.plan_directory(path=folder):
        size = path.stat().st_size
        report = None
        if on_progress is not None:
            report = _reporter(on_progress, path.name, size)
        with unit_of_work(factory) as db:
            tenancy.scope(db, org_id)
            result = import_service.import_file(
                db=db, path=path, member_id=admin_id, on_progress=report
            )
        for kind, count in result.created.items():
            created[kind] = created.get(kind, 0) + count
    return created


def _reporter(on_progress: FileProgress, name: str, size: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        on_progress(name, done, size)

    return report


def delete(*, factory: sessionmaker[Session], organisation_id: uuid.UUID) -> None:
    """Delete the demo organisation with everything in it, and its users left without one.

    Interactions go first: they are immutable, so letting the database null their author when
    members are deleted would be refused.
    """
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        user_ids = list(db.scalars(select(Member.user_id)))
        db.execute(delete_rows(InteractionRaw))
        db.execute(delete_rows(Interaction))
        with tenancy.system_scope(db):
            db.execute(delete_rows(Organisation).where(Organisation.id == organisation_id))
            member_left = exists().where(Member.user_id == UserAccount.id)
            db.execute(
                delete_rows(UserAccount).where(UserAccount.id.in_(user_ids), ~member_left),
                execution_options={"synchronize_session": False},
            )
