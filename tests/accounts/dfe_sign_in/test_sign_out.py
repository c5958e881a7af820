"""Signing out after DfE Sign-in ends the session here and the person's DfE Sign-in session."""

import pytest
import requests
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from tests.accounts.dfe_sign_in.conftest import query_of, security_events, sign_in, signed_in_user_id
from tests.factories import SupportAdministratorFactory
from tests.support.oidc_provider import END_SESSION_PATH, LEAVE_OUT, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def anne(oidc_provider):
    person = oidc_provider.sign_in_as(Person(sub="dfe-uid-anne", email="anne.wilson@education.gov.uk"))
    return SupportAdministratorFactory(email=person.email, dfe_sign_in_uid=person.sub)


def session_exists(session_key: str) -> bool:
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")().exists(session_key)


def test_signing_out_ends_the_dfe_sign_in_session_too(client, anne, oidc_provider, caplog):
    sign_in(client)
    id_token = oidc_provider.issued_id_tokens[-1]
    session_key = client.session.session_key

    response = client.post(reverse("sign-out"))

    assert response.status_code == 302
    assert response.url.startswith(oidc_provider.url(END_SESSION_PATH) + "?")
    query = query_of(response.url)
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == "http://127.0.0.1:8000/"
    # The session here is gone.
    assert signed_in_user_id(client) is None
    assert not session_exists(session_key)
    [event] = security_events(caplog, "sign_out")
    assert (event.outcome, event.actor_id) == ("success", str(anne.pk))
    # DfE Sign-in takes the hint and sends the person back to the start page.
    answer = requests.get(response.url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("http://127.0.0.1:8000/?")


def test_the_old_session_cookie_is_worthless_after_signing_out(client, anne, oidc_provider):
    sign_in(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("sign-out"))

    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302  # To sign in.
    assert signed_in_user_id(client) is None


def test_without_an_id_token_signing_out_goes_to_the_start_page(client, anne, oidc_provider):
    client.force_login(anne, backend="accounts.backends.ServiceAccountBackend")

    response = client.post(reverse("sign-out"))

    assert response.url == reverse("start")
    assert signed_in_user_id(client) is None


def test_when_the_provider_has_no_end_session_address_signing_out_goes_to_the_start_page(
    client, anne, oidc_provider, settings
):
    sign_in(client)
    oidc_provider.metadata_changes = {"end_session_endpoint": LEAVE_OUT}
    settings.DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS = 0

    response = client.post(reverse("sign-out"))

    assert response.url == reverse("start")
    assert signed_in_user_id(client) is None


def test_when_the_provider_is_unreachable_signing_out_still_signs_out(client, anne, oidc_provider, settings):
    sign_in(client)
    oidc_provider.stop()
    settings.DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS = 0

    response = client.post(reverse("sign-out"))

    assert response.url == reverse("start")
    assert signed_in_user_id(client) is None


def test_in_persona_mode_signing_out_goes_to_the_start_page(client, anne, oidc_provider, settings):
    sign_in(client)
    settings.SIGN_IN_METHOD = "persona"

    response = client.post(reverse("sign-out"))

    assert response.url == reverse("start")
    assert signed_in_user_id(client) is None
