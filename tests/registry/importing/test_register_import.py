"""`manage.py register_import` on a sample of the DfE's files: real rows, and crafted rows that break rules."""

import csv
import datetime
import decimal
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from registry.models import AcademicYear, Accreditation, Address, Contact, Partnership, Provider
from registry.services.register_ids import register_id_candidate
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
PROVIDERS = DATA / "providers.csv"
PARTNERSHIPS = DATA / "provider-partnerships.csv"
TODAY = "2026-11-26"
MODELS = (Provider, Accreditation, Address, Contact, Partnership)


def run_import(providers=PROVIDERS, partnerships=PARTNERSHIPS, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("register_import", str(providers), str(partnerships), "--today", TODAY, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def imported():
    return run_import()


def provider(code) -> Provider:
    return Provider.objects.get(code=code)


def years(record) -> list[int]:
    return sorted(record.academic_years.values_list("start_year", flat=True))


def history_counts() -> dict:
    return {model.__name__: model.history.count() for model in MODELS}


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (*MODELS, AcademicYear, Provider.academic_years.through, Partnership.academic_years.through)
    }


def test_every_row_that_can_be_taken_is(imported):
    assert Provider.objects.count() == 21
    assert Partnership.objects.count() == 6
    assert Accreditation.objects.count() == 7
    assert Address.objects.count() == 18
    assert list(AcademicYear.objects.order_by("start_year").values_list("start_year", flat=True)) == list(
        range(2019, 2027)
    )


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


def test_an_unaccredited_scitt_is_taken_as_a_school(imported):
    ad_astra = provider("3A8")

    assert (ad_astra.provider_type, ad_astra.accreditation_status) == ("school", "unaccredited")


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


def test_a_missing_ukprn_stays_empty_with_a_note_and_is_never_invented(imported):
    buile_hill = provider("1WT")

    assert buile_hill.ukprn == ""
    assert {"field": "ukprn", "note": "No UKPRN in providers.csv"} in buile_hill.import_notes
    assert not Provider.objects.filter(ukprn="00000000").exists()


def test_a_ukprn_or_urn_breaking_the_rules_is_left_out_with_a_note(imported):
    crafted, aspirations = provider("X01"), provider("2O1")

    assert crafted.ukprn == ""
    assert crafted.import_notes == [
        {"field": "ukprn", "note": 'providers.csv gave "1234567" as the UKPRN, which is not 8 digits'}
    ]
    assert aspirations.urn == ""
    assert aspirations.import_notes == [
        {"field": "urn", "note": 'providers.csv gave "0" as the URN, which is not 5 or 6 digits'}
    ]


def test_a_school_or_scitt_with_no_urn_gets_a_note(imported):
    assert {"field": "urn", "note": "No URN in providers.csv"} in provider("T92").import_notes
    assert provider("A3U").import_notes == []


def test_the_address_has_ordnance_surveys_coordinates_when_the_file_has_them(imported):
    oakthorpe = provider("T92").addresses.get()
    teamworks = provider("2AT").addresses.get()

    assert (oakthorpe.address_line_1, oakthorpe.town_or_city, oakthorpe.postcode, oakthorpe.uprn) == (
        "Tile Kiln Lane",
        "London",
        "N13 6BY",
        "207004309",
    )
    assert (oakthorpe.latitude, oakthorpe.longitude) == (decimal.Decimal("51.6139334"), decimal.Decimal("-0.0924810"))
    # No Ordnance Survey pair for this one: the file's first pair is all there is.
    assert (teamworks.latitude, teamworks.longitude) == (decimal.Decimal("53.6880644"), decimal.Decimal("-1.8532860"))
    assert (teamworks.address_line_2, teamworks.address_line_3, teamworks.county) == (
        "Stainland Road",
        "Greetland",
        "West Yorkshire",
    )


def test_an_incomplete_address_is_left_out_with_a_note_keeping_what_the_file_had(imported):
    jewish_schools, crafted, ambition = provider("1CP"), provider("X04"), provider("2A2")

    assert not jewish_schools.addresses.exists()
    assert jewish_schools.import_notes[-1] == {
        "field": "address",
        "note": (
            "The address in providers.csv was not added, because it has no town or city: "
            "Wolfson Hillel Primary School, 154 Chase Road, London, N14 4LG"
        ),
    }
    assert not crafted.addresses.exists()
    assert "is not a full UK postcode" in crafted.import_notes[-1]["note"]
    assert {"field": "address", "note": "No address in providers.csv"} in ambition.import_notes


def test_an_accredited_provider_whose_accreditation_cannot_be_taken_is_not_accredited(imported):
    crafted = provider("X05")

    assert not crafted.accreditations.exists()
    assert (crafted.provider_type, crafted.accreditation_status) == ("school", "unaccredited")
    assert crafted.import_notes[-1]["field"] == "accreditation"


def test_partnerships_link_their_providers_and_academic_years(imported):
    partnership = Partnership.objects.get(accredited_provider__code="T92", training_partner__code="151")
    ended = Partnership.objects.get(accredited_provider__code="C76")

    assert (partnership.starts_on, partnership.ends_on) == (datetime.date(2019, 8, 1), None)
    assert years(partnership) == list(range(2019, 2027))
    assert ended.ends_on == datetime.date(2025, 7, 31)
    assert years(ended) == [2019, 2020, 2023, 2024]


def test_academic_years_outside_a_partnerships_dates_are_left_out(imported):
    partnership = Partnership.objects.get(accredited_provider__code="2A2", training_partner__code="1Q6")

    assert years(partnership) == [2025, 2026]


def test_every_row_not_taken_is_reported_with_its_number_and_why(imported):
    _, err = imported
    lines = err.splitlines()

    assert lines[: lines.index(next(line for line in lines if "rows read" in line))] == [
        'providers.csv row 11: URN not taken: "0" is not 5 or 6 digits',
        "providers.csv row 19: address not taken: it has no town or city",
        'providers.csv row 20: UKPRN not taken: "1234567" is not 8 digits',
        "providers.csv row 21: row not taken: there is no operating name",
        "providers.csv row 22: row not taken: Crafted School With No Code has no provider code",
        "providers.csv row 23: row not taken: provider code T92 is already on row 2",
        'providers.csv row 24: row not taken: "college" is not a provider type (hei, scitt, school or other)',
        'providers.csv row 25: address not taken: "SY3 9E" is not a full UK postcode',
        'providers.csv row 26: accreditation not taken: "9697" is not an accredited provider number for this type '
        "of provider",
        "provider-partnerships.csv row 7: row not taken: no provider on the register has code C55",
        "provider-partnerships.csv row 8: row not taken: no provider on the register has code ZZZ",
        "provider-partnerships.csv row 9: row not taken: T92 cannot be in partnership with itself",
        "provider-partnerships.csv row 10: row not taken: there is no partnership start date",
        "provider-partnerships.csv row 11: academic years not taken: 2023 to 2024 not within 1 August 2024 to no end "
        "date",
        "provider-partnerships.csv row 12: row not taken: it ends (2023-07-31) before it starts (2024-08-01)",
        "provider-partnerships.csv row 13: row not taken: the same partnership is on row 2",
    ]


def test_the_report_ends_with_counts_by_file_and_reason(imported):
    out, err = imported

    assert "providers.csv: 25 rows read, 21 taken (5 of them in part), 4 not taken" in err
    assert "  row not taken, provider code repeated: 1" in err
    assert "  address not taken, postcode not valid: 1" in err
    assert "provider-partnerships.csv: 12 rows read, 6 taken (1 of them in part), 6 not taken" in err
    assert "  row not taken, provider code not on the register: 2" in err
    assert "providers added: 21" in out
    assert "partnerships added: 6" in out
    assert "providers with no UKPRN in the file (left empty, with an import note): 1" in out


def test_history_is_attributed_to_no_one_with_the_file_name_as_reason(imported):
    bath = provider("B20")
    [row] = bath.history.all()
    [partnership_row] = Partnership.objects.get(accredited_provider=bath).history.all()

    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        None,
        "Imported from providers.csv",
    )
    assert sorted(link.academicyear_id for link in row.academic_years.all()) == list(range(2019, 2027))
    assert partnership_row.history_change_reason == "Imported from provider-partnerships.csv"
    assert sorted(link.academicyear_id for link in partnership_row.academic_years.all()) == [2024, 2025, 2026]
    assert set(Accreditation.history.values_list("history_change_reason", "history_user")) == {
        ("Imported from providers.csv", None)
    }
    assert Address.history.count() == Address.objects.count()


