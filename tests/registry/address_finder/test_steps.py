"""Adding a provider's address with the finder (registry/address_finder/steps.py), page by page, with a
real HTTP client against a fake Ordnance Survey (tests/support/fake_places.py): find, select, check
and save; an incomplete address completed by hand; every way the finder fails leaves the address
form open, says why, and keeps the postcode; without a key the address form is all there is."""

import html
import re
from decimal import Decimal

import pytest

from registry.address_finder.forms import ChooseAddressForm, FindAddressForm
from registry.address_finder.steps import NOTICES
from registry.forms import AddressForm
from tests.factories import ProviderFactory
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.fake_places import Mode
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db

FIND = FindAddressForm.error_messages
ADDRESS = AddressForm.error_messages


@pytest.fixture
def provider():
    return ProviderFactory(operating_name="Ash Tree School")


def find_url(provider):
    return provider_url("address_add", provider.pk)


def value_of(response, name: str) -> str:
    """The value in a text box, as the page shows it."""
    found = re.search(rf'<input type="text" name="{name}"[^>]*?value="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1)) if found else ""


def offered(response) -> list[str]:
    """The addresses offered to choose from, as their radios' labels read."""
    labels = re.findall(
        r'<label for="id_found_address_\d+" class="app-radios__label">(.*?)</label>', response.content.decode()
    )
    return [html.unescape(label) for label in labels]


def start(client, provider):
    page = client.get(f"{find_url(provider)}?new")
    assert page_title(page) == "Find an address - Add address - Register of training providers"
    return page


def find(client, provider, postcode, building=""):
    start(client, provider)
    return client.post(find_url(provider), {"find_postcode": postcode, "find_building": building}, follow=True)


def test_found_chosen_checked_and_saved_with_its_uprn_and_location(administrator_client, provider, fake_places):
    page = start(administrator_client, provider)
    assert "Enter the address manually" in text(page)

    select = administrator_client.post(
        find_url(provider), {"find_postcode": "n13 6by", "find_building": ""}, follow=True
    )

    assert page_title(select) == "Select an address - Add address - Register of training providers"
    assert "3 addresses found for N13 6BY" in text(select)
    assert offered(select) == [
        "1 Tile Kiln Lane, London, N13 6BY",
        "3 Tile Kiln Lane, London, N13 6BY",
        "Ash Tree School, Flat 2, Rose House, 5 Tile Kiln Lane, London, N13 6BY",
    ]
    assert "Enter the address manually" in text(select)

    check = administrator_client.post(
        provider_url("address_add_select", provider.pk), {"found_address": "1"}, follow=True
    )

    assert check.redirect_chain == [(provider_url("address_add_check", provider.pk), 302)]
    page = text(check)
    assert "Address line 1 3 Tile Kiln Lane Change Address line 1" in page
    assert "Town or city London Change Town or city" in page
    assert "Postcode N13 6BY Change Postcode Location Latitude 51.6181007, longitude -0.1106133" in page
    # The search is how the address was found, not an answer.
    assert "Find an address" not in page
    assert "Select an address" not in page

    saved = administrator_client.post(provider_url("address_add_check", provider.pk), follow=True)

    assert "Address added" in text(saved)
    address = provider.addresses.get()
    assert (address.address_line_1, address.town_or_city, address.postcode) == ("3 Tile Kiln Lane", "London", "N13 6BY")
    assert address.uprn == "100091000003"
    assert (address.latitude, address.longitude) == (Decimal("51.6181007"), Decimal("-0.1106133"))
    # OS was asked once, for the search; checking and saving asked it nothing.
    assert len(fake_places.requests) == 1


def test_a_building_narrows_the_choice(administrator_client, provider, fake_places):
    select = find(administrator_client, provider, "N13 6BY", "rose house")

    assert "1 address found for ‘rose house’ at N13 6BY" in text(select)
    assert offered(select) == ["Ash Tree School, Flat 2, Rose House, 5 Tile Kiln Lane, London, N13 6BY"]


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({"find_postcode": ""}, {"find_postcode": FIND["find_postcode_required"]}),
        ({"find_postcode": "VV10 8NZ"}, {"find_postcode": FIND["find_postcode_invalid"]}),
        ({"find_postcode": "N13"}, {"find_postcode": FIND["find_postcode_invalid"]}),
        (
            {"find_postcode": "N13 6BY", "find_building": "x" * 256},
            {"find_building": FIND["find_building_too_long"]},
        ),
        (
            {"find_postcode": "N13 6BY", "find_building": "Rose\x1bHouse"},
            {"find_building": FIND["find_building_control_characters"]},
        ),
        ({"find_postcode": "N13\x006BY"}, {"find_postcode": FIND["find_postcode_control_characters"]}),
    ],
)
def test_the_search_is_checked_before_os_is_asked(administrator_client, provider, fake_places, answers, errors):
    start(administrator_client, provider)

    response = administrator_client.post(find_url(provider), answers)

    assert page_title(response) == "Error: Find an address - Add address - Register of training providers"
    assert error_summary(response) == list(errors.values())
    assert inline_errors(response) == errors
    assert fake_places.requests == []


