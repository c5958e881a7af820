"""The shared cache (Redis, REDIS_URL) down: every request that needs it is a clean 503, as for a
database outage (the JSON error under /api/, the "service is unavailable" page elsewhere), logged
once as `cache_unavailable`, never a 500 with a traceback; and a Redis that does not answer costs a
request about a second, not a worker."""

import importlib.util
import time

import pytest
from django.urls import reverse

from tests.accounts.api_clients.fixtures import bearer, issue
from tests.factories import ApiUserFactory, SupportAdministratorFactory

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"
# Nothing listens on port 9 (discard): connecting is refused at once.
NOWHERE = "redis://127.0.0.1:9/0"
UNAVAILABLE = {"error": "ServiceUnavailable", "message": "The service is unavailable: try again later"}


@pytest.fixture
def failing_client(client):
    # Errors are answered as in production, by the service's handlers, rather than raised in the test.
    client.raise_request_exception = False
    return client


@pytest.fixture
def redis_down(settings):
    """From when it is called, the cache is a Redis that cannot be reached."""

    def down():
        settings.CACHES = {
            "default": {
                "BACKEND": "registry.cache.RedisCache",
                "LOCATION": NOWHERE,
                "KEY_PREFIX": "cache-outage-test",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
            }
        }

    return down


def _outage_records(caplog):
    return [record for record in caplog.records if getattr(record, "event", None) == "cache_unavailable"]


def _no_technical_detail(response):
    for leak in (b"ConnectionError", b"Connection refused", b"127.0.0.1:9", b"Traceback", b"redis"):
        assert leak not in response.content


def _is_json_503(response, request_id):
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"errors": [{**UNAVAILABLE, "request_id": request_id}]}
    assert "no-store" in response["Cache-Control"]
    _no_technical_detail(response)


@pytest.mark.parametrize("path", ["/api/v1/info", "/api/v1/clients"])
def test_an_api_request_while_redis_is_down_is_the_apis_json_503_logged_once(failing_client, redis_down, caplog, path):
    _, token = issue(ApiUserFactory())
    redis_down()

    started = time.monotonic()
    response = failing_client.get(path, headers={**bearer(token), "X-Request-Id": "req-cache-outage"})

    assert time.monotonic() - started < 5
    _is_json_503(response, "req-cache-outage")
    (record,) = _outage_records(caplog)
    assert (record.levelname, record.method, record.path) == ("ERROR", "GET", path)
    assert record.request_id == "req-cache-outage"
    assert record.error.startswith("ConnectionError: Error 111 connecting to 127.0.0.1:9")
    assert not [record for record in caplog.records if getattr(record, "event", None) == "database_unavailable"]


def test_an_api_request_the_api_views_never_see_is_a_json_503_too(failing_client, redis_down, caplog):
    # A path the API does not have is counted against its address's rate limit, in the cache.
    redis_down()

    response = failing_client.get("/api/v1/no-such-thing", headers={"X-Request-Id": "req-cache-404"})

    _is_json_503(response, "req-cache-404")
    assert len(_outage_records(caplog)) == 1


def test_a_signed_in_page_while_redis_is_down_is_the_service_unavailable_page_logged_once(
    failing_client, redis_down, caplog
):
    failing_client.force_login(SupportAdministratorFactory(), backend=BACKEND)
    redis_down()

    response = failing_client.get(reverse("admin:accounts_user_changelist"), headers={"X-Request-Id": "req-page"})

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert "Sorry, the service is unavailable" in content
    assert "req-page" in content
    _no_technical_detail(response)
    (record,) = _outage_records(caplog)
    assert (record.method, record.path) == ("GET", reverse("admin:accounts_user_changelist"))
    assert record.request_id == "req-page"


def test_with_redis_the_settings_give_up_on_it_within_a_second(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    spec = importlib.util.find_spec("registry.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    options = module.CACHES["default"]["OPTIONS"]
    assert 0 < options["socket_connect_timeout"] <= 1
    assert 0 < options["socket_timeout"] <= 1
