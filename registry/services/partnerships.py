"""Adding, changing and deleting partnerships between accredited providers and training partners."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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

PARTNERSHIP_OVERLAPS = "{partner} already has a partnership with {provider} for these dates"


class PartnershipDatesOverlap(ValidationError):
    """Refused: the two providers already have a partnership whose dates overlap these.

    A ValidationError on the start date, in the design's words ("Oak School already has a
    partnership with Ash Tree SCITT for these dates"), so any caller can show it as one; the pages
    show a stop page instead ("You cannot add this partnership"), with a link to `existing`.
    """

    def __init__(self, *, existing: Partnership, accredited_provider: Provider, training_partner: Provider):
        message = PARTNERSHIP_OVERLAPS.format(
            partner=training_partner.operating_name, provider=accredited_provider.operating_name
        )
        super().__init__({"starts_on": [ValidationError(message, code="partnership_overlaps")]})
        self.existing = existing
        self.accredited_provider = accredited_provider
        self.training_partner = training_partner


def partnership_overlapping(
    *,
    accredited_provider: Provider,
    training_partner: Provider,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    exclude: Partnership | None = None,
) -> Partnership | None:
    """A kept partnership between the same two providers, either way round, whose dates overlap these.

    Dates are whole days, both included: one partnership ending on 31 July and another starting on
    1 August do not overlap. No end date is open-ended, and so is no start date (some imported
    partnerships have none). The earliest such partnership, or None.
    """
    pair = Q(accredited_provider=accredited_provider, training_partner=training_partner) | Q(
        accredited_provider=training_partner, training_partner=accredited_provider
    )
    found = Partnership.objects.kept().filter(pair)
    if ends_on is not None:
        found = found.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=ends_on))
    if starts_on is not None:
        found = found.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("starts_on", "created_at", "id").first()


def _refuse_overlap(*, accredited_provider, training_partner, starts_on, ends_on, exclude=None) -> None:
    """PartnershipDatesOverlap if these dates overlap another of the pair's partnerships.

    Asked with both providers locked (`_partners_for_change`), so two partnerships for the same
    pair cannot be added, or moved onto each other's dates, at the same time.
    """
    existing = partnership_overlapping(
        accredited_provider=accredited_provider,
        training_partner=training_partner,
        starts_on=starts_on,
        ends_on=ends_on,
        exclude=exclude,
    )
    if existing is not None:
        raise PartnershipDatesOverlap(
            existing=existing, accredited_provider=accredited_provider, training_partner=training_partner
        )


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
    date is optional. Two partnerships between the same two providers are allowed over different
    dates, never over the same ones: PartnershipDatesOverlap ("Preventing duplicate partnerships
    based on partnership dates", in the service's design history).
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
    _refuse_overlap(
        accredited_provider=accredited_provider, training_partner=training_partner, starts_on=starts_on, ends_on=ends_on
    )
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
    """Change a partnership's dates or academic years. Changing nothing writes nothing.

    New dates that overlap another partnership between the same two providers are refused
    (PartnershipDatesOverlap).
    """
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
    if {"starts_on", "ends_on"} & set(changed):
        _refuse_overlap(
            accredited_provider=partners[0],
            training_partner=partners[1],
            starts_on=changed.get("starts_on", partnership.starts_on),
            ends_on=changed.get("ends_on", partnership.ends_on),
            exclude=partnership,
        )
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
