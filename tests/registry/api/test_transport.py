"""What reaches the API other than a well-formed request over HTTPS: plain HTTP, a method it does not
take, a body that is not UTF-8. Every answer is the API's JSON error, never a redirect or a page."""

import pytest
from django.test import override_settings

from accounts.models import ApiClient
from tests.accounts.api_clients.fixtures import bearer

pytestmark = pytest.mark.django_db

JSON = "application/json; charset=utf-8"


def _is_api_error(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == JSON
    [detail] = response.json()["errors"]
    assert detail["error"] == error
    return detail


# Plain HTTP (ASVS 4.1.2: only browser-facing endpoints redirect to HTTPS) ------------------------


@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_the_api_over_plain_http_is_refused_not_redirected(client, token, method, caplog):
    response = getattr(client, method)("/api/v1/clients", headers=bearer(token))

    detail = _is_api_error(response, 403, "Forbidden")
    assert detail["message"] == "Send API requests over HTTPS: requests over plain HTTP are refused, not redirected"
    assert "Location" not in response
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-Id"]
    # The token crossed the network in clear: the security log says so, and never what it was.
    [event] = [record for record in caplog.records if record.msg == "api_plain_http"]
    assert (event.outcome, event.method, event.path) == ("denied", method.upper(), "/api/v1/clients")
    assert event.token_sent is True
    assert token not in caplog.text


@override_settings(SECURE_SSL_REDIRECT=True)
def test_nothing_is_done_for_a_request_over_plain_http(client, token):
    before = ApiClient.objects.count()

    response = client.post(
        "/api/v1/clients", {"name": "Sent in clear"}, content_type="application/json", headers=bearer(token)
    )

    assert response.status_code == 403
    assert ApiClient.objects.count() == before


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_the_api_over_https_answers_as_usual(client, token):
    response = client.get("/api/v1/clients", headers={**bearer(token), "X-Forwarded-Proto": "https"})

    assert response.status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True)
def test_pages_over_plain_http_are_still_redirected_to_https(client):
    response = client.get("/sign-in/")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_without_the_https_redirect_the_api_answers_over_plain_http(client, token):
    # Local development and `make serve`, which are plain HTTP.
    assert client.get("/api/v1/clients", headers=bearer(token)).status_code == 200


# Methods the API does not take (ASVS 4.1.4) -------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("TRACE", "/api/v1/info", "GET, HEAD"),
        ("TRACE", "/api/v1/clients", "GET, POST, HEAD"),
        ("CONNECT", "/api/v1/clients", "GET, POST, HEAD"),
        ("TRACK", "/api/v1/info", "GET, HEAD"),
        ("TRACE", "/api/docs", "GET, HEAD"),
        ("TRACE", "/api/v1/no-such-thing", "GET, HEAD"),
        ("OPTIONS", "/api/v1/info", "GET, HEAD"),
        ("PROPFIND", "/api/v1/clients", "GET, POST, HEAD"),
        ("DELETE", "/api/v1/info", "GET, HEAD"),
    ],
)
def test_a_method_the_api_does_not_take_is_its_json_405_with_allow(client, token, method, path, allow):
    response = client.generic(method, path, headers=bearer(token))

    detail = _is_api_error(response, 405, "MethodNotAllowed")
    assert detail["message"] == "Method not allowed"
    assert response["Allow"] == allow
    assert "no-store" in response["Cache-Control"]
    # A TRACE is never echoed back.
    assert b"Authorization" not in response.content
    assert token.encode() not in response.content


def test_a_method_no_page_takes_is_still_the_plain_405_on_pages(client):
    response = client.generic("TRACE", "/sign-in/")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("text/html")
    assert response["Allow"] == "GET, HEAD, POST"


# Bodies that are not UTF-8 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"name":"\xff\xfe"}',  # inside a string: msgspec checks it only when it decodes the string
        b'{"name":"Admissions \xc3"}',  # cut short
        b'{"na\xffme":"Admissions"}',  # in a field name
        b'{"name":"Admissions"}\xff',  # after the JSON
    ],
)
def test_a_body_that_is_not_utf_8_is_a_400_in_the_apis_shape(client, token, body):
    before = ApiClient.objects.count()

    response = client.post("/api/v1/clients", body, content_type="application/json", headers=bearer(token))

    detail = _is_api_error(response, 400, "BadRequest")
    assert detail["message"] == "The request body must be valid JSON in UTF-8"
    assert ApiClient.objects.count() == before
