"""Helpers shared by the web page tests (integration and browser): signing in through the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.factories.organisations import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(page: str) -> str:
    """The CSRF token of the first form on ``page``."""
    found = _TOKEN.search(page)
    assert found, "no form with a CSRF token on this page"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token (from the Today page)."""
    token = csrf(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return csrf(client.get("/").text)
