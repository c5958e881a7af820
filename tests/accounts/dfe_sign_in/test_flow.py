"""The way through DfE Sign-in, and what it leaves behind."""

import base64
import hashlib
import time

import pytest
import requests
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

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
from tests.support.oidc_provider import DISCOVERY_PATH, JWKS_PATH, TOKEN_PATH, OIDCProvider, Person
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(oidc_provider):
    return oidc_provider.sign_in_as(
        Person(sub="dfe-uid-anne", email="anne.wilson@education.gov.uk", given_name="Anne", family_name="Wilson")
    )


@pytest.fixture
def anne(person):
    return SupportAdministratorFactory(
        first_name="Anne", last_name="Wilson", email=person.email, dfe_sign_in_uid=person.sub
    )


def session_exists(session_key: str) -> bool:
    store: SessionBase = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    return store.exists(session_key)


# --- The sign-in page -------------------------------------------------------------------------------


def test_the_sign_in_page_posts_to_dfe_sign_in_carrying_the_next_path(client, oidc_provider):
    response = client.get(reverse("sign-in"), {"next": "/admin/accounts/user/"})

    assert response.status_code == 200
    page = Page(response)
    [form] = [form for form in page.all("form") if attribute(form, "action") == reverse("dfe-sign-in")]
    assert attribute(form, "method") == "post"
    [button] = page.all("button", within=form)
    assert text(button) == "Sign in using DfE Sign-in"
    inputs = {attribute(each, "name"): attribute(each, "value") for each in page.all("input", within=form)}
    assert inputs["next"] == "/admin/accounts/user/"
    assert "csrfmiddlewaretoken" in inputs


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/", "/\\evil.example", "admin/"])
def test_the_sign_in_page_drops_a_next_that_is_not_a_path_on_this_site(client, oidc_provider, next_path):
    page = Page(client.get(reverse("sign-in"), {"next": next_path}))

    [next_input] = [each for each in page.all("input") if attribute(each, "name") == "next"]
    assert attribute(next_input, "value") == reverse("admin:index")


def test_the_sign_in_button_works_with_csrf_checks_on(oidc_provider):
    browser = Client(enforce_csrf_checks=True)
    page = Page(browser.get(reverse("sign-in")))
    [token] = [each for each in page.all("input") if attribute(each, "name") == "csrfmiddlewaretoken"]

    assert browser.post(reverse("dfe-sign-in")).status_code == 403
    response = browser.post(reverse("dfe-sign-in"), {"csrfmiddlewaretoken": attribute(token, "value")})
    assert response.status_code == 302
    assert response.url.startswith(oidc_provider.url("/authorize?"))


# --- Starting -------------------------------------------------------------------------------------------


def test_starting_sends_the_person_to_the_provider_with_pkce_state_and_nonce(client, oidc_provider):
    response = start(client)

    assert response.status_code == 302
    assert response.url.startswith(oidc_provider.url("/authorize?"))
    query = query_of(response.url)
    assert query["client_id"] == oidc_provider.client_id
    assert query["response_type"] == "code"
    assert query["scope"] == "openid email profile"
    assert query["redirect_uri"] == "http://127.0.0.1:8000/auth/dfe/callback/"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256 digest
    assert len(query["state"]) >= 20
    assert len(query["nonce"]) >= 20
    # Nothing secret travels in the browser: no verifier, no client secret.
    assert "code_verifier" not in query
    assert oidc_provider.client_secret not in response.url


def test_the_redirect_uri_comes_from_service_url_not_the_host_header(client, oidc_provider, settings):
    settings.SERVICE_URL = "https://register.example.gov.uk"
    settings.ALLOWED_HOSTS = ["evil.example"]

    response = client.post(reverse("dfe-sign-in"), headers={"host": "evil.example"})

    assert query_of(response.url)["redirect_uri"] == "https://register.example.gov.uk/auth/dfe/callback/"


def test_each_start_has_its_own_state_nonce_and_challenge(client, oidc_provider):
    first, second = query_of(start(client).url), query_of(start(client).url)

    for name in ("state", "nonce", "code_challenge"):
        assert first[name] != second[name]


