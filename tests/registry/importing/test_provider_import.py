"""Taking provider rows: a new provider as the file has it, one on the register matched and brought into line."""

import csv
import datetime

import pytest
from django.utils import timezone

from registry.models import Provider
from registry.services.register_ids import register_id_candidate
from tests.factories import ProviderFactory
from tests.registry.importing.conftest import PROVIDERS, provider, run_import, years

pytestmark = pytest.mark.django_db


def test_a_provider_is_taken_as_the_file_has_it(imported):
    bath = provider("B20")

    assert (bath.operating_name, bath.legal_name, bath.ukprn, bath.urn) == (
        "Bath Spa University",
        "Bath Spa University",
        "10000571",
        "133790",
    )
    assert (bath.provider_type, bath.accreditation_status) == ("hei", "accredited")
    assert bath.import_notes == []
    assert years(bath) == list(range(2019, 2027))
    # Dated by its first active academic year, as the real service dates imported providers.
    assert bath.onboarded_on == bath.first_active_on == datetime.date(2019, 8, 1)
    assert bath.register_id == register_id_candidate(
        operating_name="Bath Spa University", onboarded_on=datetime.date(2019, 8, 1), attempt=0
    )
    [accreditation] = bath.accreditations.all()
    assert (accreditation.number, accreditation.starts_on, accreditation.ends_on) == (
        "1502",
        datetime.date(2024, 8, 1),
        None,
    )


def test_an_accreditation_that_has_ended_leaves_the_provider_unaccredited_with_a_note(imported):
    colchester = provider("C76")

    assert (colchester.provider_type, colchester.accreditation_status) == ("school", "unaccredited")
    assert colchester.accreditations.get().ends_on == datetime.date(2025, 7, 31)
    assert {
        "field": "accreditation_status",
        "note": (
            "Accredited in providers.csv, but its accreditation is not current on 26 November 2026, "
            "so it is not accredited"
        ),
    } in colchester.import_notes


def test_an_accreditation_starting_this_academic_year_is_current(imported):
    ambition = provider("2A2")

    assert ambition.accreditations.get().starts_on == datetime.date(2025, 8, 1)
    assert ambition.accreditation_status == "accredited"


def test_importing_a_changed_file_changes_what_changed(imported, tmp_path):
    changed = tmp_path / "providers.csv"
    with open(PROVIDERS, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    for row in rows:
        if row[4] == "B20":
            row[0] = "Bath Spa University (renamed)"
    with open(changed, "w", newline="", encoding="utf-8") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)

    out, _ = run_import(changed)

    bath = provider("B20")
    assert bath.operating_name == "Bath Spa University (renamed)"
    assert bath.history.first().history_change_reason == "Imported from providers.csv"
    assert bath.history.count() == 2
    assert "providers changed: 1" in out


def test_a_value_the_file_lacks_never_blanks_one_the_register_has(imported):
    Provider.objects.filter(code="1WT").update(ukprn="10012345")

    run_import()

    buile_hill = provider("1WT")
    assert buile_hill.ukprn == "10012345"
    assert not [note for note in buile_hill.import_notes if note["field"] == "ukprn"]


def test_archived_and_deleted_providers_are_left_as_they_are(imported):
    Provider.objects.filter(code="B20").update(archived_at=timezone.now(), operating_name="Archived name")
    Provider.objects.filter(code="4A2").update(deleted_at=timezone.now())

    _, err = run_import()

    assert provider("B20").operating_name == "Archived name"
    assert Provider.objects.filter(code="4A2").count() == 1
    assert "providers.csv row 12: row not taken: B20 is archived, so it was not changed" in err
    assert "providers.csv row 5: row not taken: 4A2 was deleted from the register" in err


def test_a_provider_already_on_the_register_is_matched_on_its_code():
    existing = ProviderFactory(code="B20", operating_name="Bath Spa", provider_type="hei", urn="")

    run_import()

    existing.refresh_from_db()
    assert Provider.objects.filter(code="B20").count() == 1
    assert existing.operating_name == "Bath Spa University"
    assert existing.accreditation_status == "accredited"


def test_a_provider_whose_code_the_register_changed_is_still_matched(imported):
    Provider.objects.filter(code="A3U").update(code="A3V")

    _, err = run_import()

    assert not Provider.objects.filter(code="A3U").exists()
    assert Provider.objects.get(code="A3V").operating_name == "Anglia Ruskin University"
    assert Provider.objects.count() == 21
    assert err == imported[1]
