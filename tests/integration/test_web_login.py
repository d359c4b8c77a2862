"""Signing in and out through the HTML pages, and the real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.factories.organisations import PASSWORD, OrgContext


def _csrf(page: str) -> str:
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_sign_in_and_out_with_the_form(client: TestClient, org_a: OrgContext) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    form = client.get("/login")
    token = _csrf(form.text)
    wrong = client.post(
        "/login", data={"email": org_a.admin_email, "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 401
    assert "Wrong e-mail or password" in wrong.text
    token = _csrf(wrong.text)
    ok = client.post(
        "/login",
        data={"email": org_a.admin_email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    home = client.get("/")
    assert "Acme Money" in home.text
    out = client.post("/logout", data={"csrf_token": _csrf(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_login_form_without_its_csrf_cookie_is_refused(
    client: TestClient, org_a: OrgContext
) -> None:
    client.cookies.clear()
    r = client.post(
        "/login", data={"email": org_a.admin_email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert r.status_code == 403


def test_repeated_failures_lock_the_account(client: TestClient, org_a: OrgContext) -> None:
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"email": org_a.admin_email, "password": "bad"})
    locked = client.post(
        "/api/v1/auth/login", json={"email": org_a.admin_email, "password": PASSWORD}
    )
    assert locked.status_code == 401
    assert "too many" in locked.json()["detail"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_goodwill_serve_answers_on_loopback(cli_env: Path) -> None:
    port = _free_port()
    env = {**os.environ, "GOODWILL_HOME": str(cli_env), "GOODWILL_SECRET_KEY": "x" * 32}
    proc = subprocess.Popen(
        [sys.executable, "-m", "goodwill.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert r.status_code == 200
        assert "Sign in" in r.text
        spec = httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5).json()
        assert "/api/v1/customers" in spec["paths"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
