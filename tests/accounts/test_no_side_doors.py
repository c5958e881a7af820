"""No way in but the service's own sign-in, and no account nobody asked for (ST-02, ST-11 of the plan).

A password never signs anyone in, even one a shell gave an account; and a database fresh from its
migrations has no accounts at all: no "admin", no superuser, no guardian AnonymousUser.
"""

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.urls import reverse

from accounts.models import User
from tests.factories import SupportAdministratorFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def administrator_with_a_password():
    user = SupportAdministratorFactory(email="anne.wilson@education.gov.uk")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_password_authenticates_nobody(administrator_with_a_password):
    assert authenticate(None, username="anne.wilson@education.gov.uk", password=PASSWORD) is None
    assert authenticate(None, email="anne.wilson@education.gov.uk", password=PASSWORD) is None


def test_posting_a_password_to_the_admins_sign_in_address_signs_nobody_in(client, administrator_with_a_password):
    response = client.post(
        reverse("admin:login"), {"username": "anne.wilson@education.gov.uk", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"] == str(settings.LOGIN_URL)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


def test_a_fresh_database_has_no_accounts():
    # Migrations make groups (one per role) and nothing else a person could sign in as.
    assert not User.objects.exists()
    assert settings.ANONYMOUS_USER_NAME is None  # guardian makes no AnonymousUser row


def test_nothing_makes_a_superuser_or_a_usable_password_for_accounts_it_creates():
    user = User.objects.create_user("new.person@education.gov.uk", first_name="New", last_name="Person")

    assert not user.is_superuser
    assert not user.has_usable_password()
