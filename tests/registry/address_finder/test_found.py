"""An OS delivery point made into the register's address parts."""

import pytest

from registry.address_finder.found import FoundAddress, name_case


def test_lines_follow_the_envelope_organisation_building_street_locality():
    found = FoundAddress.from_dpa(
        {
            "BUILDING_NAME": "THE OLD SCHOOL HOUSE",
            "THOROUGHFARE_NAME": "CHURCH STREET",
            "DEPENDENT_LOCALITY": "HARTSHILL",
            "POST_TOWN": "STOKE-ON-TRENT",
            "POSTCODE": "st4 2de",
            "UPRN": 100092000010,
        }
    )

    assert found.answers() == {
        "address_line_1": "The Old School House",
        "address_line_2": "Church Street",
        "address_line_3": "Hartshill",
        "town_or_city": "Stoke-on-Trent",
        "county": "",
        "postcode": "ST4 2DE",
    }
    assert found.uprn == "100092000010"
    assert found.is_complete


def test_more_than_three_lines_share_the_first():
    found = FoundAddress.from_dpa(
        {
            "ORGANISATION_NAME": "BIRCH ACADEMY",
            "BUILDING_NAME": "EAST WING",
            "BUILDING_NUMBER": "12",
            "THOROUGHFARE_NAME": "HIGH STREET",
            "DEPENDENT_LOCALITY": "KINGS HEATH",
            "POST_TOWN": "BIRMINGHAM",
            "POSTCODE": "B14 7SJ",
        }
    )

    assert (found.address_line_1, found.address_line_2, found.address_line_3) == (
        "Birch Academy, East Wing",
        "12 High Street",
        "Kings Heath",
    )


def test_a_building_name_that_is_a_number_goes_with_the_street():
    found = FoundAddress.from_dpa({"BUILDING_NAME": "12-14", "THOROUGHFARE_NAME": "HIGH STREET", "POST_TOWN": "LEEDS"})

    assert found.address_line_1 == "12-14 High Street"
    assert found.missing == ("postcode",)


def test_what_is_missing_is_said_and_no_coordinates_are_made_up():
    found = FoundAddress.from_dpa({"POSTCODE": "N13 6BY", "LAT": "not a number", "LNG": None})

    assert found.missing == ("address_line_1", "town_or_city")
    assert (found.latitude, found.longitude) == ("", "")


def test_the_draft_keeps_it_as_it_was():
    found = FoundAddress.from_dpa({"BUILDING_NUMBER": "1", "THOROUGHFARE_NAME": "TILE KILN LANE", "LAT": 51.6180312})

    assert FoundAddress.from_draft(found.to_draft()) == found


@pytest.mark.parametrize(
    ("capitals", "written"),
    [
        ("NEWCASTLE UPON TYNE", "Newcastle upon Tyne"),
        ("ST. MARY'S CHURCH OF ENGLAND PRIMARY SCHOOL", "St. Mary's Church of England Primary School"),
        ("THE GRANGE", "The Grange"),
        ("UNIT 12A", "Unit 12A"),
        ("BURTON-ON-THE-WOLDS", "Burton-on-the-Wolds"),
    ],
)
def test_names_are_written_as_names(capitals, written):
    assert name_case(capitals) == written


@pytest.mark.parametrize(
    ("building", "matches"), [("5", True), ("rose house", True), ("Flat 2", True), ("2 Rose", True), ("55", False)]
)
def test_a_building_is_matched_by_its_words(building, matches):
    found = FoundAddress(address_line_1="Flat 2, Rose House", address_line_2="5 Tile Kiln Lane")

    assert found.matches_building(building) is matches
