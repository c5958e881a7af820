"""Adding, changing and deleting a provider's accreditations; each change brings its status into line."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.permissions import permission_required
from registry import permissions
from registry.messages import ACCREDITATION_MESSAGES
from registry.models import Accreditation, Provider
from registry.services.history import save_with_history
from registry.services.providers import (
    provider_accreditation_periods,
    provider_accreditation_status_sync,
    provider_for_change,
)
from registry.services.records import changed_values, check_changes, record_locked
from registry.validators import accreditation_outcome, accreditation_problems, validation_error

ACCREDITATION_ADDED = "Accreditation added"
ACCREDITATION_UPDATED = "Accreditation updated"
ACCREDITATION_DELETED = "Accreditation deleted"

ACCREDITATION_CHANGEABLE_FIELDS = frozenset({"number", "starts_on", "ends_on"})


def _normalised(values: dict) -> dict:
    if "number" in values:
        values = {**values, "number": (values["number"] or "").strip()}
    return values


@transaction.atomic
def accreditation_create(
    *, actor, provider: Provider, number: str, starts_on: datetime.date | None, ends_on: datetime.date | None = None
) -> Accreditation:
    """Add an accreditation to a provider, which is accredited while one of its accreditations is current."""
    provider = provider_for_change(provider)
    permission_required(actor, permissions.user_can_add_accreditation(actor, provider))
    values = _normalised({"number": number, "starts_on": starts_on, "ends_on": ends_on})
    if problems := accreditation_problems(values, provider_type=provider.provider_type):
        raise validation_error(ACCREDITATION_MESSAGES, problems)
    accreditation = Accreditation(provider=provider, **values)
    accreditation.full_clean()
    save_with_history(accreditation, actor=actor, reason=ACCREDITATION_ADDED)
    provider_accreditation_status_sync(provider=provider, actor=actor)
    return accreditation


@transaction.atomic
def accreditation_update(*, actor, accreditation: Accreditation, changes: dict) -> Accreditation:
    """Change an accreditation's number or dates. Changing nothing writes nothing."""
    check_changes(changes, ACCREDITATION_CHANGEABLE_FIELDS, "accreditation")
    accreditation = record_locked(accreditation)
    provider = provider_for_change(accreditation.provider)
    permission_required(actor, permissions.user_can_change_accreditation(actor, accreditation))
    values = _normalised(changes)
    problems = accreditation_problems(
        {**values, "ends_on": values.get("ends_on", accreditation.ends_on)},
        provider_type=provider.provider_type,
        starts_on=accreditation.starts_on,
    )
    if problems:
        raise validation_error(ACCREDITATION_MESSAGES, problems)
    if not (changed := changed_values(accreditation, values)):
        return accreditation
    for name, value in changed.items():
        setattr(accreditation, name, value)
    accreditation.full_clean()
    save_with_history(accreditation, actor=actor, reason=ACCREDITATION_UPDATED)
    provider_accreditation_status_sync(provider=provider, actor=actor)
    return accreditation


@transaction.atomic
def accreditation_delete(*, actor, accreditation: Accreditation) -> Accreditation:
    """Delete an accreditation (softly: its row and history stay)."""
    accreditation = record_locked(accreditation)
    provider = provider_for_change(accreditation.provider)
    permission_required(actor, permissions.user_can_delete_accreditation(actor, accreditation))
    accreditation.deleted_at = timezone.now()
    accreditation.full_clean()
    save_with_history(accreditation, actor=actor, reason=ACCREDITATION_DELETED)
    provider_accreditation_status_sync(provider=provider, actor=actor)
    return accreditation


def accreditation_change_outcome(
    *,
    provider: Provider,
    adding: dict | None = None,
    changing: tuple[Accreditation, dict] | None = None,
    deleting: Accreditation | None = None,
    today: datetime.date | None = None,
) -> tuple[str, str]:
    """The accreditation status and provider type `provider` would have after adding an accreditation
    (its `starts_on` and `ends_on`), changing one (and the values changed) or deleting one.

    What `provider_accreditation_status_sync` would make of the change, worked out without writing
    anything, so a page can say before anyone saves that a school will become a SCITT, say.
    """
    periods = provider_accreditation_periods(provider)
    if adding is not None:
        periods[None] = (adding["starts_on"], adding.get("ends_on"))
    if changing is not None:
        accreditation, values = changing
        starts_on, ends_on = periods.get(accreditation.pk, (accreditation.starts_on, accreditation.ends_on))
        periods[accreditation.pk] = (values.get("starts_on", starts_on), values.get("ends_on", ends_on))
    if deleting is not None:
        periods.pop(deleting.pk, None)
    return accreditation_outcome(provider.provider_type, periods.values(), today or timezone.localdate())
