"""The API while its database cannot be used: a JSON 503 that says to try again, never a 500 or a 401."""

import pytest

from accounts.models import ApiClient
from tests.accounts.api_clients.fixtures import bearer, issue
from tests.support.database_outage import database_unreachable

pytestmark = pytest.mark.django_db

UNAVAILABLE = {"error": "ServiceUnavailable", "message": "The service is unavailable: try again later"}


def _is_service_unavailable(response, request_id: str) -> None:
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"errors": [{**UNAVAILABLE, "request_id": request_id}]}
    assert "no-store" in response["Cache-Control"]
    for leak in (b"OperationalError", b"Connection refused", b"5432", b"Traceback"):
        assert leak not in response.content


def test_a_list_asked_for_while_the_database_is_down_is_a_json_503_and_works_again_after(client, token):
    # The token is checked once while the database is up, so the outage meets the list itself.
    assert client.get("/api/v1/clients", headers=bearer(token)).status_code == 200

    with database_unreachable():
        response = client.get("/api/v1/clients", headers={**bearer(token), "X-Request-Id": "req-list-outage"})

    _is_service_unavailable(response, "req-list-outage")
    assert client.get("/api/v1/clients", headers=bearer(token)).status_code == 200


def test_a_token_that_cannot_be_checked_is_a_503_not_a_refusal(client, token):
    # A token the service has not seen is looked up in the database: an outage must not look like a
    # bad token, or clients would throw away a token that works.
    with database_unreachable():
        response = client.get("/api/v1/info", headers={**bearer(token), "X-Request-Id": "req-token-outage"})

    _is_service_unavailable(response, "req-token-outage")
    assert "WWW-Authenticate" not in response


def test_a_client_added_while_the_database_is_down_is_a_503_and_nothing_is_saved(client, api_user, token):
    assert client.get("/api/v1/clients", headers=bearer(token)).status_code == 200
    before = ApiClient.objects.count()

    with database_unreachable():
        response = client.post(
            "/api/v1/clients",
            {"name": "Admissions system"},
            content_type="application/json",
            headers={**bearer(token), "X-Request-Id": "req-create-outage"},
        )

    _is_service_unavailable(response, "req-create-outage")
    assert ApiClient.objects.count() == before
    assert not ApiClient.objects.filter(name="Admissions system").exists()


def test_a_head_request_while_the_database_is_down_is_a_503_without_a_body(client, token):
    with database_unreachable():
        response = client.head("/api/v1/clients", headers=bearer(token))

    assert response.status_code == 503
    assert response.content == b""


def test_a_database_outage_is_logged_as_one_structured_record_and_not_as_a_server_error(
    client, api_user, token, caplog
):
    _, other_token = issue(api_user, name="Second system")

    with database_unreachable():
        client.get("/api/v1/clients", headers={**bearer(other_token), "X-Request-Id": "req-logged-outage"})

    (record,) = [record for record in caplog.records if getattr(record, "event", None) == "database_unavailable"]
    assert (record.levelname, record.method, record.path) == ("ERROR", "GET", "/api/v1/clients")
    assert record.request_id == "req-logged-outage"
    assert record.error.startswith("OperationalError: connection failed")
    assert not [record for record in caplog.records if record.name == "registry.api"]
