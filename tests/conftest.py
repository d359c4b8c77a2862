"""Fixtures shared by every test: databases (SQLite and PostgreSQL), sessions, organisations."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.config import Settings, get_settings
from goodwill.database import make_engine
from goodwill.main import create_app
from tests.factories.organisations import OrgContext, make_organisation

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get(
    "GOODWILL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_pg_state: dict[str, str] = {}


def shared_data_dir() -> Path:
    return Path(os.environ.get("GOODWILL_DATA_DIR", REPO.parent / "shared" / "data"))


def _postgres_reachable() -> str | None:
    """None when reachable, else the reason."""
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def postgres_url() -> str:
    """A fresh database for this test run on the local PostgreSQL (created once)."""
    if "url" in _pg_state:
        return _pg_state["url"]
    reason = _postgres_reachable()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but not reachable: {reason}")
        _pg_state["skipped"] = reason
        pytest.skip(f"PostgreSQL not reachable ({reason})")
    name = f"goodwill_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _pg_state["name"] = name
    _pg_state["url"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    return _pg_state["url"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    name = _pg_state.get("name")
    if name:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if "skipped" in _pg_state:
        terminalreporter.write_sep(
            "!", f"PostgreSQL tests SKIPPED: {_pg_state['skipped']}", red=True, bold=True
        )
    elif "url" in _pg_state:
        terminalreporter.write_line("storage tests ran on SQLite and on PostgreSQL")


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are cached per process; tests that change the environment get a fresh read."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Environment for CLI tests: a private GOODWILL_HOME holding the SQLite database."""
    home = tmp_path / "goodwill-home"
    monkeypatch.setenv("GOODWILL_HOME", str(home))
    monkeypatch.delenv("GOODWILL_DATABASE_URL", raising=False)
    monkeypatch.setenv("GOODWILL_SECRET_KEY", "cli-test-secret")
    return home


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database of each kind, shared by the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'goodwill.sqlite3'}"
    else:
        url = postgres_url()
    eng = make_engine(url)
    migrations.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each kind, created for one test and dropped after it."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
        yield eng
        eng.dispose()
        return
    base = postgres_url()
    name = f"goodwill_fresh_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(base.rsplit("/", 1)[0] + "/" + name)
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions joined to one outer transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    tenancy.install(factory)
    try:
        yield factory
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def raw_db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """An unscoped session (for creating organisations)."""
    session = session_factory()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def org_a(session_factory: sessionmaker[Session]) -> OrgContext:
    return make_organisation(session_factory, "Acme Money")


@pytest.fixture
def org_b(session_factory: sessionmaker[Session]) -> OrgContext:
    return make_organisation(session_factory, "Beta Bank")


@pytest.fixture
def db(session_factory: sessionmaker[Session], org_a: OrgContext) -> Iterator[Session]:
    """A session scoped to organisation A."""
    session = session_factory()
    tenancy.scope(session, org_a.organisation_id)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", secret_key="test-secret-key-not-for-production")


@pytest.fixture
def client(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """The whole app over its ASGI interface, on the test transaction."""
    app = create_app(settings=settings, session_factory=session_factory)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client
