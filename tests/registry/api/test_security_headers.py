"""The API's answers carry the same security headers as the pages (tests/registry/test_headers.py),
whatever they are: a JSON 200, a refusal, an error, the database down; with production's settings,
over HTTPS."""

import pytest

from registry.api import views
from tests.accounts.api_clients.fixtures import bearer
from tests.registry.test_headers import HOST, assert_not_stored, assert_security_headers, production  # noqa: F401
from tests.support.database_outage import database_unreachable

# Production's security settings (the fixture of tests/registry/test_headers.py), requests over HTTPS.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]


def https(client, method, url, token=None, **kwargs):
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", **(bearer(token) if token else {})}
    return getattr(client, method)(url, headers=headers, **kwargs)


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


def _broken(*args, **kwargs):
    raise RuntimeError("broken")


@pytest.mark.parametrize(
    ("method", "url", "with_token", "status"),
    [
        ("get", "/api/v1/providers", True, 200),
        ("get", "/api/v1/info", True, 200),
        ("get", "/api/v1/openapi.json", False, 200),
        ("get", "/api/v1/providers", False, 401),
        ("get", "/api/v1/providers?page_size=x", True, 400),
        ("get", "/api/v1/no-such-thing", True, 404),
        ("delete", "/api/v1/providers", True, 405),
    ],
)
def test_every_kind_of_api_answer_has_the_full_set(failing_client, token, method, url, with_token, status):
    response = https(failing_client, method, url, token if with_token else None)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert_security_headers(response)


def test_an_api_server_error_has_the_full_set(failing_client, token, monkeypatch):
    monkeypatch.setattr(views.queries, "provider_page", _broken)

    response = https(failing_client, "get", "/api/v1/providers", token)

    assert response.status_code == 500
    assert_security_headers(response)
    assert_not_stored(response)


def test_an_api_answer_while_the_database_is_down_has_the_full_set(failing_client, token):
    with database_unreachable():
        response = https(failing_client, "get", "/api/v1/providers", token)

    assert response.status_code == 503
    assert_security_headers(response)
    assert_not_stored(response)


def test_an_api_answer_over_its_rate_limit_has_the_full_set(failing_client, settings):
    settings.API_RATE_LIMIT_PER_ADDRESS = 1
    https(failing_client, "get", "/api/v1/providers")

    response = https(failing_client, "get", "/api/v1/providers")

    assert response.status_code == 429
    assert_security_headers(response)
