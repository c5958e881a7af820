import decimal

import pytest
from django.core.exceptions import ValidationError

from registry.services.addresses import (
    ADDRESS_ADDED,
    ADDRESS_DELETED,
    ADDRESS_UPDATED,
    address_create,
    address_delete,
    address_update,
)
from registry.services.providers import ProviderArchivedError
from tests.factories import AddressFactory, ArchivedProviderFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_adds_an_address_with_its_postcode_normalised(actor):
    address = address_create(
        actor=actor,
        provider=ProviderFactory(),
        address_line_1=" Tile Kiln  Lane ",
        town_or_city="London",
        postcode="n136by",
        uprn="207004309",
        latitude="51.61393341",
        longitude=-0.092481,
    )

    address.refresh_from_db()
    assert (address.address_line_1, address.postcode) == ("Tile Kiln Lane", "N13 6BY")
    assert address.latitude == decimal.Decimal("51.6139334")
    assert address.longitude == decimal.Decimal("-0.0924810")
    [row] = address.history.all()
    assert (row.history_user, row.history_change_reason) == (actor, ADDRESS_ADDED)


def test_refuses_missing_answers_and_a_postcode_that_is_not_one(actor):
    with pytest.raises(ValidationError) as raised:
        address_create(actor=actor, provider=ProviderFactory(), address_line_1="", town_or_city="", postcode="")
    assert raised.value.message_dict == {
        "address_line_1": ["Enter address line 1, typically the building and street"],
        "town_or_city": ["Enter town or city"],
        "postcode": ["Enter postcode"],
    }

    with pytest.raises(ValidationError) as raised:
        address_create(
            actor=actor,
            provider=ProviderFactory(),
            address_line_1="Tile Kiln Lane",
            town_or_city="London",
            postcode="N13",
        )
    assert raised.value.message_dict == {"postcode": ["Enter a full UK postcode"]}


def test_updates_and_deletes(actor):
    address = AddressFactory(town_or_city="London")

    address_update(actor=actor, address=address, changes={"town_or_city": "Enfield"})
    address_delete(actor=actor, address=address)

    address.refresh_from_db()
    assert address.town_or_city == "Enfield"
    assert address.is_deleted
    assert [row.history_change_reason for row in address.history.all()[:2]] == [ADDRESS_DELETED, ADDRESS_UPDATED]


def test_changing_nothing_writes_nothing(actor):
    address = AddressFactory(postcode="N13 6BY")

    address_update(actor=actor, address=address, changes={"postcode": "n13 6by"})

    assert address.history.count() == 1


def test_an_archived_providers_addresses_cannot_change(actor):
    address = AddressFactory(provider=ArchivedProviderFactory())

    with pytest.raises(ProviderArchivedError):
        address_create(
            actor=actor, provider=address.provider, address_line_1="A", town_or_city="London", postcode="N13 6BY"
        )
    with pytest.raises(ProviderArchivedError):
        address_update(actor=actor, address=address, changes={"town_or_city": "Enfield"})
    with pytest.raises(ProviderArchivedError):
        address_delete(actor=actor, address=address)


def test_another_postcode_or_first_line_drops_the_uprn_and_location_found_for_the_old_one(actor):
    def found():
        return AddressFactory(
            address_line_1="1 Tile Kiln Lane", postcode="N13 6BY", uprn="100091000001", latitude="51.6180312"
        )

    kept = address_update(actor=actor, address=found(), changes={"county": "Enfield", "town_or_city": "Enfield"})
    assert (kept.uprn, kept.latitude) == ("100091000001", decimal.Decimal("51.6180312"))

    for changes in ({"postcode": "N14 5AA"}, {"address_line_1": "3 Tile Kiln Lane"}):
        moved = address_update(actor=actor, address=found(), changes=changes)
        moved.refresh_from_db()
        assert (moved.uprn, moved.latitude, moved.longitude) == ("", None, None)
