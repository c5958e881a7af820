import pytest

from registry.forms import AddressForm
from registry.models import Address
from registry.services.addresses import ADDRESS_FOUND_DETAILS_DROPPED
from tests.factories import AddressFactory, ProviderFactory
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.html import page_title, text

MESSAGES = AddressForm.error_messages

pytestmark = pytest.mark.django_db

ANSWERS = {
    "address_line_1": "1 Tile Kiln Lane",
    "address_line_2": "",
    "address_line_3": "",
    "town_or_city": "London",
    "county": "",
    "postcode": "n136by",
}


@pytest.fixture
def provider():
    return ProviderFactory(operating_name="Ash Tree School")


def test_add_check_and_save(administrator_client, provider):
    # Without an Ordnance Survey key (as here) the address is typed in: the finder is tested in
    # tests/registry/address_finder/.
    form = administrator_client.get(f"{provider_url('address_add', provider.pk)}?new", follow=True)
    assert page_title(form) == "Address - Add address - Register of training providers"

    response = administrator_client.post(provider_url("address_add_manual", provider.pk), ANSWERS)
    check = administrator_client.get(response["Location"])
    assert "Postcode N13 6BY Change" in text(check)
    assert "Address line 2 Not entered" in text(check)
    response = administrator_client.post(provider_url("address_add_check", provider.pk), follow=True)

    # Back on the provider's page, at its addresses.
    assert response.redirect_chain == [(f"{provider_url('change', provider.pk)}#addresses", 302)]
    assert "Address added" in text(response)
    assert "Addresses (1) Add address London, N13 6BY" in text(response)
    assert '<section id="addresses"' in response.content.decode()
    assert provider.addresses.get().postcode == "N13 6BY"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            {
                "address_line_1": MESSAGES["address_line_1_required"],
                "town_or_city": MESSAGES["town_or_city_required"],
                "postcode": MESSAGES["postcode_required"],
            },
        ),
        ({**ANSWERS, "postcode": "VV10 8NZ"}, {"postcode": MESSAGES["postcode_invalid"]}),
    ],
)
def test_each_problem_is_shown_in_the_summary_and_beside_its_question(administrator_client, provider, data, errors):
    administrator_client.get(f"{provider_url('address_add', provider.pk)}?new")

    response = administrator_client.post(provider_url("address_add_manual", provider.pk), data)

    assert error_summary(response) == list(errors.values())
    assert inline_errors(response) == errors


def test_change_and_delete(administrator_client, provider):
    address = AddressFactory(provider=provider, town_or_city="London", postcode="N13 6BY")
    administrator_client.get(f"{provider_url('address_edit', provider.pk, address.pk)}?new")
    administrator_client.post(provider_url("address_edit", provider.pk, address.pk), {**ANSWERS, "county": "Enfield"})

    updated = administrator_client.post(provider_url("address_edit_check", provider.pk, address.pk), follow=True)

    assert "Address updated" in text(updated)
    address.refresh_from_db()
    assert address.county == "Enfield"

    confirmation = administrator_client.get(provider_url("address_delete", provider.pk, address.pk))
    assert "Confirm you want to delete London, N13 6BY" in text(confirmation)
    assert "Deleting an address is permanent – you cannot undo it." in text(confirmation)
    deleted = administrator_client.post(provider_url("address_delete", provider.pk, address.pk), follow=True)

    assert "Address deleted" in text(deleted)
    assert "There are no addresses for Ash Tree School." in text(deleted)
    assert not Address.objects.kept().exists()


def test_changing_where_an_address_found_by_postcode_is_says_its_location_goes(administrator_client, provider):
    address = AddressFactory(
        provider=provider,
        address_line_1="1 Tile Kiln Lane",
        town_or_city="London",
        postcode="N13 6BY",
        uprn="100091000001",
        latitude="51.6180312",
        longitude="-0.1104821",
    )
    edit = provider_url("address_edit", provider.pk, address.pk)
    administrator_client.get(f"{edit}?new")

    administrator_client.post(edit, {**ANSWERS, "postcode": "N14 5AA"})
    check = administrator_client.get(provider_url("address_edit_check", provider.pk, address.pk))

    assert ADDRESS_FOUND_DETAILS_DROPPED in text(check)
    administrator_client.post(provider_url("address_edit_check", provider.pk, address.pk))
    address.refresh_from_db()
    assert (address.postcode, address.uprn, address.latitude) == ("N14 5AA", "", None)
    assert "Location" not in text(administrator_client.get(provider_url("change", provider.pk)))
