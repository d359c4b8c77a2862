"""A live Goodwill server on a free port (uvicorn in a thread, a temporary SQLite database with
two organisations built by the factories) and Debian's Chromium driven by Playwright.

The browser is never downloaded: Chromium comes from the distribution (``apt-get install
chromium``, done by ``make test`` through scripts/install-browser.sh) and is launched by its path.
Without it these tests fail, saying how to install it; they are not skipped.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.config import Settings
from goodwill.database import make_engine, utcnow
from goodwill.main import create_app
from goodwill.relationships import engine
from tests.factories.customers import org_session
from tests.factories.feedback import make_suggestion
from tests.factories.interactions import make_interaction
from tests.factories.organisations import PASSWORD, make_organisation
from tests.factories.reasons import assign
from tests.integration.conftest import Org, build_org

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-output" / "screenshots"
SCRIPT_MESSAGE = "<script>alert('xss')</script> Why was I charged twice?"


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            "Chromium is not installed: run `sudo apt-get install -y chromium` "
            "(or `make test`, which runs scripts/install-browser.sh)",
            pytrace=False,
        )
    return found


@dataclass(frozen=True)
class Live:
    base_url: str
    a: Org
    b: Org

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _world(factory: sessionmaker[Session], settings: Settings) -> tuple[Org, Org]:
    a = build_org(factory, make_organisation(factory, "Acme Money"), "acme", settings)
    b = build_org(factory, make_organisation(factory, "Beta Bank"), "beta", settings)
    script = make_interaction(  # the customer's latest message: the coach panel answers it
        factory,
        a.ctx,
        customer_id=a.ids["customer"],
        body=SCRIPT_MESSAGE,
        occurred_at=(utcnow() - timedelta(minutes=1)).isoformat(),
    )
    assign(factory, a.ctx, script.id, a.ids["reason"], manual=True, confidence=None)
    make_suggestion(
        factory, a.ctx, customer_id=a.ids["customer"], text=SCRIPT_MESSAGE, idea_id=a.ids["idea"]
    )
    with org_session(factory, a.ctx) as db:
        engine.recompute(db=db, all_relationships=True)  # stages and trust, for the chart
    return a, b


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("live")
    settings = Settings(
        home=home,
        database_url=f"sqlite:///{home / 'goodwill.sqlite3'}",
        secret_key="browser-test-secret-key",
        analyse_on_ingest=False,
    )
    database = make_engine(settings.effective_database_url)
    migrations.upgrade(database)
    factory = sessionmaker(bind=database, expire_on_commit=False)
    tenancy.install(factory)
    a, b = _world(factory, settings)
    port = _free_port()
    app = create_app(settings=settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start in 30 s"
        time.sleep(0.05)
    yield Live(f"http://127.0.0.1:{port}", a, b)
    server.should_exit = True
    thread.join(timeout=10)
    database.dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=["--no-sandbox"]
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, live: Live, email: str) -> None:
    page.goto(live.url("/login"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
