"""/healthcheck: 200 when the database and the cache work, 503 naming the one that does not."""

import json
import logging

import pytest
from django.db import OperationalError
from django.test import Client

from registry import health
from tests.registry.test_headers import production_settings

pytestmark = pytest.mark.django_db

HEALTHY = {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_a_healthy_process_answers_200_to_anyone_and_nobody_keeps_the_answer(client):
    response = client.get("/healthcheck")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == HEALTHY
    assert response["Cache-Control"] == "no-store"


def test_head_is_answered_too_and_nothing_else(client):
    assert client.head("/healthcheck").status_code == 200
    assert client.post("/healthcheck").status_code == 405


class _BrokenConnection:
    def cursor(self):
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')


def test_a_database_that_does_not_answer_is_named_and_nothing_else_is_said(client, monkeypatch, caplog):
    monkeypatch.setattr(health, "connection", _BrokenConnection())

    with caplog.at_level(logging.ERROR, logger="registry.health"):
        response = client.get("/healthcheck")

    assert response.status_code == 503
    # Exactly this: no message, no address, no stack trace.
    assert json.loads(response.content) == {"status": "error", "checks": {"database": "error", "cache": "ok"}}
    assert "no-store" in response["Cache-Control"].split(", ")
    # What went wrong is in the log, for the people running the service.
    [record] = [record for record in caplog.records if record.name == "registry.health"]
    assert (record.event, record.check) == ("healthcheck", "database")
    assert "Connection refused" in caplog.text
    assert record.exc_info is not None


@pytest.mark.parametrize(
    "cache",
    [
        pytest.param(
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                # Nothing listens on port 1: the connection is refused at once.
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            },
            id="unreachable",
        ),
        pytest.param({"BACKEND": "django.core.cache.backends.dummy.DummyCache"}, id="keeps-nothing"),
    ],
)
def test_a_cache_that_does_not_keep_a_value_is_named(client, settings, cache):
    settings.CACHES = {"default": cache}

    response = client.get("/healthcheck")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "checks": {"database": "ok", "cache": "error"}}


def test_the_check_leaves_nothing_in_the_cache(client):
    from django.core.cache import cache

    client.get("/healthcheck")

    assert not [key for key in cache._cache if "healthcheck" in key]


def test_with_production_settings_it_is_answered_over_http_while_pages_are_redirected(monkeypatch, settings):
    production = production_settings(monkeypatch)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_PROXY_SSL_HEADER"):
        setattr(settings, name, production[name])
    client = Client()

    # A load balancer's probe comes over plain HTTP, straight to the web process.
    assert client.get("/healthcheck").status_code == 200
    assert client.get("/healthcheck/").status_code == 301
    assert client.get("/sign-in/").status_code == 301
    assert client.get("/sign-in/")["Location"] == "https://testserver/sign-in/"
