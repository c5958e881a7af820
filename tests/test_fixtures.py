"""The example users in fixtures/, which `make run` loads into every local database."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.validators import is_dfe_email

pytestmark = pytest.mark.django_db

# The register's own fixtures are tested with the import that writes them (tests/registry/importing).
FIXTURES = [str(settings.BASE_DIR / "fixtures" / "0001_users.json")]


@pytest.fixture
def loaded():
    call_command("loaddata", *FIXTURES, verbosity=0)


def test_there_are_fixtures_to_load():
    assert FIXTURES


def test_fixtures_give_a_realistic_spread_of_users(loaded):
    users = User.objects.all()
    kept = User.objects.kept()

    assert users.count() >= 30
    assert kept.filter(is_api_user=True, is_active=True).count() >= 2
    assert kept.filter(is_api_user=False, is_active=False).count() >= 2
    assert kept.filter(last_signed_in_at__isnull=False).exists()
    assert kept.filter(last_signed_in_at__isnull=True, is_api_user=False).exists()
    assert users.filter(deleted_at__isnull=False).exists()
    for role in Role:
        assert kept.filter(groups__name=role, is_active=True).exists(), f"nobody active is a {role}"
    assert kept.filter(email__iendswith=".education.gov.uk").exists()


def test_every_fixture_user_is_a_valid_account(loaded):
    for user in User.objects.all():
        assert is_dfe_email(user.email), user.email
        assert user.email == user.email.lower().strip()
        assert not user.has_usable_password(), user.email
        assert user.created_at <= user.updated_at, user.email
        assert not user.is_superuser, user.email
        if user.is_api_user or user.is_deleted:
            assert not user.is_staff, user.email
        else:
            assert user.is_staff, user.email
        if user.is_deleted:
            assert not user.is_active, user.email


def test_the_real_services_personas_are_there(loaded):
    by_name = {user.full_name: user for user in User.objects.all()}

    anne = by_name["Anne Wilson"]
    assert anne.can_use_web_interface
    assert anne.groups.filter(name=Role.SUPPORT_ADMINISTRATOR).exists()
    assert not by_name["Mary Lawson"].is_deleted
    assert not by_name["Colin Chapman"].is_deleted
    assert by_name["Ahmed Ali"].is_api_user
    assert by_name["Farrah Al-Farsi"].is_api_user
    assert by_name["Marla Signer"].is_deleted


def test_the_persona_page_lists_every_kept_fixture_user_and_no_deleted_one(loaded, client):
    content = client.get(reverse("personas")).content.decode()

    for user in User.objects.kept():
        assert user.email in content
    for user in User.objects.filter(deleted_at__isnull=False):
        assert user.email not in content


def test_a_fixture_administrator_can_sign_in_and_use_the_admin(loaded, client):
    anne = User.objects.kept().get(email="anne.wilson@education.gov.uk")

    client.post(reverse("persona-sign-in", args=[anne.pk]))

    assert client.get(reverse("admin:index")).status_code == 200


def test_loading_the_fixtures_again_changes_nothing(loaded):
    before = list(User.objects.order_by("pk").values())

    call_command("loaddata", *FIXTURES, verbosity=0)

    assert list(User.objects.order_by("pk").values()) == before
