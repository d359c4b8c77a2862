"""Two-sided perception in a real browser: the manager makes a one-time link, the customer
answers it on the public page (a fresh browser, no sign-in, JavaScript off), and the manager
sees the gap and the blind spot in the book. A script in the customer's words stays text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.browser.conftest import Live, screenshot, sign_in

pytestmark = pytest.mark.browser

COMMENT = "<script>alert('perception')</script> Too dear for what we get."
ANSWERS = {  # the owner estimated 4, 2, 4, 4 (tests/factories/perception.py, FINE)
    "How much value do you get": 1,
    "How much do you put in": 5,
    "does what it says it will do": 2,
    "is easy": 4,
}


def _dialogs(page: Page) -> list[str]:
    seen: list[str] = []

    def record(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


def _make_link(page: Page, live: Live) -> str:
    sign_in(page, live, live.a.ctx.admin_email)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Perception").click()
    expect(page.get_by_role("heading", name="Perception gaps", level=1)).to_be_visible()
    page.goto(live.url(f"/relationships/{live.a.ids['relationship']}/perception"))
    with page.expect_navigation():
        page.get_by_role("button", name="Make a link").click()
    link = page.locator("#new-link").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/p/gw_[\w-]{43}", link), link
    return link


def _answer(browser: Browser, link: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    customer = context.new_page()
    dialogs = _dialogs(customer)
    customer.goto(link)
    expect(customer.get_by_role("heading", level=1)).to_have_text(
        "How is it going with Acme Money?"
    )
    assert customer.get_by_role("navigation").count() == 0  # no app around it
    for question, value in ANSWERS.items():
        group = customer.get_by_role("group", name=re.compile(question))
        group.get_by_role("radio").nth(value - 1).check()
    customer.get_by_label("Anything you would like to add?").fill(COMMENT)
    screenshot(customer, "perception-survey-phone")
    with customer.expect_navigation():
        customer.get_by_role("button", name="Send my answers").click()
    expect(customer.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(customer.get_by_role("button", name="Send my answers")).to_have_count(0)
    assert dialogs == []
    context.close()


def test_a_customer_answers_and_the_manager_sees_the_gap(
    page: Page, browser: Browser, live: Live
) -> None:
    dialogs = _dialogs(page)
    link = _make_link(page, live)
    _answer(browser, link)
    page.goto(live.url("/perception"))
    row = page.locator("#gaps tbody tr").filter(has_text="Margareth")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("blind spot")
    expect(row.locator("td").nth(1)).to_have_text("-3")  # value received: 1 against our 4
    expect(row.locator("td").nth(2)).to_have_text("+3")  # value given: 5 against our 2
    expect(row.locator("td").nth(3)).to_have_text("-2")  # trust
    expect(row.locator("td").nth(4)).to_have_text("0")  # ease
    owners = page.locator("#owners tbody tr").filter(has_text=live.a.values["member_email"])
    expect(owners.locator("td").nth(1)).to_have_text("1")  # its blind spots
    screenshot(page, "perception-book")
    row.get_by_role("link").click()
    expect(page.locator("#customer-comment")).to_have_text(COMMENT)
    assert page.locator("main script").count() == 0
    screenshot(page, "perception-relationship")
    assert dialogs == []
