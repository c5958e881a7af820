"""DfE Sign-in down, slow or answering garbage, at each address the service calls.

Whatever DfE Sign-in does, the person gets the service's sign-in problem page: "DfE Sign-in is not
available" (503) when it could not be used, or "you could not be signed in" (400) for an answer that
arrived but cannot sign anyone in. Never a 500 or a traceback; nobody is signed in and nothing of the
flow is kept; and one record in the security log says which call failed and how. No call waits
longer than DFE_SIGN_IN_TIMEOUT_SECONDS for an answer.
"""

import logging
import socket
import time

import pytest
import requests
from django.urls import reverse

from accounts.dfe_sign_in.flow import SESSION_ID_TOKEN
from tests.accounts.dfe_sign_in.conftest import authorise, security_events, sign_in, signed_in_user_id, start
from tests.factories import SupportAdministratorFactory
from tests.support.oidc_faults import EMPTY, GATEWAY_TIMEOUT, HANG_UP, NOT_JSON, SERVER_ERROR, SLOW, Fault
from tests.support.oidc_provider import DISCOVERY_PATH, JWKS_PATH, TOKEN_PATH, USERINFO_PATH, Person
from tests.support.page import Page, text

pytestmark = pytest.mark.django_db

TIMEOUT_SECONDS = 1
# Long enough for the call that times out and the page, far shorter than a held worker.
WITHIN_SECONDS = TIMEOUT_SECONDS + 3

UNAVAILABLE = "Sorry, DfE Sign-in is not available"
NOT_SIGNED_IN = "Sorry, you could not be signed in"


@pytest.fixture(autouse=True)
def short_timeout(settings, oidc_provider):
    settings.DFE_SIGN_IN_TIMEOUT_SECONDS = TIMEOUT_SECONDS


@pytest.fixture(autouse=True)
def every_log_record(caplog):
    with caplog.at_level(logging.INFO):
        yield caplog


@pytest.fixture
def anne(oidc_provider):
    person = oidc_provider.sign_in_as(Person(sub="dfe-uid-anne", email="anne.wilson@education.gov.uk"))
    return SupportAdministratorFactory(email=person.email, dfe_sign_in_uid=person.sub)


