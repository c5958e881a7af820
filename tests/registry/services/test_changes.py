"""The register's record of changes: every write names the providers it changed, in one order."""

import datetime

import pytest
from django.db import transaction

from accounts.permissions import SYSTEM
from registry.importing.bulk_writes import write_records
from registry.models import Address, ProviderChange
from registry.services.addresses import ADDRESS_ADDED, address_create, address_delete
from registry.services.changes import last_position
from registry.services.partnerships import PARTNERSHIP_ADDED, partnership_create
from registry.services.providers import PROVIDER_ARCHIVED, provider_archive
from tests.factories import AccreditedProviderFactory, AddressFactory, ProviderFactory, SchoolProviderFactory

pytestmark = pytest.mark.django_db

Topic = ProviderChange.Topic


def _changes_after(position: int) -> list[tuple]:
    return list(
        ProviderChange.objects.filter(position__gt=position).values_list("provider_id", "topic", "reason", "actor_id")
    )


def _add_address(actor, provider) -> Address:
    return address_create(
        actor=actor, provider=provider, address_line_1="1 High Street", town_or_city="Leeds", postcode="LS1 1AA"
    )


def test_adding_an_address_records_its_provider_as_changed_by_whoever_added_it(actor):
    provider = ProviderFactory()
    before = last_position()

    _add_address(actor, provider)

    assert _changes_after(before) == [(provider.pk, Topic.ADDRESSES, ADDRESS_ADDED, actor.pk)]
    assert last_position() == before + 1


def test_a_partnership_changes_both_of_its_providers(actor):
    accredited, partner = AccreditedProviderFactory(), SchoolProviderFactory()
    before = last_position()

    partnership_create(
        actor=actor,
        accredited_provider=accredited,
        training_partner=partner,
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024],
    )

    changed = {(provider_id, topic, reason) for provider_id, topic, reason, _ in _changes_after(before)}
    assert changed == {
        (accredited.pk, Topic.PARTNERSHIPS, PARTNERSHIP_ADDED),
        (partner.pk, Topic.PARTNERSHIPS, PARTNERSHIP_ADDED),
    }


def test_archiving_is_a_change_of_the_providers_details(actor):
    provider = ProviderFactory()
    before = last_position()

    provider_archive(actor=actor, provider=provider)

    assert _changes_after(before) == [(provider.pk, Topic.DETAILS, PROVIDER_ARCHIVED, actor.pk)]


def test_positions_follow_the_order_of_the_writes_with_no_gaps(actor):
    provider = ProviderFactory()
    before = last_position()

    address = _add_address(actor, provider)
    address_delete(actor=actor, address=address)
    _add_address(actor, provider)

    positions = list(ProviderChange.objects.filter(position__gt=before).values_list("position", flat=True))
    assert positions == [before + 1, before + 2, before + 3]


def test_a_write_that_is_rolled_back_leaves_no_change_and_no_position_used(actor):
    provider = ProviderFactory()
    before = last_position()

    def write_then_fail():
        with transaction.atomic():
            _add_address(actor, provider)
            raise RuntimeError("the request failed after the write")

    with pytest.raises(RuntimeError):
        write_then_fail()

    assert _changes_after(before) == []
    assert last_position() == before
    _add_address(actor, provider)
    assert list(ProviderChange.objects.filter(position__gt=before).values_list("position", flat=True)) == [before + 1]


def test_the_import_records_each_provider_its_records_change_as_the_system():
    provider, other = ProviderFactory(), ProviderFactory()
    changed = AddressFactory(provider=other)
    changed.town_or_city = "York"
    before = last_position()

    with transaction.atomic():
        write_records(
            Address,
            new=[Address(provider=provider, address_line_1="1 Main Road", town_or_city="Hull", postcode="HU1 1AA")],
            changed=[changed],
            fields=["town_or_city"],
            reason="Imported",
        )

    assert sorted(_changes_after(before)) == sorted(
        [(provider.pk, Topic.ADDRESSES, "Imported", None), (other.pk, Topic.ADDRESSES, "Imported", None)]
    )


def test_a_change_made_by_the_service_itself_names_no_one():
    provider = ProviderFactory()
    before = last_position()

    provider_archive(actor=SYSTEM, provider=provider)

    assert [actor_id for *_, actor_id in _changes_after(before)] == [None]
