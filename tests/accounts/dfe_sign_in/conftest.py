"""Driving the whole DfE Sign-in flow against the local provider, as a browser would."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from tests.support.oidc_provider import oidc_provider  # noqa: F401  (a fixture)


def start(client, next_path: str | None = None):
    """Press "Sign in using DfE Sign-in" (from a page whose `next` was `next_path`)."""
    return client.post(reverse("dfe-sign-in"), {} if next_path is None else {"next": next_path})


def authorise(start_response) -> str:
    """Follow the redirect to the provider, which signs the person in and sends them back: the
    callback's path and query, as the browser would open it."""
    assert start_response.status_code == 302, start_response.content
    answer = requests.get(start_response.url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert location.path == reverse("dfe-sign-in-callback")
    return f"{location.path}?{location.query}"


def sign_in(client, next_path: str | None = None):
    """The whole flow: start, the provider, and the callback's response."""
    return client.get(authorise(start(client, next_path)))


def query_of(url: str) -> dict:
    return {name: values[-1] for name, values in parse_qs(urlsplit(url).query).items()}


def security_events(caplog, event: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "security" and record.msg == event]


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.fixture(autouse=True)
def security_log(caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        yield caplog
