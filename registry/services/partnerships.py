"""Adding, changing and deleting partnerships between accredited providers and training partners."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.permissions import permission_required
from registry import permissions
from registry.messages import PARTNERSHIP_MESSAGES
from registry.models import Partnership, Provider
from registry.services.academic_years import academic_years_ensure
from registry.services.history import save_with_history
from registry.services.providers import provider_for_change
from registry.services.records import changed_values, check_changes, record_locked
from registry.validators import partnership_problems, start_years, validation_error

PARTNERSHIP_ADDED = "Partnership added"
PARTNERSHIP_UPDATED = "Partnership updated"
PARTNERSHIP_DELETED = "Partnership deleted"

# The partners of a partnership never change: a different pair is a different partnership.
PARTNERSHIP_CHANGEABLE_FIELDS = frozenset({"starts_on", "ends_on", "academic_years"})


def _partners_for_change(partnership_or_pair) -> tuple[Provider, Provider]:
    """Both providers, locked in a fixed order (so two changes never wait on each other), if neither is archived."""
    accredited_provider, training_partner = partnership_or_pair
    first, second = sorted((accredited_provider, training_partner), key=lambda provider: str(provider.pk))
    locked = {provider.pk: provider_for_change(provider) for provider in (first, second)}
    return locked[accredited_provider.pk], locked[training_partner.pk]


def _allowed_from_either_side(predicate, actor, *args, partners) -> bool:
    """A partnership shows on both partners' pages: whoever may change it from one of them may change it."""
    return any(predicate(actor, *args, partner) for partner in partners)


@transaction.atomic
def partnership_create(
    *,
    actor,
    accredited_provider: Provider,
    training_partner: Provider,
    starts_on: datetime.date | None,
    academic_years: Iterable,
    ends_on: datetime.date | None = None,
) -> Partnership:
    """Add a partnership between an accredited provider and a training partner that is not accredited.

    It needs a start date and at least one academic year, each overlapping its dates; the end
    date is optional. Like the real service, it does not look for an existing partnership between
    the same two providers: two partnerships over different dates are allowed.
    """
    if accredited_provider.pk == training_partner.pk:
        accredited_provider = training_partner = provider_for_change(accredited_provider)
    else:
        accredited_provider, training_partner = _partners_for_change((accredited_provider, training_partner))
    permission_required(
        actor,
        _allowed_from_either_side(
            permissions.user_can_add_partnership, actor, partners=(accredited_provider, training_partner)
        ),
    )
    years = start_years(academic_years)
    values = {
        "accredited_provider": accredited_provider,
        "training_partner": training_partner,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "academic_years": years,
    }
    if problems := partnership_problems(values):
        raise validation_error(PARTNERSHIP_MESSAGES, problems)
    partnership = Partnership(
        accredited_provider=accredited_provider, training_partner=training_partner, starts_on=starts_on, ends_on=ends_on
    )
    partnership.full_clean()
    save_with_history(
        partnership, actor=actor, reason=PARTNERSHIP_ADDED, m2m={"academic_years": academic_years_ensure(years)}
    )
    return partnership


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, changes: dict) -> Partnership:
    """Change a partnership's dates or academic years. Changing nothing writes nothing."""
    check_changes(changes, PARTNERSHIP_CHANGEABLE_FIELDS, "partnership")
    partnership = record_locked(partnership)
    partners = _partners_for_change((partnership.accredited_provider, partnership.training_partner))
    permission_required(
        actor,
        _allowed_from_either_side(permissions.user_can_change_partnership, actor, partnership, partners=partners),
    )
    values = dict(changes)
    current_years = sorted(partnership.academic_years.values_list("start_year", flat=True))
    values["academic_years"] = start_years(values["academic_years"]) if "academic_years" in values else current_years
    problems = partnership_problems(values, starts_on=partnership.starts_on, ends_on=partnership.ends_on)
    if problems:
        raise validation_error(PARTNERSHIP_MESSAGES, problems)

    years = values.pop("academic_years")
    m2m = {"academic_years": academic_years_ensure(years)} if years != current_years else None
    changed = changed_values(partnership, values)
    if not changed and m2m is None:
        return partnership
    for name, value in changed.items():
        setattr(partnership, name, value)
    partnership.full_clean()
    save_with_history(partnership, actor=actor, reason=PARTNERSHIP_UPDATED, m2m=m2m)
    return partnership


@transaction.atomic
def partnership_delete(*, actor, partnership: Partnership) -> Partnership:
    """Delete a partnership (softly: its row and history stay)."""
    partnership = record_locked(partnership)
    partners = _partners_for_change((partnership.accredited_provider, partnership.training_partner))
    permission_required(
        actor,
        _allowed_from_either_side(permissions.user_can_delete_partnership, actor, partnership, partners=partners),
    )
    partnership.deleted_at = timezone.now()
    partnership.full_clean()
    save_with_history(partnership, actor=actor, reason=PARTNERSHIP_DELETED)
    return partnership
