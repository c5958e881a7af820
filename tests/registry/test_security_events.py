import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from registry.logging import JsonFormatter
from registry.security_events import security_event
from tests.factories import SupportViewerFactory

pytestmark = pytest.mark.django_db


def _events(caplog, name):
    return [record for record in caplog.records if record.name == "security" and record.msg == name]


def test_a_refusal_is_logged_with_who_asked_for_what(client, caplog):
    viewer = SupportViewerFactory()
    client.force_login(viewer, backend="accounts.backends.ServiceAccountBackend")

    with caplog.at_level(logging.INFO, logger="security"):
        response = client.get(reverse("admin:accounts_user_add"))

    assert response.status_code == 403
    [event] = _events(caplog, "access_denied")
    assert (event.actor_id, event.actor_type, event.outcome) == (str(viewer.pk), "support_user", "denied")
    assert event.path == reverse("admin:accounts_user_add")
    assert event.request_id == response["X-Request-Id"]


def test_a_form_without_the_csrf_token_is_refused_and_logged(administrator, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator, backend="accounts.backends.ServiceAccountBackend")

    with caplog.at_level(logging.INFO, logger="security"):
        response = client.post(reverse("admin:accounts_user_add"), {"first_name": "Nia"})

    assert response.status_code == 403
    assert "You do not have permission to perform this action" in response.content.decode()
    [event] = _events(caplog, "csrf_failure")
    assert event.outcome == "denied"


def test_a_crafted_value_cannot_forge_a_second_log_record(caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        security_event("sign_in", outcome="failure", reason='x"}\n{"event":"fake"')

    [line] = JsonFormatter().format(caplog.records[-1]).splitlines()
    entry = json.loads(line)
    assert entry["event"] == "sign_in"
    assert entry["reason"] == 'x"}\n{"event":"fake"'
    assert {"ts", "event", "actor_id", "actor_type", "target", "outcome", "request_id", "ip"} <= set(entry)
