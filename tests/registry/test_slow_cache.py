"""The shared cache (Redis) slow: a request waits for it at most once, for the configured time, then is a
clean 503 logged once as `cache_unavailable`; a Redis slow but within the time still serves. Redis is
made slow for real (tests/support/slow_server.py); the settings' own values are held in
tests/registry/test_cache_outage.py."""

import logging
import time

import pytest
import redis
from django.urls import reverse

from tests.accounts.api_clients.fixtures import bearer, issue
from tests.factories import ApiUserFactory, SupportAdministratorFactory
from tests.support.slow_server import SlowServer

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"
# As the settings give them (registry/settings.py, CACHES).
CONNECT_SECONDS = 0.5
ANSWER_SECONDS = 1.0
# Waiting once costs ANSWER_SECONDS; waiting twice would cost twice that.
ONE_WAIT = ANSWER_SECONDS * 1.8
REAL_REDIS = ("127.0.0.1", 6379)
UNAVAILABLE = {"error": "ServiceUnavailable", "message": "The service is unavailable: try again later"}


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def cache_at(settings):
    """From when it is called, the cache is the Redis at `url`, with the settings' time limits."""

    def point(url: str, database: int = 0):
        settings.CACHES = {
            "default": {
                "BACKEND": "registry.cache.RedisCache",
                "LOCATION": url.rsplit("/", 1)[0] + f"/{database}",
                "KEY_PREFIX": "slow-cache-test",
                "OPTIONS": {"socket_connect_timeout": CONNECT_SECONDS, "socket_timeout": ANSWER_SECONDS},
            }
        }

    return point


@pytest.fixture
def real_redis():
    try:
        redis.Redis(*REAL_REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis is not running at {REAL_REDIS} ({error})")
    return REAL_REDIS


def _one_record(caplog, path):
    errors = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [getattr(record, "event", None) for record in errors] == ["cache_unavailable"]
    (record,) = errors
    assert record.path == path
    assert record.error.startswith("TimeoutError: Timeout reading from 127.0.0.1:")
    return record


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_an_api_request_to_a_redis_that_never_answers_is_a_json_503_after_one_wait(failing_client, cache_at, caplog):
    _, token = issue(ApiUserFactory())

    with SlowServer() as stalled:
        cache_at(stalled.url)
        response, took = _timed(
            lambda: failing_client.get("/api/v1/providers", headers={**bearer(token), "X-Request-Id": "req-slow"})
        )

    assert ANSWER_SECONDS <= took < ONE_WAIT
    assert response.status_code == 503
    assert response.json() == {"errors": [{**UNAVAILABLE, "request_id": "req-slow"}]}
    assert _one_record(caplog, "/api/v1/providers").request_id == "req-slow"


def test_a_signed_in_page_with_a_redis_that_never_answers_is_the_unavailable_page_after_one_wait(
    failing_client, cache_at, caplog
):
    failing_client.force_login(SupportAdministratorFactory(), backend=BACKEND)
    path = reverse("admin:accounts_user_changelist")

    with SlowServer() as stalled:
        cache_at(stalled.url)
        response, took = _timed(lambda: failing_client.get(path, headers={"X-Request-Id": "req-slow-page"}))

    assert ANSWER_SECONDS <= took < ONE_WAIT
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert b"Timeout" not in response.content
    assert _one_record(caplog, path).request_id == "req-slow-page"


def test_the_health_check_names_a_redis_that_never_answers_after_one_wait(client, cache_at):
    with SlowServer() as stalled:
        cache_at(stalled.url)
        response, took = _timed(lambda: client.get("/healthcheck"))

    assert ANSWER_SECONDS <= took < ONE_WAIT
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "cache": "error"}}


def test_a_page_that_needs_no_cache_is_served_while_redis_never_answers(failing_client, cache_at, caplog):
    with SlowServer() as stalled:
        cache_at(stalled.url)
        response, took = _timed(lambda: failing_client.get(reverse("accessibility")))

    assert response.status_code == 200
    assert took < ANSWER_SECONDS
    assert stalled.connections == 0
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_redis_slow_but_within_the_limit_still_serves_pages_and_the_api(failing_client, cache_at, real_redis):
    _, token = issue(ApiUserFactory())
    failing_client.force_login(SupportAdministratorFactory(), backend=BACKEND)

    with SlowServer(upstream=real_redis, delay=ANSWER_SECONDS / 4) as slow:
        cache_at(slow.url, database=14)
        api = failing_client.get("/api/v1/providers", headers=bearer(token))
        page = failing_client.get(reverse("admin:accounts_user_changelist"))

    assert (api.status_code, page.status_code) == (200, 200)
    assert slow.connections >= 1


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(b"HTTP/1.1 400 Bad Request\r\n\r\n", id="not redis at all"),
        pytest.param(b"-READONLY You can't write against a read only replica.\r\n", id="a read-only replica"),
        pytest.param(b"-OOM command not allowed when used memory > 'maxmemory'.\r\n", id="out of memory"),
    ],
)
def test_an_api_request_to_a_redis_answering_garbage_or_refusing_is_a_json_503_logged_once(
    failing_client, cache_at, caplog, answer
):
    _, token = issue(ApiUserFactory())

    with SlowServer(answer=answer) as garbled:
        cache_at(garbled.url)
        response = failing_client.get("/api/v1/providers", headers={**bearer(token), "X-Request-Id": "req-garbage"})

    assert response.status_code == 503
    assert response.json() == {"errors": [{**UNAVAILABLE, "request_id": "req-garbage"}]}
    errors = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(record.event, record.request_id) for record in errors] == [("cache_unavailable", "req-garbage")]
