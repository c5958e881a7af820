"""Adding, changing and deleting a provider's addresses."""

import decimal

from django.db import transaction
from django.utils import timezone

from accounts.permissions import permission_required
from registry import permissions
from registry.messages import ADDRESS_MESSAGES
from registry.models import Address, Provider
from registry.services.history import save_with_history
from registry.services.providers import provider_for_change
from registry.services.records import changed_values, check_changes, record_locked
from registry.validators import ADDRESS_TEXT_FIELDS, address_problems, normalise_postcode, validation_error

ADDRESS_ADDED = "Address added"
ADDRESS_UPDATED = "Address updated"
ADDRESS_DELETED = "Address deleted"
# Said before saving a change that drops them (address_change_drops_found_details).
ADDRESS_FOUND_DETAILS_DROPPED = (
    "The location and unique property reference number (UPRN) found for this address will be removed: "
    "they are for the address as it was before this change."
)

ADDRESS_CHANGEABLE_FIELDS = frozenset({*ADDRESS_TEXT_FIELDS, "postcode", "uprn", "latitude", "longitude"})
# Coordinates are kept to 7 decimal places, about a centimetre.
COORDINATE_PLACES = decimal.Decimal("0.0000001")


def _normalised(values: dict) -> dict:
    values = dict(values)
    for name in (*ADDRESS_TEXT_FIELDS, "uprn"):
        if name in values:
            values[name] = " ".join((values[name] or "").split())
    if "postcode" in values:
        values["postcode"] = normalise_postcode(values["postcode"])
    for name in ("latitude", "longitude"):
        if values.get(name) is not None:
            values[name] = decimal.Decimal(str(values[name])).quantize(COORDINATE_PLACES)
    return values


@transaction.atomic
def address_create(
    *,
    actor,
    provider: Provider,
    address_line_1: str,
    town_or_city: str,
    postcode: str,
    address_line_2: str = "",
    address_line_3: str = "",
    county: str = "",
    uprn: str = "",
    latitude=None,
    longitude=None,
) -> Address:
    """Add an address to a provider. `uprn` and the coordinates come from the postcode finder, if used."""
    provider = provider_for_change(provider)
    permission_required(actor, permissions.user_can_add_address(actor, provider))
    values = _normalised(
        {
            "address_line_1": address_line_1,
            "address_line_2": address_line_2,
            "address_line_3": address_line_3,
            "town_or_city": town_or_city,
            "county": county,
            "postcode": postcode,
            "uprn": uprn,
            "latitude": latitude,
            "longitude": longitude,
        }
    )
    if problems := address_problems(values):
        raise validation_error(ADDRESS_MESSAGES, problems)
    address = Address(provider=provider, **values)
    address.full_clean()
    save_with_history(address, actor=actor, reason=ADDRESS_ADDED)
    return address


@transaction.atomic
def address_update(*, actor, address: Address, changes: dict) -> Address:
    """Change an address. Changing nothing writes nothing."""
    check_changes(changes, ADDRESS_CHANGEABLE_FIELDS, "address")
    address = record_locked(address)
    provider_for_change(address.provider)
    permission_required(actor, permissions.user_can_change_address(actor, address))
    values = _normalised(changes)
    if problems := address_problems(values):
        raise validation_error(ADDRESS_MESSAGES, problems)
    if not (changed := changed_values(address, values)):
        return address
    if address_change_drops_found_details(address, changed):
        changed.update(uprn="", latitude=None, longitude=None)
    for name, value in changed.items():
        setattr(address, name, value)
    address.full_clean()
    save_with_history(address, actor=actor, reason=ADDRESS_UPDATED)
    return address


def address_change_drops_found_details(address: Address, changes: dict) -> bool:
    """Whether `changes` drop the UPRN and coordinates the postcode finder gave `address`. They belong
    to a property: once the postcode or the first line says another one, they are dropped, unless
    the change gives new ones."""
    moved = {"postcode", "address_line_1"} & set(changes)
    renewed = {"uprn", "latitude", "longitude"} & set(changes)
    return bool(moved and not renewed and (address.uprn or address.latitude is not None))


@transaction.atomic
def address_delete(*, actor, address: Address) -> Address:
    """Delete an address (softly: its row and history stay)."""
    address = record_locked(address)
    provider_for_change(address.provider)
    permission_required(actor, permissions.user_can_delete_address(actor, address))
    address.deleted_at = timezone.now()
    address.full_clean()
    save_with_history(address, actor=actor, reason=ADDRESS_DELETED)
    return address
