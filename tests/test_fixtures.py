"""The seed data in fixtures/, which `make run` loads into every new local database, and its users."""

import io
import json
import re
from collections import Counter

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.validators import is_dfe_email
from registry.models import Partnership, Provider

pytestmark = pytest.mark.django_db

FIXTURES_DIR = settings.BASE_DIR / "fixtures"
README = settings.BASE_DIR / "README.md"
# The register's own fixtures are tested with the import that writes them (tests/registry/importing).
FIXTURES = [str(FIXTURES_DIR / "0001_users.json")]


@pytest.fixture
def loaded():
    call_command("loaddata", *FIXTURES, verbosity=0)


def _documented_counts() -> dict[str, int]:
    """What README.md says fixtures/ holds: "35 users, and the 2,235 providers and 1,806 partnerships"."""
    found = re.search(r"(\d[\d,]*) users, and the (\d[\d,]*) providers and (\d[\d,]*) partnerships", README.read_text())
    assert found, "README.md no longer says how many users, providers and partnerships fixtures/ holds"
    return dict(
        zip(("users", "providers", "partnerships"), (int(n.replace(",", "")) for n in found.groups()), strict=True)
    )


def test_seed_loads_every_file_in_fixtures_into_an_empty_database_once():
    in_files = Counter(
        record["model"] for path in sorted(FIXTURES_DIR.glob("*.json")) for record in json.loads(path.read_text())
    )
    assert User.objects.count() == 0

    call_command("seed", verbosity=0)
    loaded = {label: apps.get_model(label).objects.count() for label in in_files}
    seeded_again = io.StringIO()
    call_command("seed", stdout=seeded_again)

    assert loaded == dict(in_files)
    assert {"accounts.user", "registry.provider", "registry.partnership"} <= set(in_files)
    assert _documented_counts() == {
        "users": User.objects.count(),
        "providers": Provider.objects.count(),
        "partnerships": Partnership.objects.count(),
    }
    assert "fixtures not loaded again" in seeded_again.getvalue()
    assert {label: apps.get_model(label).objects.count() for label in in_files} == loaded


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


def test_a_fixture_administrator_signs_in_to_the_users_list(loaded, client):
    anne = User.objects.kept().get(email="anne.wilson@education.gov.uk")

    response = client.post(reverse("persona-sign-in", args=[anne.pk]), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("admin:accounts_user_changelist")
    assert "Users (" in response.content.decode()


def test_loading_the_fixtures_again_changes_nothing(loaded):
    before = list(User.objects.order_by("pk").values())

    call_command("loaddata", *FIXTURES, verbosity=0)

    assert list(User.objects.order_by("pk").values()) == before