def test_importing_again_changes_nothing_and_writes_no_history(imported):
    before, history_before = snapshot(), history_counts()

    out, err = run_import()

    assert snapshot() == before
    assert history_counts() == history_before
    assert "providers unchanged: 21" in out
    assert "partnerships unchanged: 6" in out
    assert "providers added: 0" in out
    assert err == imported[1]


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


def test_the_fixtures_it_writes_are_deterministic_and_load_without_duplicating(imported, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    out, _ = run_import(PROVIDERS, PARTNERSHIPS, "--write-fixtures", str(first))
    run_import(PROVIDERS, PARTNERSHIPS, "--write-fixtures", str(second))

    names = sorted(path.name for path in first.iterdir())
    assert names == [
        "0002_academic_years.json",
        "0003_providers.json",
        "0004_accreditations.json",
        "0005_addresses.json",
        "0006_partnerships.json",
    ]
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in names)
    assert f"Wrote 21 records to {first / '0003_providers.json'}" in out
    fixtures = sorted(str(path) for path in first.iterdir())
    counts = {model: model.objects.count() for model in (*MODELS, AcademicYear)}

    call_command("loaddata", *fixtures, verbosity=0)
    loaded, history_loaded = snapshot(), history_counts()
    call_command("loaddata", *fixtures, verbosity=0)

    assert snapshot() == loaded
    assert history_counts() == history_loaded
    assert {model: model.objects.count() for model in (*MODELS, AcademicYear)} == counts


