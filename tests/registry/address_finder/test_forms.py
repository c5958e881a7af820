"""The address form after the finder: it keeps the UPRN and coordinates of the address found while
it is still that address."""

import pytest

from registry.address_finder.forms import FinderAddressForm
from registry.address_finder.found import FoundAddress

FOUND = FoundAddress(
    address_line_1="1 Tile Kiln Lane",
    town_or_city="London",
    postcode="N13 6BY",
    uprn="100091000001",
    latitude="51.6180312",
    longitude="-0.1104821",
)
ANSWERS = {"address_line_1": "1 Tile Kiln Lane", "town_or_city": "London", "postcode": "n13 6by"}


def answers(data, found=FOUND):
    form = FinderAddressForm(data, found=found.to_draft() if found else None)
    assert form.is_valid(), form.errors
    return form.answers()


@pytest.mark.parametrize(
    "changes",
    [{}, {"county": "Enfield"}, {"address_line_2": "Palmers Green"}, {"town_or_city": "Enfield"}],
)
def test_the_address_found_keeps_its_uprn_and_location(changes):
    kept = answers({**ANSWERS, **changes})

    assert (kept["uprn"], kept["latitude"], kept["longitude"]) == ("100091000001", "51.6180312", "-0.1104821")
    assert kept["postcode"] == "N13 6BY"


@pytest.mark.parametrize("changes", [{"postcode": "N14 5AA"}, {"address_line_1": "3 Tile Kiln Lane"}])
def test_another_property_does_not(changes):
    dropped = answers({**ANSWERS, **changes})

    assert (dropped["uprn"], dropped["latitude"], dropped["longitude"]) == ("", None, None)


def test_a_first_line_the_finder_lacked_may_be_filled_in():
    found = FoundAddress(**{**FOUND.to_draft(), "address_line_1": ""})

    assert answers({**ANSWERS, "address_line_1": "Rose House"}, found)["uprn"] == "100091000001"


def test_an_address_typed_in_has_none():
    typed = answers(ANSWERS, found=None)

    assert (typed["uprn"], typed["latitude"], typed["longitude"]) == ("", None, None)
