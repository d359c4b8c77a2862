"""The web app in a real browser: sign in, the relationship page with its timeline and stage
chart, customer HTML shown as text, the security headers, CSRF refusal; a screenshot of each
page at desktop and phone width goes to test-output/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import SCRIPT_MESSAGE, Live, screenshot, sign_in

pytestmark = pytest.mark.browser

SECTIONS = [
    "Today",
    "Relationships",
    "Coach",
    "Reasons",
    "Feedback",
    "Frameworks",
    "Quality",
    "Settings",
]


def test_sign_in_and_visit_every_section(page: Page, live: Live) -> None:
    page.goto(live.url("/"))
    expect(page).to_have_url(live.url("/login"))
    screenshot(page, "login")
    sign_in(page, live, live.a.values["member_email"])
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    promises = page.get_by_role("region", name="Promises due and overdue")
    expect(promises.get_by_text("I'll send the new card by tomorrow")).to_be_visible()
    for name in SECTIONS:
        page.get_by_role("navigation", name="Sections").get_by_role("link", name=name).click()
        expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        screenshot(page, f"section-{name.lower()}")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live.url("/login"))


def test_relationship_page_shows_timeline_and_stage_chart(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    page.get_by_role("link", name="Relationships", exact=True).click()
    customer = page.locator("table.board tbody").get_by_role("link").first
    customer.click()
    expect(page).to_have_url(live.url(f"/relationships/{live.a.ids['relationship']}"))
    timeline = page.locator("ol.timeline > li")
    expect(timeline.first).to_be_visible()
    assert timeline.count() >= 2
    chart = page.get_by_role("img", name="Stage history")
    expect(chart).to_be_visible()
    page.get_by_label("Add a note (only your team sees it)").fill("Rang back, all sorted.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add note").click()
    expect(timeline.first).to_contain_text("Rang back, all sorted.")
    screenshot(page, "relationship")
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone screen"
    screenshot(page, "relationship-phone")


def test_a_script_in_a_message_shows_as_text(page: Page, live: Live) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    sign_in(page, live, live.a.ctx.admin_email)
    page.goto(live.url(f"/relationships/{live.a.ids['relationship']}"))
    expect(page.locator("ol.timeline").get_by_text(SCRIPT_MESSAGE)).to_be_visible()
    assert page.locator("ol.timeline script").count() == 0
    assert dialogs == []


def test_pages_carry_a_strict_content_security_policy(page: Page, live: Live) -> None:
    answer = page.goto(live.url("/login"))
    assert answer is not None
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_post_without_the_csrf_token_is_refused(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    url = live.url(f"/relationships/{live.a.ids['relationship']}/promises")
    answer = page.request.post(url, form={"promise": "forged"}, max_redirects=0)
    assert answer.status == 403
    page.goto(live.url(f"/relationships/{live.a.ids['relationship']}"))
    expect(page.get_by_text("forged")).to_have_count(0)


def test_board_at_phone_width(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    page.goto(live.url("/relationships"))
    screenshot(page, "relationships")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live.url("/"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"Today is {width} px wide on a 390 px phone screen"
    screenshot(page, "today-phone")
