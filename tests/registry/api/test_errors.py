"""Every error under /api/ is JSON in one shape, never a page; and the rate limits."""

import logging

import pytest

from registry.api import ratelimit, views
from registry.security_events import security_event
from tests.accounts.api_clients.fixtures import bearer, issue, mistyped

pytestmark = pytest.mark.django_db

NOT_FOUND = {"errors": [{"error": "NotFound", "message": "Not found"}]}


def _is_json_error(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert [item["error"] for item in body["errors"]] == [error] * len(body["errors"])
    assert "no-store" in response["Cache-Control"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v0/info",
        "/api/v2/providers",
        "/api/v1/providers/",
        "/api/v1/nothing",
        "/api/v1/providers/not-a-uuid",
        "/api/v1/clients/123/rotate",
        "/api/v1/openapi.yaml",
        "/api/docs/extra",
    ],
)
def test_an_unknown_address_under_api_is_a_json_404(client, token, path):
    for headers in ({}, bearer(token)):
        assert _is_json_error(client.get(path, headers=headers), 404, "NotFound") == NOT_FOUND
        assert _is_json_error(client.post(path, headers=headers), 404, "NotFound") == NOT_FOUND


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("post", "/api/v1/providers", "GET, HEAD"),
        ("put", "/api/v1/providers", "GET, HEAD"),
        ("delete", "/api/v1/info", "GET, HEAD"),
        ("patch", "/api/v1/clients", "GET, POST, HEAD"),
        ("put", "/api/v1/clients/3fa85f64-5717-4562-b3fc-2c963f66afa6", "GET, PATCH, DELETE, HEAD"),
        ("get", "/api/v1/clients/3fa85f64-5717-4562-b3fc-2c963f66afa6/rotate", "POST"),
        ("options", "/api/v1/providers", "GET, HEAD"),
        ("post", "/api/v1/openapi.json", "GET, HEAD"),
        ("post", "/api/docs/", "GET, HEAD"),
    ],
)
def test_a_method_an_address_does_not_take_is_a_json_405_with_allow(client, token, method, path, allow):
    response = getattr(client, method)(path, headers=bearer(token))
    _is_json_error(response, 405, "MethodNotAllowed")
    assert response["Allow"] == allow


def test_trace_is_refused_before_the_api(client):
    assert client.generic("TRACE", "/api/v1/providers").status_code == 405


def test_head_answers_like_get_without_a_body(client, token):
    response = client.head("/api/v1/info", headers=bearer(token))
    assert response.status_code == 200
    assert response.content == b""


def test_an_unexpected_error_is_a_json_500_with_the_request_id_and_no_details(client, token, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals: SELECT * FROM accounts_user")

    monkeypatch.setattr(views.queries, "provider_page", broken)
    response = client.get("/api/v1/providers", headers={**bearer(token), "X-Request-Id": "req-12345678"})
    body = _is_json_error(response, 500, "InternalServerError")
    assert body == {
        "errors": [
            {
                "error": "InternalServerError",
                "message": "Sorry, there is a problem with the service",
                "request_id": "req-12345678",
            }
        ]
    }
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
    (logged,) = [record for record in caplog.records if record.name == "registry.api"]
    assert logged.request_id == "req-12345678"
    assert logged.exc_info is not None


def test_an_api_user_is_never_sent_an_html_page(client, token):
    for response in (
        client.get("/api/v1/providers", {"page_size": "x"}, headers=bearer(token)),
        client.get("/api/v1/nothing", headers=bearer(token)),
        client.get("/api/v1/providers"),
    ):
        assert response["Content-Type"].startswith("application/json")
        assert b"<html" not in response.content.lower()


def test_the_api_needs_no_csrf_token_and_no_sign_in(token):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/clients", {"name": "From a script"}, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 201
    assert strict.get("/api/v1/providers").status_code == 401  # not a redirect to the sign-in page


# ---------------------------------------------------------------------------------------------------
# Rate limits
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def low_limits(settings, monkeypatch):
    settings.API_RATE_LIMIT_PER_TOKEN = 5
    settings.API_RATE_LIMIT_PER_ADDRESS = 3
    settings.API_RATE_LIMIT_WINDOW_SECONDS = 60
    # 20 seconds into a window, so that no test straddles two.
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_020.5)


def test_each_token_has_its_own_limit(client, api_user, token, low_limits, caplog):
    _, second_token = issue(api_user, "Second")
    with caplog.at_level(logging.INFO, logger="security"):
        for _ in range(5):
            assert client.get("/api/v1/info", headers=bearer(token)).status_code == 200
        for _ in range(2):
            response = client.get("/api/v1/info", headers=bearer(token))
            _is_json_error(response, 429, "TooManyRequests")
    assert response["Retry-After"] == "40"
    assert client.get("/api/v1/info", headers=bearer(second_token)).status_code == 200
    events = [record for record in caplog.records if record.msg == "api_rate_limited"]
    assert len(events) == 1  # once a window, however many are refused
    assert events[0].scope == "token"
    assert events[0].actor_id == str(api_user.pk)
    assert token not in caplog.text


def test_requests_without_a_working_token_share_their_addresss_limit(client, token, low_limits, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        for _ in range(3):
            assert client.get("/api/v1/info").status_code == 401
        _is_json_error(client.get("/api/v1/info"), 429, "TooManyRequests")
        _is_json_error(client.get("/api/v1/info", headers=bearer(mistyped(token))), 429, "TooManyRequests")
        _is_json_error(client.get("/api/v1/openapi.json"), 429, "TooManyRequests")
        _is_json_error(client.get("/api/v1/nothing"), 429, "TooManyRequests")
    # A working token is counted apart from the address.
    assert client.get("/api/v1/info", headers=bearer(token)).status_code == 200
    assert [record.scope for record in caplog.records if record.msg == "api_rate_limited"] == ["address"]


def test_the_address_is_the_servers_never_a_forwarded_header(client, low_limits):
    for number in range(3):
        client.get("/api/v1/info", headers={"X-Forwarded-For": f"10.0.0.{number}", "X-Real-IP": f"10.1.0.{number}"})
    response = client.get("/api/v1/info", headers={"X-Forwarded-For": "10.0.0.99"})
    assert response.status_code == 429
    other_address = client.get("/api/v1/info", REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 401


def test_an_address_over_its_limit_costs_at_most_one_query_a_request(client, low_limits, django_assert_max_num_queries):
    from accounts.api_clients import tokens

    for _ in range(3):
        client.get("/api/v1/info", headers=bearer(tokens.token_generate()))
    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/info", headers=bearer(tokens.token_generate()))
    assert response.status_code == 429


def test_limits_are_counted_in_the_shared_cache(client, token, low_limits):
    from django.core.cache import cache

    client.get("/api/v1/info", headers=bearer(token))
    assert any(key for key in _cache_keys(cache) if "ratelimit:token:" in key)


def _cache_keys(cache) -> list[str]:
    backend = cache._cache
    if isinstance(backend, dict):
        return list(backend)
    client = backend.get_client()
    return [key.decode() for key in client.scan_iter(f"{cache.key_prefix}:*")]


def test_security_events_name_the_api_user(api_user, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        security_event("probe", outcome="success", actor=api_user)
    assert caplog.records[0].actor_type == "api_user"