def test_no_address_chosen_is_asked_for(administrator_client, provider, fake_places):
    find(administrator_client, provider, "N13 6BY")

    response = administrator_client.post(provider_url("address_add_select", provider.pk), {})

    assert error_summary(response) == [ChooseAddressForm.error_messages["found_address_required"]]
    assert len(offered(response)) == 3


def test_an_incomplete_address_is_completed_by_hand(administrator_client, provider, fake_places):
    fake_places.mode = Mode.INCOMPLETE
    find(administrator_client, provider, "N13 6BY")

    manual = administrator_client.post(
        provider_url("address_add_select", provider.pk), {"found_address": "2"}, follow=True
    )

    assert manual.redirect_chain == [(provider_url("address_add_manual", provider.pk), 302)]
    assert page_title(manual) == "Error: Address - Add address - Register of training providers"
    assert NOTICES["incomplete"] in text(manual)
    # What OS gave is filled in; what it did not is asked for.
    assert error_summary(manual) == [ADDRESS["address_line_1_required"], ADDRESS["town_or_city_required"]]
    assert value_of(manual, "address_line_1") == ""
    assert value_of(manual, "postcode") == "N13 6BY"

    administrator_client.post(
        provider_url("address_add_manual", provider.pk),
        {"address_line_1": "5 Tile Kiln Lane", "town_or_city": "London", "postcode": "N13 6BY"},
    )
    check = administrator_client.get(provider_url("address_add_check", provider.pk))
    assert "Location Latitude 51.6182254, longitude -0.1107410" in text(check)
    administrator_client.post(provider_url("address_add_check", provider.pk))

    address = provider.addresses.get()
    assert (address.address_line_1, address.town_or_city) == ("5 Tile Kiln Lane", "London")
    assert address.uprn == "100091000005"


def test_another_postcode_typed_over_the_one_found_is_not_that_property(administrator_client, provider, fake_places):
    find(administrator_client, provider, "N13 6BY")
    administrator_client.post(provider_url("address_add_select", provider.pk), {"found_address": "0"})

    manual = administrator_client.get(provider_url("address_add_manual", provider.pk))
    assert value_of(manual, "address_line_1") == "1 Tile Kiln Lane"
    administrator_client.post(
        provider_url("address_add_manual", provider.pk),
        {"address_line_1": "1 Tile Kiln Lane", "town_or_city": "London", "postcode": "N14 5AA"},
    )
    check = administrator_client.get(provider_url("address_add_check", provider.pk))
    assert "Location" not in text(check)
    administrator_client.post(provider_url("address_add_check", provider.pk))

    address = provider.addresses.get()
    assert (address.postcode, address.uprn, address.latitude) == ("N14 5AA", "", None)


