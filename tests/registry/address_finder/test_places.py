"""The Places API client, against a fake OS on 127.0.0.1 (tests/support/fake_places.py): what it
finds, and that every way OS can fail ends in AddressFinderUnavailable, soon, after one more try
when another try may work."""

import time
from decimal import Decimal

import pytest

from registry.address_finder.found import FoundAddress
from registry.address_finder.places import AddressFinderNotConfigured, AddressFinderUnavailable, addresses_at
from tests.support.fake_places import Mode


def test_the_addresses_at_a_postcode_as_the_register_keeps_them(fake_places):
    found = addresses_at("N13 6BY")

    assert [address.label() for address in found] == [
        "1 Tile Kiln Lane, London, N13 6BY",
        "3 Tile Kiln Lane, London, N13 6BY",
        "Ash Tree School, Flat 2, Rose House, 5 Tile Kiln Lane, London, N13 6BY",
    ]
    assert found[0] == FoundAddress(
        address_line_1="1 Tile Kiln Lane",
        town_or_city="London",
        postcode="N13 6BY",
        uprn="100091000001",
        latitude="51.6180312",
        longitude="-0.1104821",
    )
    assert Decimal(found[0].latitude) == Decimal("51.6180312")
    # The key went in a header, and the coordinates were asked for as latitude and longitude.
    (request,) = fake_places.requests
    assert request.key == fake_places.api_key
    assert "key" not in request.query
    assert request.query == {"postcode": "N13 6BY", "output_srs": "WGS84", "dataset": "DPA", "maxresults": "100"}


def test_a_building_narrows_the_addresses_to_those_it_names(fake_places):
    assert [each.address_line_1 for each in addresses_at("N13 6BY", "3")] == ["3 Tile Kiln Lane"]
    assert [each.address_line_2 for each in addresses_at("N13 6BY", "rose house")] == ["Flat 2, Rose House"]
    # "1" is the first house, not every number with a 1 in it.
    assert [each.address_line_1 for each in addresses_at("N13 6BY", "1")] == ["1 Tile Kiln Lane"]
    assert addresses_at("N13 6BY", "99") == []


def test_none_found_is_an_empty_list(fake_places):
    fake_places.mode = Mode.EMPTY

    assert addresses_at("N13 6BY") == []
    assert addresses_at("SW1A 2AA") == []


def test_an_incomplete_address_says_what_it_lacks(fake_places):
    fake_places.mode = Mode.INCOMPLETE

    found = addresses_at("N13 6BY")

    assert found[0].missing == ("town_or_city",)
    assert found[-1].missing == ("address_line_1", "town_or_city")
    assert found[-1].uprn == "100091000005"


def test_without_a_key_os_is_not_asked(fake_places, settings):
    settings.ORDNANCE_SURVEY_API_KEY = ""

    with pytest.raises(AddressFinderNotConfigured):
        addresses_at("N13 6BY")
    assert fake_places.requests == []


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_a_passing_failure_is_tried_once_more(fake_places, status):
    fake_places.respond_next(status)

    assert len(addresses_at("N13 6BY")) == 3
    assert len(fake_places.requests) == 2


@pytest.mark.parametrize("answer", [Mode.ERROR, 500])
def test_a_failure_twice_is_unavailable(fake_places, answer):
    fake_places.respond_next(answer, answer)

    with pytest.raises(AddressFinderUnavailable):
        addresses_at("N13 6BY")
    assert len(fake_places.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 404])
def test_a_refusal_is_not_tried_again(fake_places, status):
    fake_places.respond_next(status)

    with pytest.raises(AddressFinderUnavailable):
        addresses_at("N13 6BY")
    assert len(fake_places.requests) == 1


def test_a_wrong_key_is_unavailable(fake_places, settings):
    settings.ORDNANCE_SURVEY_API_KEY = "not-the-key"

    with pytest.raises(AddressFinderUnavailable, match="401"):
        addresses_at("N13 6BY")


def test_a_slow_answer_is_given_up_on_at_the_timeout_and_not_waited_for_again(fake_places):
    fake_places.mode = Mode.SLOW

    started = time.monotonic()
    with pytest.raises(AddressFinderUnavailable, match="in time"):
        addresses_at("N13 6BY")

    assert time.monotonic() - started < 1.5  # the 0.5s read timeout, once; OS would have taken 2s
    assert len(fake_places.requests) == 1


def test_an_answer_that_is_not_json_is_unavailable(fake_places):
    fake_places.mode = Mode.MALFORMED

    with pytest.raises(AddressFinderUnavailable, match="not JSON"):
        addresses_at("N13 6BY")
    assert len(fake_places.requests) == 1


@pytest.mark.parametrize(
    "body",
    [[], {"header": {}, "results": {"DPA": {}}}, {"header": {}, "results": [{"LPI": {}}]}, {"header": "none"}],
)
def test_json_not_in_the_shape_of_the_places_api_is_unavailable(fake_places, monkeypatch, body):
    monkeypatch.setattr(type(fake_places), "_body", lambda self, query, found: body)

    with pytest.raises(AddressFinderUnavailable, match="shape"):
        addresses_at("N13 6BY")


def test_os_out_of_reach_is_tried_twice_then_unavailable(fake_places):
    fake_places.stop()

    started = time.monotonic()
    with pytest.raises(AddressFinderUnavailable, match="reached"):
        addresses_at("N13 6BY")
    assert time.monotonic() - started < 1.5


def test_os_back_within_the_second_try_answers(fake_places, settings, monkeypatch):
    """Connection refused, then OS is there: the second try finds the addresses."""
    fake_places.stop()
    sleeps = []

    def back_up(seconds):
        sleeps.append(seconds)
        fake_places.start()

    monkeypatch.setattr("registry.address_finder.places.time.sleep", back_up)

    assert len(addresses_at("N13 6BY")) == 3
    assert sleeps == [settings.ORDNANCE_SURVEY_RETRY_SECONDS]