def test_starting_needs_a_post(client, oidc_provider):
    assert client.get(reverse("dfe-sign-in")).status_code == 405


# --- Finishing ------------------------------------------------------------------------------------------


def test_a_known_person_signs_in_and_lands_in_the_admin(client, anne, oidc_provider, caplog):
    response = sign_in(client)

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert signed_in_user_id(client) == str(anne.pk)
    assert client.get(reverse("admin:index"), follow=True).status_code == 200
    [event] = security_events(caplog, "sign_in")
    assert (event.outcome, event.actor_id, event.method) == ("success", str(anne.pk), "dfe-sign-in")


def test_the_code_is_exchanged_with_the_client_secret_and_the_pkce_verifier(client, anne, oidc_provider):
    started = start(client)

    assert client.get(authorise(started)).status_code == 302
    [token_request] = oidc_provider.requests_to(TOKEN_PATH)
    assert token_request.headers["Authorization"].startswith("Basic ")
    assert "client_secret" not in token_request.form
    assert token_request.form["grant_type"] == "authorization_code"
    assert token_request.form["redirect_uri"] == "http://127.0.0.1:8000/auth/dfe/callback/"
    verifier = token_request.form["code_verifier"]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == query_of(started.url)["code_challenge"]


def test_signing_in_gives_a_new_session_key_and_ends_the_old_one(client, anne, oidc_provider):
    callback = authorise(start(client))
    before = client.session.session_key
    assert before
    assert session_exists(before)

    client.get(callback)

    after = client.session.session_key
    assert signed_in_user_id(client) == str(anne.pk)
    assert after != before
    assert not session_exists(before)


def test_signing_in_records_when_without_a_history_row(client, anne, oidc_provider):
    history_rows = anne.history.count()

    sign_in(client)

    anne.refresh_from_db()
    assert anne.last_signed_in_at is not None
    assert anne.history.count() == history_rows


def test_the_id_token_is_kept_in_the_session_for_signing_out(client, anne, oidc_provider):
    sign_in(client)

    assert client.session[SESSION_ID_TOKEN] == oidc_provider.issued_id_tokens[-1]


def test_the_person_goes_where_they_were_going(client, anne, oidc_provider):
    response = sign_in(client, next_path="/admin/accounts/user/?o=1")

    assert response.status_code == 302
    assert response.url == "/admin/accounts/user/?o=1"


@pytest.mark.parametrize(
    "next_path", ["https://evil.example/", "//evil.example/admin/", "/\\evil.example", "http:/evil.example", ""]
)
def test_an_off_site_next_is_ignored(client, anne, oidc_provider, next_path):
    response = sign_in(client, next_path=next_path)

    assert response.url == reverse("admin:index")


def test_the_next_path_is_not_carried_to_a_later_sign_in(client, anne, oidc_provider):
    sign_in(client, next_path="/admin/accounts/user/")

    assert sign_in(client).url == reverse("admin:index")


def test_signing_in_again_while_signed_in_as_someone_else_replaces_them(client, anne, oidc_provider):
    someone = SupportAdministratorFactory()
    client.force_login(someone, backend="accounts.backends.ServiceAccountBackend")

    sign_in(client)

    assert signed_in_user_id(client) == str(anne.pk)


def test_nothing_secret_is_logged(client, anne, oidc_provider, caplog):
    with caplog.at_level("INFO"):
        callback = authorise(start(client))
        client.get(callback)
        session_key = client.session.session_key
        client.post(reverse("sign-out"))

    logged = "\n".join(f"{record.getMessage()} {vars(record)}" for record in caplog.records)
    [token_request] = oidc_provider.requests_to(TOKEN_PATH)
    secrets_seen = [
        query_of(callback)["code"],
        token_request.form["code_verifier"],
        oidc_provider.issued_id_tokens[-1],
        oidc_provider.client_secret,
        session_key,
    ]
    for secret in secrets_seen:
        assert secret not in logged


