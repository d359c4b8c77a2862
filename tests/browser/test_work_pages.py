"""The pages of the web app's second part in a real browser: the coach highlights an irritant as
the operator types (after its debounce), an idea's status change brings its closing-the-loop
letters, the grid's circles open a reason, customer HTML shows as text on every new page, and a
screenshot of each page (desktop and phone width) goes to test-output/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import SCRIPT_MESSAGE, Live, screenshot, sign_in

pytestmark = pytest.mark.browser

MESSAGE = "My card was charged twice, I am furious!"
IRRITANT = "As per our policy, please read our FAQ before contacting us."
DRAFT = f"{IRRITANT} Thank you for your patience."


def _dialogs(page: Page) -> list[str]:
    seen: list[str] = []

    def record(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


def _fits_a_phone(page: Page, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} is {width} px wide on a 390 px phone screen"
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_line_the_operator_twice_calls_not_right_stops_being_flagged(
    page: Page, live: Live
) -> None:
    # organisation B, and a line of its own: muting it must not change the other coach tests
    sign_in(page, live, live.b.values["member_email"])
    page.goto(live.url("/coach"))
    expect(page.locator("form[data-coach]")).to_have_attribute("data-live", "on")
    page.get_by_label("The customer's message").fill(MESSAGE)
    line = "As per our policy, refunds take ten working days."
    first = page.locator("#finding-1")
    thanks = ["Noted, thank you.", "Noted: this line will no longer be flagged for your team."]
    for n, said in enumerate(thanks, start=1):
        page.get_by_label("Your draft reply").fill(f"{line} Your case is {n}00{n}.")
        expect(first).to_contain_text("blame shifting", timeout=10_000)
        expect(page.locator("[data-coach-preview] mark").first).to_have_text(line)
        first.get_by_role("button", name="Not right").click()
        expect(first.locator(".finding-verdict")).to_have_text(said, timeout=10_000)
    # the same line in a new draft: the team muted it, so it is no longer marked
    page.get_by_label("Your draft reply").fill(f"{line} Your case is 3003.")
    expect(page.locator("[data-coach-status]")).to_have_text("Checked.", timeout=10_000)
    expect(page.locator("[data-coach-preview]")).to_contain_text("Your case is 3003.")
    expect(page.locator("[data-coach-preview] mark", has_text=line)).to_have_count(0)
    expect(page.locator("[data-coach-findings]")).not_to_contain_text("blame shifting")


def test_the_coach_highlights_an_irritant_as_you_type(page: Page, live: Live) -> None:
    dialogs = _dialogs(page)
    sign_in(page, live, live.a.values["member_email"])
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Coach").click()
    expect(page.locator("form[data-coach]")).to_have_attribute("data-live", "on")
    page.get_by_label("The customer's message").fill(MESSAGE)
    page.get_by_label("Your draft reply").press_sequentially(DRAFT, delay=5)
    page.get_by_label("Your draft reply").press_sequentially("\n\n<script>alert(1)</script>")
    mark = page.locator("[data-coach-preview] mark").first
    expect(mark).to_have_text(IRRITANT, timeout=10_000)  # after the 300 ms debounce
    expect(page.locator("#coach-score")).to_have_text(re.compile(r"^\d{1,3}$"))
    expect(page.locator("#finding-1")).to_contain_text("blame shifting")
    preview = page.locator("[data-coach-preview]")
    expect(preview).to_contain_text("<script>alert(1)</script>")
    assert preview.locator("script").count() == 0
    assert page.url == live.url("/coach")  # the answer came from the script, not a form post
    screenshot(page, "coach")
    _fits_a_phone(page, "coach")
    page.get_by_label("Your draft reply").fill(
        "I've refunded the second charge; it shows by Friday."
    )
    expect(page.locator("[data-coach-preview] mark")).to_have_count(0, timeout=10_000)
    assert dialogs == []


def test_changing_an_ideas_status_brings_closing_the_loop_letters(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Feedback").click()
    screenshot(page, "feedback")
    page.get_by_role("link", name="CSV export").click()
    letters = page.locator("#drafts article.draft")
    expect(letters).to_have_count(0)
    page.get_by_label("Status", exact=True).select_option("shipped")
    page.get_by_label("Public note (goes into the letters to customers)").fill("Out today.")
    with page.expect_navigation():
        page.get_by_role("button", name="Change status").click()
    expect(letters).to_have_count(1)
    expect(letters.first).to_contain_text("shipped")
    expect(letters.first.get_by_label("Letter")).to_have_value(re.compile("CSV"))
    screenshot(page, "idea")
    _fits_a_phone(page, "idea")


def test_the_grid_opens_a_reason_and_shows_its_messages(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    page.goto(live.url("/reasons?from=2026-02-01&to=2026-03-31"))
    bubble = page.locator("svg.grid-chart a.bubble").first
    expect(bubble).to_be_visible()
    expect(bubble.locator("title")).to_contain_text("contacts from")
    screenshot(page, "reasons")
    bubble.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(live.url(f"/reasons/{live.a.ids['reason']}"))
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()
    screenshot(page, "reason")


def test_a_script_in_customer_text_shows_as_text_on_the_new_pages(page: Page, live: Live) -> None:
    dialogs = _dialogs(page)
    sign_in(page, live, live.a.ctx.admin_email)
    page.goto(live.url(f"/reasons/{live.a.ids['reason']}"))
    expect(page.locator("ol.timeline").get_by_text(SCRIPT_MESSAGE)).to_be_visible()
    page.goto(live.url(f"/feedback/ideas/{live.a.ids['idea']}"))
    expect(page.locator("ol.timeline").get_by_text(SCRIPT_MESSAGE)).to_be_visible()
    page.goto(live.url(f"/relationships/{live.a.ids['relationship']}"))
    expect(page.get_by_label("The customer's message")).to_have_value(SCRIPT_MESSAGE)
    assert page.locator("main script").count() == 0
    assert dialogs == []


def test_quality_and_settings_pages(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    page.goto(live.url("/quality"))
    expect(page.get_by_role("heading", name="Speed and service quality")).to_be_visible()
    screenshot(page, "quality")
    _fits_a_phone(page, "quality")
    page.goto(live.url("/settings"))
    page.get_by_label("New token's name").fill("Helpdesk sidebar")
    with page.expect_navigation():
        page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^\S{20,}$"))
    screenshot(page, "settings")
    _fits_a_phone(page, "settings")


def test_the_framework_editor_reviews_as_you_write(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Frameworks").click()
    screenshot(page, "frameworks")
    page.get_by_role("link", name="New framework").click()
    expect(page.locator("form[data-framework]")).to_have_attribute("data-live", "on")
    page.get_by_label("Name").fill("Charged twice")
    page.get_by_label("Body").press_sequentially(DRAFT, delay=5)
    review = page.locator("[data-review-body]")
    expect(review).to_contain_text("Blocked", timeout=15_000)
    expect(review.locator("li.finding").first).to_be_visible()
    page.get_by_label("Body").fill("Hi {{nobody}}")
    expect(review).to_contain_text("unknown variable", timeout=15_000)
    screenshot(page, "framework-editor")


def test_a_suggested_framework_opens_in_the_coach(page: Page, live: Live) -> None:
    dialogs = _dialogs(page)
    sign_in(page, live, live.a.ctx.admin_email)
    page.goto(live.url(f"/relationships/{live.a.ids['relationship']}"))
    suggested = page.locator(".frameworks-suggested")
    expect(suggested.get_by_role("heading", name="Suggested frameworks")).to_be_visible()
    with page.expect_navigation():
        suggested.get_by_role("button", name="Use Answer a complaint").click()
    draft = page.get_by_label("Your draft reply")
    expect(draft).to_have_value(re.compile(r"\[\[answer: what you found"))
    expect(page.locator("#coach-score")).to_have_text(re.compile(r"^\d{1,3}$"))
    expect(page.locator("form[data-coach]")).to_have_attribute("data-live", "on")
    draft.press("Control+End")
    draft.press_sequentially(f"\n{IRRITANT}", delay=5)
    mark = page.locator("[data-coach-preview] mark").filter(has_text=IRRITANT)
    expect(mark).to_have_count(1, timeout=10_000)  # the live coach, after its debounce
    screenshot(page, "relationship-framework")
    assert dialogs == []


def test_a_manager_edits_an_email_domain_and_a_cadence_row(page: Page, live: Live) -> None:
    sign_in(page, live, live.a.ctx.admin_email)
    page.goto(live.url("/settings"))
    domain = page.get_by_label("Add a domain")
    domain.fill("Help.Acme.example")
    with page.expect_navigation():
        domain.press("Enter")
    expect(page.locator("#domains")).to_contain_text("help.acme.example")
    page.get_by_label("Add a domain").fill("not a domain")
    with page.expect_navigation():
        page.get_by_role("button", name="Add domain").click()
    expect(page.locator("#domains-error")).to_contain_text("is not a domain name")
    expect(page.get_by_label("Add a domain")).to_have_attribute("aria-invalid", "true")
    # a new segment's gaps, typed from the keyboard along the row
    page.get_by_label("New segment", exact=True).fill("students")
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    page.keyboard.type("90")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the playbook").click()
    expect(page.get_by_label("Ideal gap for students, in days")).to_have_value("30")
    expect(page.get_by_label("Maximum gap for students, in days")).to_have_value("90")
    screenshot(page, "settings-forms")
    _fits_a_phone(page, "settings-forms")
    # both removed again, so the other tests see the organisation as it was
    page.get_by_label("Remove students").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the playbook").click()
    expect(page.get_by_label("Ideal gap for students, in days")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Remove help.acme.example").click()
    expect(page.locator("#domains")).not_to_contain_text("help.acme.example")
