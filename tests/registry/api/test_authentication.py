"""Every state a token can be in, and what the API answers to each: one 401, whatever is wrong."""

import datetime
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.api_clients import selectors, services, tokens
from accounts.models import ApiToken
from tests.accounts.api_clients.fixtures import bearer, issue, mistyped
from tests.factories import SupportAdministratorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/info"


@pytest.fixture
def clock(monkeypatch):
    """Move the service's clock: `clock(moment)` makes `timezone.now()` answer `moment`."""

    def move(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def _refused(response):
    assert response.status_code == 401, response.content
    return response


def _comparable_headers(response) -> dict:
    """Every header but the request's own id, which differs by design."""
    return {name: value for name, value in response.headers.items() if name != "X-Request-Id"}


def test_a_valid_token_is_accepted(client, token):
    response = client.get(URL, headers=bearer(token))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": {"requested": "v1", "latest": "v1"}}


def test_the_scheme_name_is_not_case_sensitive(client, token):
    assert client.get(URL, headers={"Authorization": f"bearer {token}"}).status_code == 200


# ---------------------------------------------------------------------------------------------------
# Refused tokens, all alike
# ---------------------------------------------------------------------------------------------------


def _unknown(client_token, user):
    return tokens.token_generate()


def _malformed(client_token, user):
    return "not-a-token"


def _bad_checksum(client_token, user):
    return client_token[:-1] + ("A" if client_token[-1] != "A" else "B")


def _expired(client_token, user):
    now = timezone.now()
    ApiToken.objects.filter(client__owner=user).update(
        created_at=now - datetime.timedelta(days=10), expires_at=now - datetime.timedelta(seconds=1)
    )
    return client_token


def _revoked(client_token, user):
    client = user.api_clients.get()
    services.api_client_revoke(actor=user, client_id=client.pk)
    return client_token


def _owner_inactive(client_token, user):
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    return client_token


def _owner_deleted(client_token, user):
    type(user).objects.filter(pk=user.pk).update(is_active=False, deleted_at=timezone.now())
    return client_token


def _owner_not_api_user(client_token, user):
    type(user).objects.filter(pk=user.pk).update(is_api_user=False)
    return client_token


def _client_deleted(client_token, user):
    user.api_clients.update(deleted_at=timezone.now())
    return client_token


def _replaced_and_grace_over(client_token, user):
    client = user.api_clients.get()
    services.api_client_token_rotate(actor=user, client_id=client.pk, grace_period=datetime.timedelta(0))
    return client_token


REFUSALS = {
    "unknown": _unknown,
    "malformed": _malformed,
    "bad checksum": _bad_checksum,
    "expired": _expired,
    "revoked": _revoked,
    "owner inactive": _owner_inactive,
    "owner deleted": _owner_deleted,
    "owner not an API user": _owner_not_api_user,
    "client deleted": _client_deleted,
    "replaced, grace over": _replaced_and_grace_over,
}


@pytest.mark.parametrize("state", REFUSALS)
def test_a_token_that_does_not_work_gets_the_one_refusal(client, api_user, token, state):
    sent = REFUSALS[state](token, api_user)
    refused = _refused(client.get(URL, headers=bearer(sent)))
    missing = _refused(client.get(URL))
    assert refused.content == missing.content
    assert _comparable_headers(refused) == _comparable_headers(missing)
    assert refused["WWW-Authenticate"] == "Bearer"
    assert refused.json() == {
        "errors": [
            {
                "error": "Unauthorized",
                "message": "Send a valid API token in the Authorization header, as ‘Authorization: Bearer <token>’",
            }
        ]
    }


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b", "rotp_dev_x", "Bearer\ttoken"],
)
def test_a_malformed_authorization_header_gets_the_one_refusal(client, header):
    assert _refused(client.get(URL, headers={"Authorization": header})).content == _refused(client.get(URL)).content


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired", "owner inactive"])
def test_a_refused_token_is_refused_again_from_the_cache(client, api_user, token, state):
    sent = REFUSALS[state](token, api_user)
    _refused(client.get(URL, headers=bearer(sent)))
    with CaptureQueriesContext(connection) as queries:
        _refused(client.get(URL, headers=bearer(sent)))
    assert len(queries) == 0


@pytest.mark.parametrize("state", ["malformed", "bad checksum"])
def test_a_malformed_token_is_refused_without_the_database(client, api_user, token, state, django_assert_num_queries):
    sent = REFUSALS[state](token, api_user)
    with django_assert_num_queries(0):
        _refused(client.get(URL, headers=bearer(sent)))