# --- The provider's discovery document and keys --------------------------------------------------------


def test_discovery_and_keys_are_fetched_once_and_reused(client, anne, oidc_provider):
    sign_in(client)
    client.post(reverse("sign-out"))
    sign_in(client)

    assert len(oidc_provider.requests_to(DISCOVERY_PATH)) == 1
    assert len(oidc_provider.requests_to(JWKS_PATH)) == 1


def test_discovery_is_fetched_again_when_it_is_too_old(client, anne, oidc_provider, settings):
    settings.DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS = 0

    sign_in(client)

    assert len(oidc_provider.requests_to(DISCOVERY_PATH)) > 1


def test_a_new_issuer_in_the_settings_is_used_at_once(client, anne, oidc_provider, settings):
    sign_in(client)
    client.post(reverse("sign-out"))

    with OIDCProvider() as other:
        other.sign_in_as(oidc_provider.person)
        settings.DFE_SIGN_IN_ISSUER = other.issuer
        settings.DFE_SIGN_IN_CLIENT_ID = other.client_id
        settings.DFE_SIGN_IN_CLIENT_SECRET = other.client_secret

        response = sign_in(client)

        assert response.url == reverse("admin:index")
        assert len(other.requests_to(TOKEN_PATH)) == 1


def test_fields_in_the_discovery_document_cannot_weaken_the_client(client, anne, oidc_provider):
    # Authlib passes discovery fields on to its HTTP session and client; only the ones we use are kept.
    oidc_provider.metadata_changes = {
        "code_challenge_method": "plain",
        "token_endpoint_auth_method": "none",
        "scope": "openid",
        "verify": False,
        "proxies": {"http": "http://127.0.0.1:9"},
    }

    response = start(client)
    query = query_of(response.url)
    assert (query["code_challenge_method"], query["scope"]) == ("S256", "openid email profile")
    assert client.get(authorise(response)).url == reverse("admin:index")
    [token_request] = oidc_provider.requests_to(TOKEN_PATH)
    assert token_request.headers["Authorization"].startswith("Basic ")


def test_the_local_provider_names_itself_as_issuer_and_publishes_an_rsa_key(oidc_provider):
    document = requests.get(oidc_provider.url(DISCOVERY_PATH), timeout=5).json()
    keys = requests.get(document["jwks_uri"], timeout=5).json()["keys"]

    assert document["issuer"] == oidc_provider.issuer
    assert [key["kty"] for key in keys] == ["RSA"]


@pytest.mark.parametrize(
    "claim_changes",
    [
        {"aud": ["register-of-training-providers"]},
        {"azp": "register-of-training-providers"},
        {"iat": int(time.time()) - 5 * 60},
    ],
    ids=["audience as a list of one", "our authorised party", "issued a few minutes ago"],
)
def test_a_good_id_token_in_another_shape_is_accepted(client, anne, oidc_provider, claim_changes):
    oidc_provider.issue_id_tokens(**claim_changes)

    assert sign_in(client).url == reverse("admin:index")
    assert signed_in_user_id(client) == str(anne.pk)


def test_the_sign_in_page_lets_its_form_lead_on_to_dfe_sign_in(client, oidc_provider):
    # Chrome and Safari apply form-action to the redirect after the post, not just to the post.
    sign_in_policy = csp_of(client.get(reverse("sign-in")))
    start_policy = csp_of(client.get(reverse("start")))

    assert sign_in_policy.pop("form-action").split() == [*start_policy.pop("form-action").split(), oidc_provider.issuer]
    assert sign_in_policy == start_policy


def csp_of(response) -> dict:
    policy = {}
    for directive in response["Content-Security-Policy"].split("; "):
        name, _, sources = directive.partition(" ")
        policy[name] = sources
    return policy


def test_the_provider_is_named_once_in_form_action(client, oidc_provider, settings):
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", oidc_provider.issuer]}

    policy = csp_of(client.get(reverse("sign-in")))

    assert policy["form-action"].split() == ["'self'", oidc_provider.issuer]
