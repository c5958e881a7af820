"""API users managing their own clients and tokens through the API."""

import datetime
import json
import re
import uuid

import pytest
from django.utils import timezone

from accounts import permissions
from accounts.models import ApiClient, ApiToken
from tests.accounts.api_clients.fixtures import TOKEN_PATTERN, bearer, issue

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients"


@pytest.fixture
def api(client, token):
    def call(method, url, body=None, *, status, content_type="application/json", raw=None, **headers):
        kwargs = {"headers": {**bearer(token), **headers}}
        if body is not None or raw is not None:
            kwargs["data"] = raw if raw is not None else json.dumps(body)
            kwargs["content_type"] = content_type
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == status, response.content
        return response

    return call


@pytest.fixture
def own_client(api_client_and_token):
    return api_client_and_token[0]


def _fields(response) -> list:
    return [(error["error"], error.get("field")) for error in response.json()["errors"]]


# ---------------------------------------------------------------------------------------------------
# Listing and reading
# ---------------------------------------------------------------------------------------------------


def test_an_api_user_lists_their_own_clients_only(api, own_client, other_api_user):
    issue(other_api_user, "Theirs")
    data = api("get", CLIENTS, status=200).json()["data"]
    assert [row["id"] for row in data] == [str(own_client.pk)]
    (row,) = data
    assert row["name"] == "Student record system"
    assert row["status"] == "active"
    (token,) = row["tokens"]
    assert set(token) == {
        "id",
        "hint",
        "status",
        "created_at",
        "expires_at",
        "works_until",
        "replaced_at",
        "revoked_at",
        "last_used_at",
    }
    assert token["status"] == "active"
    assert token["last_used_at"] is not None


def test_one_client(api, own_client):
    data = api("get", f"{CLIENTS}/{own_client.pk}", status=200).json()["data"]
    assert data["id"] == str(own_client.pk)


def test_another_users_client_is_not_found_exactly_like_a_missing_one(api, own_client, other_api_user):
    theirs, _ = issue(other_api_user, "Theirs")
    missing = uuid.uuid4()
    for method, suffix, body in (
        ("get", "", None),
        ("patch", "", {"name": "Mine now"}),
        ("delete", "", None),
        ("post", "/rotate", {}),
    ):
        for_theirs = api(method, f"{CLIENTS}/{theirs.pk}{suffix}", body, status=404)
        for_missing = api(method, f"{CLIENTS}/{missing}{suffix}", body, status=404)
        assert for_theirs.content == for_missing.content == b'{"errors":[{"error":"NotFound","message":"Not found"}]}'
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
    assert theirs.deleted_at is None
    assert theirs.tokens.count() == 1


def test_the_token_and_its_hash_are_never_shown_again(api, own_client, token):
    for response in (api("get", CLIENTS, status=200), api("get", f"{CLIENTS}/{own_client.pk}", status=200)):
        body = response.content.decode()
        assert token not in body
        assert ApiToken.objects.get(client=own_client).token_hash not in body
        assert "token_hash" not in body


# ---------------------------------------------------------------------------------------------------
# Adding
# ---------------------------------------------------------------------------------------------------


def test_adding_a_client_shows_its_token_once(api, api_user):
    response = api("post", CLIENTS, {"name": "Timetabling"}, status=201)
    body = response.json()
    assert re.fullmatch(TOKEN_PATTERN, body["token"])
    client = ApiClient.objects.get(owner=api_user, name="Timetabling")
    assert body["data"]["id"] == str(client.pk)
    assert response["Location"] == f"/api/v1/clients/{client.pk}"
    assert "no-store" in response["Cache-Control"]
    # The new token works, and is never shown again.
    assert api("get", "/api/v1/info", status=200, Authorization=f"Bearer {body['token']}")
    assert body["token"] not in api("get", f"{CLIENTS}/{client.pk}", status=200).content.decode()