def test_without_a_token_there_is_no_query_either(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        _refused(client.get(URL))


def test_a_token_in_the_query_string_or_a_cookie_is_ignored(client, token):
    _refused(client.get(URL, {"token": token}))
    _refused(client.get(URL, {"access_token": token}))
    client.cookies["token"] = token
    client.cookies["access_token"] = token
    _refused(client.get(URL))


def test_a_support_users_web_session_does_not_authenticate_the_api(administrator_client):
    _refused(administrator_client.get(URL))


# ---------------------------------------------------------------------------------------------------
# Time: expiry and grace periods, to the second, whatever the cache holds
# ---------------------------------------------------------------------------------------------------


def test_a_token_works_until_it_expires_and_not_a_second_after(client, api_user, clock):
    expires_at = timezone.now() + datetime.timedelta(days=30)
    _, token = issue(api_user, expires_at=expires_at)
    clock(expires_at - datetime.timedelta(seconds=1))
    assert client.get(URL, headers=bearer(token)).status_code == 200  # and now it is in the cache
    clock(expires_at + datetime.timedelta(seconds=1))
    _refused(client.get(URL, headers=bearer(token)))


def test_a_token_refused_for_its_expiry_is_logged_as_expired_whether_or_not_the_cache_knew_it(
    client, api_user, clock, caplog
):
    expires_at = timezone.now() + datetime.timedelta(days=30)
    _, token = issue(api_user, expires_at=expires_at)
    _, never_used = issue(api_user, name="Placements system", expires_at=expires_at)
    assert client.get(URL, headers=bearer(token)).status_code == 200  # now in the cache
    clock(expires_at + datetime.timedelta(seconds=1))

    with caplog.at_level(logging.INFO, logger="security"):
        _refused(client.get(URL, headers=bearer(token)))  # known to the cache
        _refused(client.get(URL, headers=bearer(never_used)))  # read from the database
        _refused(client.get(URL, headers=bearer(tokens.token_generate())))  # never issued

    events = [record for record in caplog.records if record.msg == "api_authentication_failed"]
    assert [event.reason for event in events] == ["expired", "expired", "invalid"]
    assert token not in caplog.text
    assert never_used not in caplog.text


def test_a_rotated_token_works_during_its_grace_period_and_not_after(client, api_user, token, clock):
    client_record = api_user.api_clients.get()
    assert client.get(URL, headers=bearer(token)).status_code == 200
    start = timezone.now()
    clock(start)
    new = services.api_client_token_rotate(
        actor=api_user, client_id=client_record.pk, grace_period=datetime.timedelta(hours=2)
    ).secret
    clock(start + datetime.timedelta(hours=2) - datetime.timedelta(seconds=1))
    assert client.get(URL, headers=bearer(token)).status_code == 200
    assert client.get(URL, headers=bearer(new)).status_code == 200
    clock(start + datetime.timedelta(hours=2, seconds=1))
    _refused(client.get(URL, headers=bearer(token)))
    assert client.get(URL, headers=bearer(new)).status_code == 200


# ---------------------------------------------------------------------------------------------------
# Taking access away works at once, cached or not
# ---------------------------------------------------------------------------------------------------


def test_a_revoked_token_is_refused_within_the_same_second(client, api_user, token):
    client_record = api_user.api_clients.get()
    assert client.get(URL, headers=bearer(token)).status_code == 200  # cached
    response = client.delete(f"/api/v1/clients/{client_record.pk}", headers=bearer(token))
    assert response.status_code == 204
    _refused(client.get(URL, headers=bearer(token)))


def test_revoking_every_token_of_a_user_takes_effect_at_once(client, api_user, token):
    assert client.get(URL, headers=bearer(token)).status_code == 200  # cached
    services.api_tokens_revoke_for_user(user=api_user, actor=SupportAdministratorFactory())
    _refused(client.get(URL, headers=bearer(token)))


def test_the_cache_keeps_a_token_check_for_a_minute_at_most(client, api_user, token, settings, clock):
    settings.API_TOKEN_CACHE_SECONDS = 60
    assert client.get(URL, headers=bearer(token)).status_code == 200
    # Access taken away behind the services' back: the cache is the only thing that remembers.
    type(api_user).objects.filter(pk=api_user.pk).update(is_active=False)
    assert client.get(URL, headers=bearer(token)).status_code == 200
    selectors.api_token_cache_forget(tokens.token_hashes(token))  # as a minute's passing would
    _refused(client.get(URL, headers=bearer(token)))


# ---------------------------------------------------------------------------------------------------
# Queries, last use, and who the request acts as
# ---------------------------------------------------------------------------------------------------


def test_a_cached_token_costs_no_query_and_an_uncached_one_costs_one(client, token, django_assert_num_queries):
    assert client.get(URL, headers=bearer(token)).status_code == 200  # fills the cache, and records its use
    with django_assert_num_queries(0):
        assert client.get(URL, headers=bearer(token)).status_code == 200
    selectors.api_token_cache_forget(tokens.token_hashes(token))
    with django_assert_num_queries(1):
        assert client.get(URL, headers=bearer(token)).status_code == 200


def test_last_used_is_recorded_on_success_at_most_once_an_interval(client, api_user, token, settings):
    settings.API_TOKEN_LAST_USED_INTERVAL_SECONDS = 900
    record = ApiToken.objects.get(client__owner=api_user)
    assert record.last_used_at is None
    _refused(client.get(URL, headers=bearer(mistyped(token))))
    record.refresh_from_db()
    assert record.last_used_at is None
    client.get(URL, headers=bearer(token))
    record.refresh_from_db()
    first_use = record.last_used_at
    assert first_use is not None
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            client.get(URL, headers=bearer(token))
    assert not [query for query in queries if query["sql"].startswith("UPDATE")]
    record.refresh_from_db()
    assert record.last_used_at == first_use


def test_requests_act_as_the_tokens_owner(client, api_user, token):
    response = client.post(
        "/api/v1/clients", {"name": "Second system"}, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 201
    created = api_user.api_clients.get(name="Second system")
    assert created.history.get().history_user == api_user
    assert ApiToken.history.get(client_id=created.pk).history_user == api_user


def test_refusals_are_security_events_that_never_hold_the_token(client, token, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        client.get(URL, headers=bearer(mistyped(token)))
        client.get(URL)
    events = [record for record in caplog.records if record.msg == "api_authentication_failed"]
    assert [event.reason for event in events] == ["malformed", "missing"]
    assert all(event.ip == "127.0.0.1" for event in events)
    assert token[:-1] not in caplog.text
