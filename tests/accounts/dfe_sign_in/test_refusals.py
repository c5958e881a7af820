"""Sign-ins that must not complete: bad ID tokens, a broken or forged flow, an unreachable provider.

Each is refused with no session for anyone, and a security log entry that says why.
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.dfe_sign_in.flow import SESSION_ID_TOKEN
from tests.accounts.dfe_sign_in.conftest import (
    authorise,
    query_of,
    security_events,
    sign_in,
    signed_in_user_id,
    start,
)
from tests.factories import SupportAdministratorFactory
from tests.support.oidc_provider import LEAVE_OUT, TOKEN_PATH, Person, Signing
from tests.support.page import Page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def anne(oidc_provider):
    person = oidc_provider.sign_in_as(Person(sub="dfe-uid-anne", email="anne.wilson@education.gov.uk"))
    return SupportAdministratorFactory(email=person.email, dfe_sign_in_uid=person.sub)


def assert_refused(client, response, caplog, user, *, reason: str, status: int = 400) -> dict:
    """Refused: the problem page, nobody signed in, nothing kept, and a logged reason."""
    assert response.status_code == status
    assert signed_in_user_id(client) is None
    assert SESSION_ID_TOKEN not in client.session
    user.refresh_from_db()
    assert user.last_signed_in_at is None
    [event] = security_events(caplog, "sign_in")
    assert (event.outcome, event.reason, event.method) == ("failure", reason, "dfe-sign-in")
    assert event.actor_id is None
    return vars(event)


# --- The ID token -------------------------------------------------------------------------------------


def _now() -> int:
    return int(time.time())


BAD_ID_TOKENS = [
    pytest.param({"nonce": "not-the-nonce-we-sent"}, Signing.RS256, id="wrong nonce"),
    pytest.param({"nonce": LEAVE_OUT}, Signing.RS256, id="no nonce"),
    pytest.param({"aud": "another-client"}, Signing.RS256, id="wrong audience"),
    # Authlib on its own lets this one through: it checks azp, but aud only when asked.
    pytest.param(
        {"aud": "another-client", "azp": "register-of-training-providers"}, Signing.RS256, id="wrong aud, our azp"
    ),
    pytest.param(
        {"aud": ["register-of-training-providers", "another-client"], "azp": "register-of-training-providers"},
        Signing.RS256,
        id="an untrusted extra audience",
    ),
    pytest.param({"aud": LEAVE_OUT}, Signing.RS256, id="no audience"),
    pytest.param({"azp": "another-client"}, Signing.RS256, id="another authorised party"),
    pytest.param({"iss": "https://evil.example"}, Signing.RS256, id="wrong issuer"),
    pytest.param({"iss": LEAVE_OUT}, Signing.RS256, id="no issuer"),
    pytest.param({"exp": _now() - 60 * 60}, Signing.RS256, id="expired"),
    pytest.param({"exp": LEAVE_OUT}, Signing.RS256, id="no expiry"),
    pytest.param({"iat": _now() + 60 * 60}, Signing.RS256, id="issued in the future"),
    pytest.param({"iat": LEAVE_OUT}, Signing.RS256, id="no issued-at"),
    pytest.param({"nbf": _now() + 60 * 60}, Signing.RS256, id="not valid yet"),
    pytest.param({"sub": LEAVE_OUT}, Signing.RS256, id="no subject"),
    pytest.param({}, Signing.NONE, id="alg none"),
    pytest.param({}, Signing.OTHER_KEY, id="signed with another key"),
    pytest.param({}, Signing.HS256_WITH_PUBLIC_KEY, id="HS256 keyed with the public key"),
]


@pytest.mark.parametrize(("claim_changes", "signing"), BAD_ID_TOKENS)
def test_a_bad_id_token_is_refused(client, anne, oidc_provider, caplog, claim_changes, signing):
    oidc_provider.issue_id_tokens(signing=signing, **claim_changes)

    response = sign_in(client)

    assert_refused(client, response, caplog, anne, reason="id_token_invalid")
    assert oidc_provider.issued_id_tokens  # The provider did answer: it was the token that was refused.


def test_an_issuer_that_differs_only_by_a_trailing_slash_is_refused(client, anne, oidc_provider, caplog):
    oidc_provider.issue_id_tokens(iss=oidc_provider.issuer + "/")

    assert_refused(client, sign_in(client), caplog, anne, reason="id_token_invalid")


@pytest.mark.parametrize("signing", [Signing.NONE, Signing.HS256_WITH_PUBLIC_KEY])
def test_weak_algorithms_are_refused_even_when_the_provider_lists_them(client, anne, oidc_provider, caplog, signing):
    oidc_provider.metadata_changes = {"id_token_signing_alg_values_supported": ["none", "HS256", "RS256"]}
    oidc_provider.issue_id_tokens(signing=signing)

    assert_refused(client, sign_in(client), caplog, anne, reason="id_token_invalid")


def test_the_log_names_the_failed_claim(client, anne, oidc_provider, caplog):
    oidc_provider.issue_id_tokens(nonce="not-the-nonce-we-sent")

    event = assert_refused(client, sign_in(client), caplog, anne, reason="id_token_invalid")

    assert (event["error"], event["claim"]) == ("invalid_claim", "nonce")


def test_a_token_answer_without_an_id_token_is_refused(client, anne, oidc_provider, caplog):
    oidc_provider.token_response_changes = {"id_token": LEAVE_OUT}

    assert_refused(client, sign_in(client), caplog, anne, reason="id_token_missing")


@pytest.mark.parametrize("id_token", [None, 42, "not.a-jwt", ""])
def test_a_token_answer_with_a_malformed_id_token_is_refused(client, anne, oidc_provider, caplog, id_token):
    oidc_provider.token_response_changes = {"id_token": id_token}

    response = sign_in(client)

    assert response.status_code == 400
    assert signed_in_user_id(client) is None
    [event] = security_events(caplog, "sign_in")
    assert event.outcome == "failure"


def test_user_info_about_someone_else_is_refused(client, anne, oidc_provider, caplog):
    oidc_provider.profile_in_id_token = False
    oidc_provider.userinfo_changes = {"sub": "someone-else"}

    assert_refused(client, sign_in(client), caplog, anne, reason="userinfo_subject_mismatch")


# --- The flow -----------------------------------------------------------------------------------------


def test_a_tampered_state_is_refused_before_the_code_is_used(client, anne, oidc_provider, caplog):
    callback = authorise(start(client))
    query = query_of(callback)

    response = client.get(reverse("dfe-sign-in-callback"), {"code": query["code"], "state": query["state"] + "x"})

    assert_refused(client, response, caplog, anne, reason="state_mismatch")
    assert oidc_provider.requests_to(TOKEN_PATH) == []


def test_a_callback_without_a_started_flow_is_refused(client, anne, oidc_provider, caplog):
    # Someone else's callback address, opened in this browser (login CSRF): its state is not ours.
    other_browser = Client()
    callback = authorise(start(other_browser))

    response = client.get(callback)

    assert_refused(client, response, caplog, anne, reason="state_mismatch")
    assert oidc_provider.requests_to(TOKEN_PATH) == []


def test_a_callback_without_a_code_is_refused(client, anne, oidc_provider, caplog):
    state = query_of(start(client).url)["state"]

    response = client.get(reverse("dfe-sign-in-callback"), {"state": state})

    assert_refused(client, response, caplog, anne, reason="missing_code")


def test_a_callback_opened_twice_is_refused_the_second_time(client, anne, oidc_provider, caplog):
    callback = authorise(start(client))
    client.get(callback)
    client.post(reverse("sign-out"))
    caplog.clear()

    response = client.get(callback)

    assert response.status_code == 400
    assert signed_in_user_id(client) is None
    [event] = security_events(caplog, "sign_in")
    assert (event.outcome, event.reason) == ("failure", "state_mismatch")


def test_a_replayed_code_is_refused_by_the_provider(client, anne, oidc_provider, caplog):
    first = query_of(authorise(start(client)))
    assert client.get(reverse("dfe-sign-in-callback"), first).status_code == 302
    client.post(reverse("sign-out"))
    anne.last_signed_in_at = None
    anne.save()
    caplog.clear()
    # A new flow in this browser, given the old code.
    second = query_of(authorise(start(client)))

    response = client.get(reverse("dfe-sign-in-callback"), {"code": first["code"], "state": second["state"]})

    event = assert_refused(client, response, caplog, anne, reason="provider_error")
    assert event["error"] == "invalid_grant"


def test_a_code_from_another_flow_fails_pkce(client, anne, oidc_provider, caplog):
    # The code was issued to another browser's flow, so this flow's verifier does not match it.
    other_browser = Client()
    stolen = query_of(authorise(start(other_browser)))
    ours = query_of(start(client).url)

    response = client.get(reverse("dfe-sign-in-callback"), {"code": stolen["code"], "state": ours["state"]})

    event = assert_refused(client, response, caplog, anne, reason="provider_error")
    assert event["error"] == "invalid_grant"


def test_a_sign_in_turned_down_at_the_provider_is_refused(client, anne, oidc_provider, caplog):
    oidc_provider.authorize_error = "access_denied"

    event = assert_refused(client, sign_in(client), caplog, anne, reason="provider_error")

    assert event["error"] == "access_denied"


def test_an_unusual_error_from_the_provider_is_not_repeated_in_the_log(client, anne, oidc_provider, caplog):
    state = query_of(start(client).url)["state"]

    response = client.get(reverse("dfe-sign-in-callback"), {"error": "<script>" + "x" * 200, "state": state})

    event = assert_refused(client, response, caplog, anne, reason="provider_error")
    assert event["error"] == "unrecognised"


def test_a_wrong_client_secret_is_refused(client, anne, oidc_provider, caplog, settings):
    settings.DFE_SIGN_IN_CLIENT_SECRET = "not-the-secret"

    event = assert_refused(client, sign_in(client), caplog, anne, reason="provider_error")

    assert event["error"] == "invalid_client"


def test_a_failed_sign_in_page_offers_to_try_again(client, anne, oidc_provider):
    oidc_provider.issue_id_tokens(signing=Signing.NONE)

    page = Page(sign_in(client))

    assert text(page.one("h1")) == "Sorry, you could not be signed in"
    assert "Try signing in again" in text(page.one("main"))


# --- The provider -------------------------------------------------------------------------------------


def test_a_discovery_document_for_another_issuer_is_refused(client, anne, oidc_provider, caplog):
    oidc_provider.metadata_changes = {"issuer": "https://evil.example"}

    response = start(client)

    assert_refused(client, response, caplog, anne, reason="discovery_issuer_mismatch", status=503)


def test_a_discovery_document_without_a_token_endpoint_is_refused(client, anne, oidc_provider, caplog):
    oidc_provider.metadata_changes = {"token_endpoint": LEAVE_OUT}

    assert_refused(client, start(client), caplog, anne, reason="discovery_invalid", status=503)


def test_an_unreachable_provider_is_said_to_be_unavailable(client, anne, oidc_provider, caplog):
    oidc_provider.stop()

    response = start(client)

    assert_refused(client, response, caplog, anne, reason="provider_unreachable", status=503)
    assert text(Page(response).one("h1")) == "Sorry, DfE Sign-in is not available"


def test_a_provider_that_goes_away_during_sign_in_is_said_to_be_unavailable(client, anne, oidc_provider, caplog):
    callback = authorise(start(client))
    oidc_provider.stop()

    assert_refused(client, client.get(callback), caplog, anne, reason="provider_unreachable", status=503)


def test_a_forged_callback_does_not_sign_out_someone_already_signed_in(client, anne, oidc_provider, caplog):
    client.force_login(anne, backend="accounts.backends.ServiceAccountBackend")

    response = client.get(reverse("dfe-sign-in-callback"), {"code": "a-code", "state": "a-state"})

    assert response.status_code == 400
    assert signed_in_user_id(client) == str(anne.pk)
    [event] = security_events(caplog, "sign_in")
    assert (event.outcome, event.reason) == ("failure", "state_mismatch")
