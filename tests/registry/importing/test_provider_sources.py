"""What a provider row can give: values that break a rule, or are missing, are left out with an import note."""

import decimal

import pytest

from registry.models import Provider
from tests.registry.importing.conftest import provider

pytestmark = pytest.mark.django_db


def test_an_unaccredited_scitt_is_taken_as_a_school(imported):
    ad_astra = provider("3A8")

    assert (ad_astra.provider_type, ad_astra.accreditation_status) == ("school", "unaccredited")


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