def test_adding_a_client_with_an_expiry(api):
    expires_at = (timezone.now() + datetime.timedelta(days=30)).replace(microsecond=0)
    body = api("post", CLIENTS, {"name": "Short", "expires_at": expires_at.isoformat()}, status=201).json()
    assert body["data"]["tokens"][0]["expires_at"] == expires_at.isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize(
    ("expires_at", "message"),
    [
        (lambda: timezone.now() - datetime.timedelta(days=1), "Expiry date must be in the future"),
        (lambda: timezone.now() + datetime.timedelta(days=400), "Expiry date must be within the next 12 months"),
    ],
)
def test_an_expiry_out_of_range_is_refused_with_a_clear_message(api, expires_at, message):
    response = api("post", CLIENTS, {"name": "A", "expires_at": expires_at().isoformat()}, status=400)
    assert response.json() == {"errors": [{"error": "BadRequest", "message": message, "field": "expires_at"}]}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, [("BadRequest", "name")]),
        ({"name": ""}, [("BadRequest", "name")]),
        ({"name": " padded "}, [("BadRequest", "name")]),
        ({"name": "x" * 101}, [("BadRequest", "name")]),
        ({"name": 7}, [("BadRequest", "name")]),
        ({"name": "bell\x07"}, [("BadRequest", "name")]),
        ({"name": "ok", "expires_at": "tomorrow"}, [("BadRequest", "expires_at")]),
        ({"name": "ok", "expires_at": "2030-01-01T00:00:00"}, [("BadRequest", "expires_at")]),
        ({"name": "ok", "owner": str(uuid.uuid4())}, [("BadRequest", "owner")]),
        ({"name": "ok", "token_hash": "0" * 64}, [("BadRequest", "token_hash")]),
        ({"name": "ok", "colour": "red"}, [("BadRequest", "colour")]),
    ],
)
def test_a_body_that_is_not_valid_is_refused_with_its_fields(api, body, fields):
    assert _fields(api("post", CLIENTS, body, status=400)) == fields
    assert ApiClient.objects.count() == 1


def test_a_taken_name_is_a_conflict(api, own_client):
    response = api("post", CLIENTS, {"name": "student RECORD system"}, status=409)
    assert response.json() == {
        "errors": [{"error": "Conflict", "message": "Client name must be unique", "field": "name"}]
    }


def test_an_api_user_has_at_most_20_clients(api):
    for number in range(19):
        api("post", CLIENTS, {"name": f"Client {number}"}, status=201)
    response = api("post", CLIENTS, {"name": "One too many"}, status=409)
    assert response.json()["errors"][0]["error"] == "Conflict"


# ---------------------------------------------------------------------------------------------------
# Renaming
# ---------------------------------------------------------------------------------------------------


def test_renaming(api, own_client, api_user):
    data = api("patch", f"{CLIENTS}/{own_client.pk}", {"name": "Renamed"}, status=200).json()["data"]
    assert data["name"] == "Renamed"
    own_client.refresh_from_db()
    assert own_client.name == "Renamed"
    assert own_client.history.first().history_user == api_user


@pytest.mark.parametrize(
    "field",
    ["token_hash", "owner", "expires_at", "id", "created_at", "status", "tokens", "token", "deleted_at", "revoked_at"],
)
def test_read_only_fields_cannot_be_changed(api, own_client, field):
    response = api("patch", f"{CLIENTS}/{own_client.pk}", {"name": "Renamed", field: "x"}, status=400)
    assert response.json()["errors"] == [
        {"error": "BadRequest", "message": f"‘{field}’ cannot be changed", "field": field}
    ]
    own_client.refresh_from_db()
    assert own_client.name == "Student record system"


def test_unknown_fields_are_refused(api, own_client):
    response = api("patch", f"{CLIENTS}/{own_client.pk}", {"name": "Renamed", "revoked": False}, status=400)
    assert response.json()["errors"] == [
        {"error": "BadRequest", "message": "‘revoked’ is not a field you can send", "field": "revoked"}
    ]


# ---------------------------------------------------------------------------------------------------
# Rotating and revoking
# ---------------------------------------------------------------------------------------------------


def test_rotating_shows_the_new_token_once_and_the_old_one_works_for_the_grace_period(api, own_client, token):
    response = api("post", f"{CLIENTS}/{own_client.pk}/rotate", {"grace_period_hours": 48}, status=201)
    new = response.json()["token"]
    assert new != token
    statuses = [row["status"] for row in response.json()["data"]["tokens"]]
    assert statuses == ["active", "replaced"]
    old = ApiToken.objects.get(client=own_client, replaced_at__isnull=False)
    assert old.grace_ends_at - old.replaced_at == datetime.timedelta(hours=48)
    assert api("get", "/api/v1/info", status=200, Authorization=f"Bearer {new}")
    assert api("get", "/api/v1/info", status=200)


