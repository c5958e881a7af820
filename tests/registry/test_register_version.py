"""The register's version changes with every write to the register, however it is made."""

import pytest
from django.core.management import call_command

from registry import register_version
from registry.models import Provider
from tests.factories import AccreditationFactory, PartnershipFactory, ProviderFactory, academic_year
from tests.registry.importing.conftest import run_import

pytestmark = pytest.mark.django_db


def test_stays_the_same_while_nothing_changes():
    assert register_version.register_version() == register_version.register_version()


def test_comes_back_new_when_the_cache_has_lost_it():
    from django.core.cache import cache

    before = register_version.register_version()
    cache.delete(register_version.CACHE_KEY)
    assert register_version.register_version() != before


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda provider: ProviderFactory(), id="another provider added"),
        pytest.param(lambda provider: provider.save(), id="provider saved"),
        pytest.param(lambda provider: AccreditationFactory(provider=provider), id="accreditation added"),
        pytest.param(lambda provider: provider.academic_years.add(academic_year(2031)), id="academic year linked"),
        pytest.param(lambda provider: provider.academic_years.clear(), id="academic years unlinked"),
        pytest.param(
            lambda provider: PartnershipFactory(training_partner=provider).academic_years.add(academic_year(2031)),
            id="partnership and its years",
        ),
    ],
)
def test_changes_with_each_write(write):
    provider = ProviderFactory()
    before = register_version.register_version()
    write(provider)
    assert register_version.register_version() != before


def test_changes_again_when_the_write_commits(django_capture_on_commit_callbacks):
    provider = ProviderFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        provider.save()
    during = register_version.register_version()
    for callback in callbacks:
        callback()
    # A page built from the data as it was before the commit was cached under `during`.
    assert register_version.register_version() != during


def test_changes_when_fixtures_are_loaded(tmp_path):
    provider = ProviderFactory()
    fixture = tmp_path / "providers.json"
    call_command("dumpdata", "registry.provider", output=str(fixture), verbosity=0)
    Provider.objects.filter(pk=provider.pk).update(operating_name="Changed behind the register's back")
    before = register_version.register_version()
    call_command("loaddata", str(fixture), verbosity=0)
    assert register_version.register_version() != before


def test_changes_when_the_register_is_imported():
    before = register_version.register_version()
    run_import()
    assert register_version.register_version() != before