def closed_address(path: str) -> str:
    """An address on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def timed(call):
    began = time.monotonic()
    response = call()
    return response, time.monotonic() - began


def assert_clean_failure(client, response, caplog, user, *, page_status: int = 503, **expected) -> None:
    """The problem page, nobody signed in, and one log record saying what failed (`expected`)."""
    assert response.status_code == page_status
    assert text(Page(response).one("h1")) == (UNAVAILABLE if page_status == 503 else NOT_SIGNED_IN)
    assert "Traceback" not in response.content.decode()
    assert signed_in_user_id(client) is None
    assert SESSION_ID_TOKEN not in client.session
    user.refresh_from_db()
    assert user.last_signed_in_at is None

    [event] = security_events(caplog, "sign_in")
    assert (event.outcome, event.method) == ("failure", "dfe-sign-in")
    assert {name: getattr(event, name, None) for name in expected} == expected
    # Nothing else says anything went wrong but the status line Django logs for every 4xx and 5xx,
    # and nothing carries a traceback.
    others = [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING and record is not event and record.name != "django.request"
    ]
    assert others == []
    assert [record for record in caplog.records if record.exc_info] == []


def assert_signs_in(client, anne) -> None:
    response = sign_in(client)
    assert response.status_code == 302, response.content
    assert signed_in_user_id(client) == str(anne.pk)


# --- Discovery ----------------------------------------------------------------------------------------
# Asked for when someone presses "Sign in" (and again once the document is too old).

DISCOVERY_FAULTS = [
    pytest.param(SLOW, {"reason": "provider_unreachable", "error": "ReadTimeout"}, id="slow"),
    pytest.param(HANG_UP, {"reason": "provider_unreachable", "error": "ConnectionError"}, id="hangs up"),
    pytest.param(SERVER_ERROR, {"reason": "provider_error_status", "status": 500}, id="500"),
    pytest.param(GATEWAY_TIMEOUT, {"reason": "provider_error_status", "status": 504}, id="504 from a gateway"),
    pytest.param(NOT_JSON, {"reason": "provider_answer_invalid", "error": "JSONDecodeError"}, id="not JSON"),
    pytest.param(EMPTY, {"reason": "provider_answer_invalid", "error": "JSONDecodeError"}, id="empty"),
    pytest.param(Fault.json(["not", "an", "object"]), {"reason": "discovery_invalid"}, id="JSON not an object"),
    pytest.param(Fault.json({}), {"reason": "discovery_issuer_mismatch"}, id="JSON without its keys"),
]


@pytest.mark.parametrize(("fault", "logged"), DISCOVERY_FAULTS)
def test_discovery_failing_when_sign_in_starts(client, anne, oidc_provider, caplog, fault, logged):
    oidc_provider.fail(DISCOVERY_PATH, fault)

    response, seconds = timed(lambda: start(client))

    expected = {"endpoint": "discovery", **logged} if logged["reason"].startswith("provider_") else logged
    assert_clean_failure(client, response, caplog, anne, **expected)
    assert seconds < WITHIN_SECONDS


def test_discovery_without_the_addresses_it_must_give(client, anne, oidc_provider, caplog):
    oidc_provider.fail(DISCOVERY_PATH, Fault.json({"issuer": oidc_provider.issuer}))

    assert_clean_failure(client, start(client), caplog, anne, reason="discovery_invalid")


def test_discovery_with_addresses_that_are_not_text(client, anne, oidc_provider, caplog):
    oidc_provider.metadata_changes = {"token_endpoint": 42, "jwks_uri": ["http://127.0.0.1/jwks"]}

    assert_clean_failure(client, start(client), caplog, anne, reason="discovery_invalid")


def test_discovery_refusing_connections(client, anne, oidc_provider, caplog):
    oidc_provider.stop()

    response = start(client)

    assert_clean_failure(
        client, response, caplog, anne, reason="provider_unreachable", endpoint="discovery", error="ConnectionError"
    )


def test_discovery_failing_at_the_callback_once_the_document_is_too_old(client, anne, oidc_provider, caplog, settings):
    callback = authorise(start(client))
    settings.DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS = 0
    oidc_provider.fail(DISCOVERY_PATH, SERVER_ERROR)

    response = client.get(callback)

    assert_clean_failure(
        client, response, caplog, anne, reason="provider_error_status", endpoint="discovery", status=500
    )
    assert oidc_provider.requests_to(TOKEN_PATH) == []


def test_a_failed_discovery_is_not_kept_so_sign_in_works_once_it_recovers(client, anne, oidc_provider):
    oidc_provider.fail(DISCOVERY_PATH, NOT_JSON)
    assert start(client).status_code == 503

    oidc_provider.recover()

    assert_signs_in(client, anne)


# --- The token endpoint -------------------------------------------------------------------------------
# Called on the person's return, to exchange the code.

TOKEN_FAULTS = [
    pytest.param(SLOW, {"reason": "provider_unreachable", "error": "ReadTimeout"}, id="slow"),
    pytest.param(HANG_UP, {"reason": "provider_unreachable", "error": "ConnectionError"}, id="hangs up"),
    pytest.param(SERVER_ERROR, {"reason": "provider_error_status", "status": 500}, id="500"),
    pytest.param(GATEWAY_TIMEOUT, {"reason": "provider_error_status", "status": 504}, id="504 from a gateway"),
    pytest.param(
        Fault(status=400, body=b"<html>Bad Request</html>", content_type="text/html"),
        {"reason": "provider_error_status", "status": 400},
        id="400 not JSON",
    ),
    pytest.param(NOT_JSON, {"reason": "provider_answer_invalid", "error": "ValueError"}, id="200 not JSON"),
    pytest.param(EMPTY, {"reason": "provider_answer_invalid", "error": "ValueError"}, id="200 empty"),
    pytest.param(
        Fault.json(["not", "an", "object"]),
        {"reason": "provider_answer_invalid", "error": "ValueError"},
        id="JSON list",
    ),
    pytest.param(
        Fault.json({"access_token": "x", "token_type": "Bearer", "expires_in": "soon"}),
        {"reason": "provider_answer_invalid", "error": "ValueError"},
        id="JSON with a bad expiry",
    ),
]


@pytest.mark.parametrize(("fault", "logged"), TOKEN_FAULTS)
def test_the_token_endpoint_failing(client, anne, oidc_provider, caplog, fault, logged):
    callback = authorise(start(client))
    oidc_provider.fail(TOKEN_PATH, fault)

    response, seconds = timed(lambda: client.get(callback))

    assert_clean_failure(client, response, caplog, anne, endpoint="token", **logged)
    assert seconds < WITHIN_SECONDS


def test_the_token_endpoint_refusing_connections(client, anne, oidc_provider, caplog):
    oidc_provider.metadata_changes = {"token_endpoint": closed_address(TOKEN_PATH)}
    callback = authorise(start(client))

    response = client.get(callback)

    assert_clean_failure(
        client, response, caplog, anne, reason="provider_unreachable", endpoint="token", error="ConnectionError"
    )


@pytest.mark.parametrize("answer", [{}, {"access_token": "x", "token_type": "Bearer"}], ids=["nothing", "no ID token"])
def test_a_token_answer_without_its_keys_cannot_sign_anyone_in(client, anne, oidc_provider, caplog, answer):
    callback = authorise(start(client))
    oidc_provider.fail(TOKEN_PATH, Fault.json(answer))

    assert_clean_failure(client, client.get(callback), caplog, anne, page_status=400, reason="id_token_missing")


# --- The signing keys ---------------------------------------------------------------------------------
# Fetched to check the first ID token's signature, and again for a key id they do not have.

JWKS_FAULTS = [
    pytest.param(SLOW, {"reason": "provider_unreachable", "error": "ReadTimeout"}, id="slow"),
    pytest.param(SERVER_ERROR, {"reason": "provider_error_status", "status": 500}, id="500"),
    pytest.param(NOT_JSON, {"reason": "provider_answer_invalid", "error": "JSONDecodeError"}, id="not JSON"),
    pytest.param(Fault.json({}), {"reason": "jwks_invalid"}, id="no keys"),
    pytest.param(Fault.json({"keys": "a key"}), {"reason": "jwks_invalid"}, id="keys not a list"),
    pytest.param(Fault.json({"keys": []}), {"reason": "jwks_invalid"}, id="an empty list"),
    pytest.param(Fault.json([{"kty": "RSA"}]), {"reason": "jwks_invalid"}, id="a list, not a set"),
    pytest.param(
        Fault.json({"keys": [{"kty": "RSA", "kid": "k"}]}), {"reason": "jwks_invalid"}, id="a key with no key"
    ),
    pytest.param(
        Fault.json({"keys": [{"kty": "RSA", "n": "abc", "e": "AQAB"}]}), {"reason": "jwks_invalid"}, id="a broken key"
    ),
]


@pytest.mark.parametrize(("fault", "logged"), JWKS_FAULTS)
def test_the_signing_keys_failing(client, anne, oidc_provider, caplog, fault, logged):
    callback = authorise(start(client))
    oidc_provider.fail(JWKS_PATH, fault)

    response, seconds = timed(lambda: client.get(callback))

    assert_clean_failure(client, response, caplog, anne, endpoint="jwks", **logged)
    assert seconds < WITHIN_SECONDS


def test_the_signing_keys_refusing_connections(client, anne, oidc_provider, caplog):
    oidc_provider.metadata_changes = {"jwks_uri": closed_address(JWKS_PATH)}
    callback = authorise(start(client))

    response = client.get(callback)

    assert_clean_failure(
        client, response, caplog, anne, reason="provider_unreachable", endpoint="jwks", error="ConnectionError"
    )


def test_bad_keys_are_not_kept_so_sign_in_works_once_they_are_put_right(client, anne, oidc_provider):
    oidc_provider.fail(JWKS_PATH, Fault.json({"keys": "a key"}))
    assert client.get(authorise(start(client))).status_code == 503

    oidc_provider.recover()

    assert_signs_in(client, anne)


# --- User info ----------------------------------------------------------------------------------------
# Asked only when the ID token leaves out a name or email address.

USERINFO_FAULTS = [
    pytest.param(SLOW, {"reason": "provider_unreachable", "error": "ReadTimeout"}, id="slow"),
    pytest.param(SERVER_ERROR, {"reason": "provider_error_status", "status": 500}, id="500"),
    pytest.param(NOT_JSON, {"reason": "provider_answer_invalid", "error": "JSONDecodeError"}, id="not JSON"),
    pytest.param(Fault.json(["x"]), {"reason": "provider_answer_invalid", "error": "ValueError"}, id="JSON list"),
]


@pytest.mark.parametrize(("fault", "logged"), USERINFO_FAULTS)
def test_user_info_failing(client, anne, oidc_provider, caplog, fault, logged):
    oidc_provider.profile_in_id_token = False
    callback = authorise(start(client))
    oidc_provider.fail(USERINFO_PATH, fault)

    response, seconds = timed(lambda: client.get(callback))

    assert_clean_failure(client, response, caplog, anne, endpoint="userinfo", **logged)
    assert seconds < WITHIN_SECONDS


# --- Every call has a time limit ----------------------------------------------------------------------


def test_every_call_to_dfe_sign_in_has_the_time_limit(client, anne, oidc_provider, monkeypatch):
    oidc_provider.profile_in_id_token = False  # So that user info is asked for too.
    calls = []
    send = requests.Session.send

    def recording_send(session, prepared, **kwargs):
        if prepared.url.startswith(oidc_provider.issuer):
            calls.append((prepared.path_url.split("?")[0], kwargs.get("timeout")))
        return send(session, prepared, **kwargs)

    monkeypatch.setattr(requests.Session, "send", recording_send)

    start_response = start(client)
    calls_from_the_browser = len(calls)
    callback = authorise(start_response)  # The browser's visit to the provider: not the service's.
    del calls[calls_from_the_browser:]
    response = client.get(callback)

    assert response.status_code == 302
    paths = [path for path, _ in calls]
    assert sorted(set(paths)) == sorted({DISCOVERY_PATH, TOKEN_PATH, JWKS_PATH, USERINFO_PATH})
    assert {timeout for _, timeout in calls} == {TIMEOUT_SECONDS}


def test_signing_out_while_dfe_sign_in_is_down_still_signs_the_person_out(client, anne, oidc_provider, settings):
    assert_signs_in(client, anne)
    settings.DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS = 0
    oidc_provider.fail(DISCOVERY_PATH, SLOW)

    response, seconds = timed(lambda: client.post(reverse("sign-out")))

    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert seconds < WITHIN_SECONDS
