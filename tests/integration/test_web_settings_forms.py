"""The playbook and the health weights as forms on the settings page (managers): a form sent
as the page rendered it stores the rules in force, changes land where they should, a refusal
names its field and stores nothing, the API's segment playbooks are kept, agents are refused;
every saved change is in the audit log."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.relationships import playbooks, scores
from tests.integration.conftest import World
from tests.integration.test_web_settings import settings_events, stored_organisation
from tests.web_support import sign_in


class _Fields(HTMLParser):
    """The fields a browser would send for the form posting to ``action``: inputs with their
    values, checked boxes only, textareas' text (as the page rendered them)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.textarea = action, False, ""
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif self.inside and tag == "input" and "name" in a:
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif self.inside and tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text))
            self.textarea = ""


def form_fields(page: str, action: str) -> dict[str, str | list[str]]:
    """The form's fields by name (a name sent more than once: a list, like the stages)."""
    parser = _Fields(action)
    parser.feed(page)
    found: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if name in found:
            before = found[name]
            found[name] = [*before, value] if isinstance(before, list) else [before, value]
        else:
            found[name] = value
    assert found, f"no form posting to {action}"
    return found


def test_the_playbook_form_saved_unchanged_stores_the_rules_in_force(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    fields = form_fields(client.get("/settings").text, "/settings/rules/playbook")
    assert fields["csrf_token"] == token
    saved = client.post("/settings/rules/playbook", data=fields, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    stored = stored_organisation(session_factory, world.a.ctx).settings["playbook_rules"]
    assert stored["rules"] == [dict(r) for r in playbooks.DEFAULT_RULES]
    assert stored["cadence"] == {k: dict(v) for k, v in playbooks.DEFAULT_CADENCE.items()}
    assert settings_events(session_factory, world.a.ctx, "playbook_rules") == [
        "update session POST /settings/rules/playbook"
    ]


def _rule_index(fields: dict[str, str | list[str]], kind: str) -> int:
    return next(
        int(k.split("-")[1]) for k, v in fields.items() if k.endswith("-kind") and v == kind
    )


def _cadence_index(fields: dict[str, str | list[str]], segment: str) -> int:
    return next(
        int(k.split("-")[1]) for k, v in fields.items() if k.endswith("-segment") and v == segment
    )


def test_a_manager_switches_rules_and_edits_the_cadence_as_a_form(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    url = "/settings/rules/playbook"
    # a segment's own playbook, set through the API, is kept by the form
    own = {"segments": {"vip": {"cadence": {"ideal_days": 7, "max_days": 10}}}}
    put = client.put("/api/v1/settings/playbook", json=own, headers=world.a.ctx.headers)
    assert put.status_code == 200, put.text
    fields = form_fields(client.get("/settings").text, url)
    bill, due = _rule_index(fields, "explain_first_bill"), _rule_index(fields, "promise_due")
    drift, cadence = _rule_index(fields, "relationship_drifting"), int(str(fields["cadence_count"]))
    del fields[f"rule-{bill}-enabled"]
    fields[f"rule-{due}-lead_days"] = "2"
    fields[f"rule-{drift}-stages"] = ["stagnating", "avoiding"]
    fields[f"cadence-{_cadence_index(fields, 'premium')}-ideal_days"] = "14"
    new = cadence - 1  # the empty row for a new segment
    fields |= {f"cadence-{new}-segment": "students", f"cadence-{new}-ideal_days": "30"}
    fields[f"cadence-{new}-max_days"] = "90"
    assert client.post(url, data=fields, follow_redirects=False).status_code == 303
    stored = stored_organisation(session_factory, world.a.ctx).settings["playbook_rules"]
    kinds = [r["kind"] for r in stored["rules"]]
    assert "explain_first_bill" not in kinds
    assert len(kinds) == len(playbooks.DEFAULT_RULES) - 1
    by_kind = {r["kind"]: r for r in stored["rules"]}
    assert by_kind["promise_due"]["lead_days"] == 2
    assert by_kind["relationship_drifting"]["stages"] == ["stagnating", "avoiding"]
    assert stored["cadence"]["premium"] == {"ideal_days": 14, "max_days": 45}
    assert stored["cadence"]["students"] == {"ideal_days": 30, "max_days": 90}
    assert stored["segments"] == own["segments"]
    # the switched-off rule is offered again, off; the new segment can be removed
    again = form_fields(client.get("/settings").text, url)
    assert f"rule-{_rule_index(again, 'explain_first_bill')}-enabled" not in again
    again[f"cadence-{_cadence_index(again, 'students')}-remove"] = "on"
    assert client.post(url, data=again, follow_redirects=False).status_code == 303
    stored = stored_organisation(session_factory, world.a.ctx).settings["playbook_rules"]
    assert "students" not in stored["cadence"]
    assert fields["csrf_token"] == token


def test_a_refused_playbook_form_says_what_to_correct_by_the_field_and_stores_nothing(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.ctx.admin_email)
    url = "/settings/rules/playbook"
    fields = form_fields(client.get("/settings").text, url)
    due, star = _rule_index(fields, "promise_due"), _cadence_index(fields, "*")
    cases: list[tuple[dict[str, str | list[str]], str, str]] = [
        ({f"rule-{due}-priority": "12"}, f"rule-{due}-priority", "less than or equal to 9"),
        (
            {f"rule-{due}-lead_days": "soon"},
            f"rule-{due}-lead_days",
            "&#39;soon&#39; is not a number",
        ),
        ({f"rule-{due}-opening": " "}, f"rule-{due}-opening", "at least 1 character"),
        ({f"cadence-{star}-ideal_days": "200"}, f"cadence-{star}", "must not exceed max_days"),
        ({f"cadence-{star}-max_days": ""}, f"cadence-{star}-max_days", "maximum gap in days"),
    ]
    for change, field_id, message in cases:
        answer = client.post(url, data=fields | change)
        assert answer.status_code == 422, change
        assert f'id="{field_id}-error">' in answer.text, change
        assert message in answer.text, change
        assert "Not saved: correct the fields marked below." in answer.text
    every_rule_off = {k: v for k, v in fields.items() if not k.endswith("-enabled")}
    off = client.post(url, data=every_rule_off)
    assert off.status_code == 422
    assert "Keep at least one rule switched on" in off.text
    new = int(str(fields["cadence_count"])) - 1
    twice = {f"cadence-{new}-segment": "premium", f"cadence-{new}-ideal_days": "1"}
    twice[f"cadence-{new}-max_days"] = "2"
    answer = client.post(url, data=fields | twice)
    assert "Segment &#39;premium&#39; is listed twice." in answer.text
    assert 'value="premium"' in answer.text  # the row as sent, to correct
    assert "playbook_rules" not in stored_organisation(session_factory, world.a.ctx).settings
    assert settings_events(session_factory, world.a.ctx, "playbook_rules") == []


def test_a_manager_sets_health_weights_in_labelled_fields(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.ctx.admin_email)
    url = "/settings/rules/health-weights"
    page = client.get("/settings").text
    for name in scores.DEFAULT_WEIGHTS:
        assert f'<label for="weight-{name}">' in page
    assert "promises kept, against kept late and broken · 20 % of the score" in page
    fields = form_fields(page, url)
    refused = [
        ({"weight-reliability": "-1"}, "weight-reliability", "A weight cannot be negative."),
        ({"weight-connection": "lots"}, "weight-connection", "&#39;lots&#39; is not a number."),
        ({"weight-connection": "nan"}, "weight-connection", "Give a finite number."),
        ({"weight-dependability": ""}, "weight-dependability", "Give a weight: 0 or more"),
    ]
    for change, field_id, message in refused:
        answer = client.post(url, data=fields | change)
        assert answer.status_code == 422, change
        assert f'id="{field_id}-error">{message}' in answer.text, change
    zeros = {f"weight-{n}": "0" for n in scores.DEFAULT_WEIGHTS}
    assert "every weight at 0" in client.post(url, data=fields | zeros).text
    assert "health_weights" not in stored_organisation(session_factory, world.a.ctx).settings
    chosen = fields | {"weight-reliability": "0.5", "weight-open_complaints": "0"}
    assert client.post(url, data=chosen, follow_redirects=False).status_code == 303
    stored = stored_organisation(session_factory, world.a.ctx).settings["health_weights"]
    assert stored == scores.DEFAULT_WEIGHTS | {"reliability": 0.5, "open_complaints": 0.0}
    api = client.get("/api/v1/settings/relationship-rules", headers=world.a.ctx.headers)
    assert api.json()["health_weights"]["reliability"] == 0.5
    assert settings_events(session_factory, world.a.ctx, "health_weights") == [
        "update session POST /settings/rules/health-weights"
    ]


def test_an_agent_sees_the_playbook_but_no_rule_forms(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.values["member_email"])
    page = client.get("/settings").text
    assert "Playbook: when to get in touch" in page
    assert 'action="/settings/rules/playbook"' not in page
    assert 'action="/settings/rules/health-weights"' not in page
    for url in ("/settings/rules/playbook", "/settings/rules/health-weights"):
        assert client.post(url, data={"csrf_token": token}).status_code == 403
    stored = stored_organisation(session_factory, world.a.ctx).settings
    assert "playbook_rules" not in stored
    assert "health_weights" not in stored
