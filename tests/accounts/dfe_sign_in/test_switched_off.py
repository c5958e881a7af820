"""With persona sign-in, the DfE Sign-in URLs exist but answer 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def persona_sign_in(settings):
    settings.SIGN_IN_METHOD = "persona"


@pytest.mark.parametrize("method", ["get", "post"])
def test_starting_dfe_sign_in_is_not_found(client, method):
    assert getattr(client, method)(reverse("dfe-sign-in")).status_code == 404


def test_the_callback_is_not_found(client):
    response = client.get(reverse("dfe-sign-in-callback"), {"code": "a-code", "state": "a-state"})

    assert response.status_code == 404


def test_the_user_not_found_page_is_not_found(client):
    assert client.get(reverse("user-not-found")).status_code == 404


def test_the_urls_are_where_dfe_sign_in_expects_them():
    assert reverse("dfe-sign-in") == "/sign-in/dfe/"
    assert reverse("dfe-sign-in-callback") == "/auth/dfe/callback/"
    assert reverse("user-not-found") == "/sign-in/user-not-found/"
