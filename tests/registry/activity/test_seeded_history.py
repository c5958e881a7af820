"""Seeded records start their history as added by the system, so their first change shows old and new.

`manage.py seed` loads fixtures, which django-simple-history leaves out of history; the command
records each one as added. These tests seed a few records taken from fixtures/ (a partnership, its
two providers, an address and an accreditation of theirs, and an account).
"""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from registry.management.commands.seed import SEEDED
from registry.models import Accreditation, Address, Partnership, Provider
from registry.services.addresses import address_update
from registry.services.providers import provider_update
from tests.registry.activity.support import ACTIVITY_URL, entries
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures"


def _records(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text("utf-8"))


@pytest.fixture
def seeded(settings, tmp_path):
    """A few fixture records seeded into an empty database, as `make run` seeds them all."""
    open_providers = {
        record["pk"]: record
        for record in _records("0003_providers.json")
        if record["fields"]["academic_years"]
        and not (record["fields"]["archived_at"] or record["fields"]["deleted_at"])
    }
    with_addresses = {record["fields"]["provider"] for record in _records("0005_addresses.json")}
    partnership = next(
        record
        for record in _records("0006_partnerships.json")
        if record["fields"]["academic_years"]
        and record["fields"]["accredited_provider"] in open_providers
        and record["fields"]["training_partner"] in open_providers.keys() & with_addresses
    )
    partners = {partnership["fields"]["accredited_provider"], partnership["fields"]["training_partner"]}
    providers = [open_providers[pk] for pk in sorted(partners)]
    addresses = [record for record in _records("0005_addresses.json") if record["fields"]["provider"] in partners]
    accreditations = [
        record for record in _records("0004_accreditations.json") if record["fields"]["provider"] in partners
    ]
    # Not Anne Wilson: the tests' own administrator is her.
    users = [
        record
        for record in _records("0001_users.json")
        if record["fields"]["deleted_at"] is None and record["fields"]["email"] != "anne.wilson@education.gov.uk"
    ][:1]
    assert len(providers) == 2
    assert addresses
    assert accreditations
    assert users
    directory = tmp_path / "fixtures"
    directory.mkdir()
    files = {
        "0001_users.json": users,
        "0002_academic_years.json": _records("0002_academic_years.json"),
        "0003_providers.json": providers,
        "0004_accreditations.json": accreditations[:1],
        "0005_addresses.json": addresses[:1],
        "0006_partnerships.json": [partnership],
    }
    for name, records in files.items():
        (directory / name).write_text(json.dumps(records), "utf-8")
    settings.BASE_DIR = tmp_path
    call_command("seed", verbosity=0)
    return files


def test_every_seeded_record_is_recorded_as_added_by_the_system(seeded):
    for model in (User, Provider, Accreditation, Address, Partnership):
        loaded = model._base_manager.count()
        history = model.history.all()
        assert loaded, model
        assert (
            sorted(history.values_list("history_type", "history_change_reason", "history_user"))
            == [("+", SEEDED, None)] * loaded
        ), model
        assert set(history.values_list("id", flat=True)) == set(model._base_manager.values_list("pk", flat=True))


def test_seeded_academic_years_are_recorded_with_their_records(seeded):
    for model in (Provider, Partnership):
        for record in model._base_manager.all():
            [added] = record.history.all()
            assert sorted(added.academic_years.values_list("academicyear_id", flat=True)) == sorted(
                record.academic_years.values_list("pk", flat=True)
            ), record


def test_the_first_change_to_a_seeded_record_shows_old_and_new(seeded, administrator, administrator_client):
    address = Address.objects.get()
    old_town = address.town_or_city
    provider = Provider.objects.get(pk=address.provider_id)
    old_name = provider.operating_name
    address_update(actor=administrator, address=address, changes={"town_or_city": "Kingston upon Hull"})
    provider_update(actor=administrator, provider=provider, changes={"operating_name": "Renamed Teaching School"})

    response = administrator_client.get(ACTIVITY_URL)

    provider_changed, address_changed = entries(response)[:2]
    assert address_changed.endswith(f"Field Old value New value Town or city {old_town} Kingston upon Hull")
    # Only the name: the academic years were recorded as seeded, so they are not a change.
    assert provider_changed.endswith(f"Field Old value New value Operating name {old_name} Renamed Teaching School")
    # The seeding itself reads as an addition by the system, with the seed as its reason.
    seeded_entries = [entry for entry in entries(response) if SEEDED in entry]
    assert len(seeded_entries) == 6  # the account, two providers, an accreditation, an address, a partnership
    assert all(" added " in entry and " By the system at " in entry for entry in seeded_entries)


def test_seeding_again_records_nothing_more(seeded):
    before = {model: model.history.count() for model in (User, Provider, Address, Partnership)}

    call_command("seed", verbosity=0)

    assert {model: model.history.count() for model in before} == before


def test_the_providers_history_starts_with_it_being_seeded(seeded, administrator_client):
    provider = Provider.objects.first()

    page = Page(administrator_client.get(reverse("admin:registry_provider_history", args=[provider.pk])))

    history = [text(item) for item in page.all("li") if "app-history__entry" in (attribute(item, "class") or "")]
    assert history[-1].startswith("Provider added By the system on ")
    assert history[-1].endswith(SEEDED)