def test_rotating_needs_no_body(api, own_client, client, token):
    response = client.generic("POST", f"{CLIENTS}/{own_client.pk}/rotate", b"", content_type="", headers=bearer(token))
    assert response.status_code == 201
    assert re.fullmatch(TOKEN_PATTERN, response.json()["token"])


@pytest.mark.parametrize("body", [{"grace_period_hours": 169}, {"grace_period_hours": 1.5}, {"grace_period_hours": -1}])
def test_a_grace_period_is_0_to_168_whole_hours(api, own_client, body):
    assert _fields(api("post", f"{CLIENTS}/{own_client.pk}/rotate", body, status=400)) == [
        ("BadRequest", "grace_period_hours")
    ]


def test_revoking_a_client(api, own_client, token, api_user):
    second, second_token = issue(api_user, "Second")
    api("delete", f"{CLIENTS}/{second.pk}", status=204)
    second.refresh_from_db()
    assert second.deleted_at is not None
    assert second.history.first().history_user == api_user
    assert ApiToken.objects.get(client=second).revoked_by == api_user
    assert api("get", "/api/v1/info", status=401, Authorization=f"Bearer {second_token}")
    api("get", f"{CLIENTS}/{second.pk}", status=404)
    assert [row["id"] for row in api("get", CLIENTS, status=200).json()["data"]] == [str(own_client.pk)]


def test_nothing_offers_to_undo_a_revocation(api, own_client, api_user):
    second, _ = issue(api_user, "Second")
    api("delete", f"{CLIENTS}/{second.pk}", status=204)
    api("patch", f"{CLIENTS}/{second.pk}", {"name": "Back"}, status=404)
    api("post", f"{CLIENTS}/{second.pk}/rotate", {}, status=404)
    api("patch", f"{CLIENTS}/{own_client.pk}", {"name": "x", "revoked_at": None}, status=400)


# ---------------------------------------------------------------------------------------------------
# Permission, content types, sizes
# ---------------------------------------------------------------------------------------------------


def test_an_api_user_without_the_permission_is_forbidden(api, own_client, monkeypatch):
    monkeypatch.setattr(permissions, "API_USER_PERMISSIONS", frozenset())
    for method, url, body in (
        ("get", CLIENTS, None),
        ("post", CLIENTS, {"name": "New"}),
        ("get", f"{CLIENTS}/{own_client.pk}", None),
        ("patch", f"{CLIENTS}/{own_client.pk}", {"name": "New"}),
        ("delete", f"{CLIENTS}/{own_client.pk}", None),
        ("post", f"{CLIENTS}/{own_client.pk}/rotate", {}),
    ):
        response = api(method, url, body, status=403)
        assert response.json() == {
            "errors": [{"error": "Forbidden", "message": "You do not have permission to do this"}]
        }
    assert ApiClient.objects.count() == 1
    # The register itself stays open to them.
    api("get", "/api/v1/providers", status=200)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_a_body_that_is_not_json_is_refused(api, content_type):
    response = api("post", CLIENTS, raw='{"name": "A"}', content_type=content_type, status=415)
    assert _fields(response) == [("UnsupportedMediaType", None)]


def test_a_body_without_a_content_type_is_refused(client, token):
    response = client.generic("POST", CLIENTS, b'{"name": "A"}', content_type="", headers=bearer(token))
    assert response.status_code == 415


def test_json_with_a_charset_of_utf_8_is_fine(api):
    api("post", CLIENTS, raw='{"name": "A"}', content_type="application/json; charset=UTF-8", status=201)


def test_a_body_over_the_limit_is_refused(api, settings):
    settings.API_MAX_BODY_BYTES = 1024
    response = api("post", CLIENTS, {"name": "A" * 2000}, status=413)
    assert _fields(response) == [("PayloadTooLarge", None)]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ("[" * 5000 + "]" * 5000, "JSON object"),
        ('{"a": ' * 5000 + "1" + "}" * 5000, "is not a field you can send"),
        ('{"name": ' + '{"a": ' * 5000 + "1" + "}" * 5001, "Enter a client name"),
        ('{"name": "A"', "valid JSON"),
        ("[]", "JSON object"),
        ('"name"', "JSON object"),
        ('{"name": "\\ud800"}', "valid JSON"),
        ('{"name": {"first": {"second": ["A"]}}}', "Enter a client name"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(api, settings, raw, message):
    settings.API_MAX_BODY_BYTES = 1_000_000
    response = api("post", CLIENTS, raw=raw, status=400)
    assert message in response.json()["errors"][0]["message"]