def test_a_provider_fixture_record_holds_its_sorted_academic_years(imported, tmp_path):
    run_import(PROVIDERS, PARTNERSHIPS, "--write-fixtures", str(tmp_path))

    lines = (tmp_path / "0003_providers.json").read_text("utf-8").splitlines()
    bath = json.loads(next(line for line in lines if '"code": "B20"' in line).rstrip(","))

    assert bath["fields"]["academic_years"] == list(range(2019, 2027))
    assert bath["fields"]["register_id"] == provider("B20").register_id
    assert (lines[0], lines[-1]) == ("[", "]")


def test_a_file_that_is_not_there_or_lacks_a_column_is_an_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv cannot be read"):
        run_import(tmp_path / "missing.csv")

    lacking = tmp_path / "providers.csv"
    lacking.write_text("provider__operating_name,provider__code\nBath Spa University,B20\n", encoding="utf-8")
    with pytest.raises(CommandError, match="has no provider__legal_name"):
        run_import(lacking)
    assert not Provider.objects.exists()


def test_a_provider_whose_code_the_register_changed_is_still_matched(imported):
    Provider.objects.filter(code="A3U").update(code="A3V")

    _, err = run_import()

    assert not Provider.objects.filter(code="A3U").exists()
    assert Provider.objects.get(code="A3V").operating_name == "Anglia Ruskin University"
    assert Provider.objects.count() == 21
    assert err == imported[1]


def test_a_partnership_whose_start_date_the_register_changed_is_still_matched(imported):
    partnership = Partnership.objects.get(accredited_provider__code="T92", training_partner__code="151")
    Partnership.objects.filter(pk=partnership.pk).update(starts_on=datetime.date(2019, 9, 1))

    run_import()

    assert Partnership.objects.filter(accredited_provider__code="T92", training_partner__code="151").count() == 1


def test_a_partnership_with_an_archived_provider_is_reported_only_when_it_would_change(imported):
    Provider.objects.filter(code="151").update(archived_at=timezone.now())

    _, unchanged = run_import()
    Partnership.objects.filter(training_partner__code="151").update(ends_on=datetime.date(2030, 7, 31))
    _, changed = run_import()

    assert "151 is archived" not in unchanged
    assert "provider-partnerships.csv row 2: row not taken: 151 is archived, so it was not changed" in changed
    assert Partnership.objects.get(training_partner__code="151").ends_on == datetime.date(2030, 7, 31)