FAULTS = {
    "none found": (
        Mode.EMPTY,
        "No address was found for ‘Rose House’ at N13 6BY. Enter the address below, or search again",
    ),
    "5xx": (Mode.ERROR, NOTICES["unavailable"]),
    "slow": (Mode.SLOW, NOTICES["unavailable"]),
    "malformed": (Mode.MALFORMED, NOTICES["unavailable"]),
    "down": (None, NOTICES["unavailable"]),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_when_the_finder_fails_the_address_form_is_offered_with_what_was_typed(
    administrator_client, provider, fake_places, fault
):
    mode, notice = FAULTS[fault]
    if mode is None:
        fake_places.stop()
    else:
        fake_places.mode = mode

    manual = find(administrator_client, provider, "n13 6by", "Rose House")

    assert manual.redirect_chain == [
        (provider_url("address_add_manual", provider.pk), 302),
    ]
    assert page_title(manual) == "Address - Add address - Register of training providers"
    assert notice in text(manual)
    assert value_of(manual, "postcode") == "N13 6BY"
    assert value_of(manual, "address_line_1") == "Rose House"
    # Back goes to the search, as it was typed, to try again.
    assert f'<a class="app-back-link" href="{find_url(provider)}">Back</a>' in manual.content.decode()
    again = administrator_client.get(find_url(provider))
    assert value_of(again, "find_postcode") == "N13 6BY"
    assert value_of(again, "find_building") == "Rose House"

    # The address typed in is saved, without a UPRN or a location.
    if mode is None:
        fake_places.start()
    administrator_client.post(
        provider_url("address_add_manual", provider.pk),
        {"address_line_1": "Rose House", "town_or_city": "London", "postcode": "N13 6BY"},
    )
    saved = administrator_client.post(provider_url("address_add_check", provider.pk), follow=True)
    assert "Address added" in text(saved)
    address = provider.addresses.get()
    assert (address.address_line_1, address.uprn, address.latitude) == ("Rose House", "", None)


def test_searching_again_after_a_failure_finds_the_address(administrator_client, provider, fake_places):
    fake_places.respond_next(Mode.ERROR, Mode.ERROR)
    find(administrator_client, provider, "N13 6BY")

    select = administrator_client.post(
        find_url(provider), {"find_postcode": "N13 6BY", "find_building": "3"}, follow=True
    )

    assert offered(select) == ["3 Tile Kiln Lane, London, N13 6BY"]


def test_enter_the_address_manually_from_the_search_and_from_the_results(administrator_client, provider, fake_places):
    start(administrator_client, provider)

    manual = administrator_client.get(f"{provider_url('address_add_manual', provider.pk)}?manually", follow=True)

    assert page_title(manual) == "Address - Add address - Register of training providers"
    assert "Important" not in text(manual)
    assert error_summary(manual) == []

    # After a search, the postcode searched for is kept.
    find(administrator_client, provider, "N13 6BY")
    manual = administrator_client.get(f"{provider_url('address_add_manual', provider.pk)}?manually", follow=True)
    assert value_of(manual, "postcode") == "N13 6BY"
    administrator_client.post(
        provider_url("address_add_manual", provider.pk),
        {"address_line_1": "7 Tile Kiln Lane", "town_or_city": "London", "postcode": "N13 6BY"},
    )
    administrator_client.post(provider_url("address_add_check", provider.pk))

    assert provider.addresses.get().address_line_1 == "7 Tile Kiln Lane"


def test_without_a_key_the_address_is_typed_in(administrator_client, provider, settings):
    settings.ORDNANCE_SURVEY_API_KEY = ""

    manual = administrator_client.get(f"{find_url(provider)}?new", follow=True)

    assert manual.redirect_chain == [(provider_url("address_add_manual", provider.pk), 302)]
    assert NOTICES["not_configured"] in text(manual)
    assert "Enter the address manually" not in text(manual)
    assert f'<a class="app-back-link" href="{provider_url("change", provider.pk)}#addresses">Back</a>' in (
        manual.content.decode()
    )


def test_an_address_found_that_the_register_would_not_take_is_corrected_by_hand(
    administrator_client, provider, fake_places
):
    fake_places.add(
        ORGANISATION_NAME="A" * 300,
        BUILDING_NUMBER="9",
        THOROUGHFARE_NAME="TILE KILN LANE",
        POST_TOWN="LONDON",
        POSTCODE="N13 6BY",
    )
    find(administrator_client, provider, "N13 6BY", "9")

    manual = administrator_client.post(
        provider_url("address_add_select", provider.pk), {"found_address": "0"}, follow=True
    )

    assert manual.redirect_chain == [(provider_url("address_add_manual", provider.pk), 302)]
    assert NOTICES["to_correct"] in text(manual)
    assert error_summary(manual) == [ADDRESS["address_line_1_too_long"]]
    assert value_of(manual, "address_line_2") == "9 Tile Kiln Lane"
