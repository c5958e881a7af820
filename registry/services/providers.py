"""Adding, changing, archiving, restoring and deleting providers, and keeping their accreditation status true."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.permissions import SYSTEM, permission_required
from registry import permissions
from registry.messages import PROVIDER_MESSAGES
from registry.models import AcademicYear, Accreditation, Partnership, Provider
from registry.models.provider import AccreditationStatus
from registry.selectors import provider_code_taken
from registry.services.academic_years import academic_years_active_since, academic_years_ensure
from registry.services.history import save_with_history
from registry.services.register_ids import RegisterIdsExhausted, register_id_candidates
from registry.validators import (
    Problem,
    accreditation_outcome,
    normalise_provider_code,
    provider_problems,
    start_years,
    validation_error,
)

PROVIDER_ADDED = "Provider added"
PROVIDER_UPDATED = "Provider updated"
PROVIDER_ARCHIVED = "Provider archived"
PROVIDER_RESTORED = "Provider restored"
PROVIDER_DELETED = "Provider deleted"
PARTNERSHIP_DELETED_WITH_PROVIDER = "Partnership deleted"
ACCREDITATION_STATUS_UPDATED = "Accreditation status updated"

PROVIDER_IS_ARCHIVED = "This provider is archived, so it cannot be changed. Restore the provider to change it."
PROVIDER_IS_NOT_ARCHIVED = "Only an archived provider can be restored or deleted. Archive the provider first."

# What a support user may change about a provider. Its type and accreditation status follow its
# accreditations; its RoTP id never changes; archiving and deleting have services of their own.
PROVIDER_CHANGEABLE_FIELDS = frozenset(
    {"operating_name", "legal_name", "ukprn", "urn", "code", "onboarded_on", "first_active_on", "academic_years"}
)
_TEXT_FIELDS = ("operating_name", "legal_name", "ukprn", "urn", "code", "provider_type", "accreditation_status")


class ProviderArchivedError(ValidationError):
    """The provider is archived: nothing about it, nor its records, may change until it is restored."""

    def __init__(self, message: str = PROVIDER_IS_ARCHIVED):
        super().__init__(message, code="provider_archived")


class ProviderNotArchivedError(ValidationError):
    """Restoring or deleting a provider that is not archived."""

    def __init__(self, message: str = PROVIDER_IS_NOT_ARCHIVED):
        super().__init__(message, code="provider_not_archived")


def _normalised(values: dict) -> dict:
    values = {
        name: " ".join(str(value or "").split()) if name in _TEXT_FIELDS else value for name, value in values.items()
    }
    if "code" in values:
        values["code"] = normalise_provider_code(values["code"])
    return values


def _locked(provider: Provider) -> Provider:
    """The provider as it is now, locked until the change commits; a deleted provider is not found."""
    locked = Provider.objects.kept().select_for_update().filter(pk=provider.pk).first()
    if locked is None:
        raise Provider.DoesNotExist
    return locked


def provider_for_change(provider: Provider) -> Provider:
    """The provider, locked, if it may be changed; `ProviderArchivedError` if it is archived.

    Every change to a provider's records (accreditations, addresses, contacts, partnerships)
    starts here, so an archived provider stays exactly as it was archived.
    """
    locked = _locked(provider)
    if locked.is_archived:
        raise ProviderArchivedError
    return locked


def _code_taken_error() -> ValidationError:
    return validation_error(PROVIDER_MESSAGES, [Problem.of("code", "code_taken")])


def _save(provider: Provider, *, actor, reason: str, m2m: dict | None = None) -> None:
    """Save in a savepoint, so that a lost race for the provider code is a form error, not a 500."""
    try:
        with transaction.atomic():
            save_with_history(provider, actor=actor, reason=reason, m2m=m2m)
    except IntegrityError:
        if provider_code_taken(provider.code, exclude=provider):
            raise _code_taken_error() from None
        raise


@transaction.atomic
def provider_create(
    *,
    actor,
    operating_name: str,
    provider_type: str,
    accreditation_status: str,
    code: str,
    ukprn: str = "",
    urn: str = "",
    legal_name: str = "",
    onboarded_on: datetime.date | None = None,
    first_active_on: datetime.date | None = None,
    academic_years: Iterable | None = None,
) -> Provider:
    """Add a provider, with a new RoTP id dated from `onboarded_on`, active in `academic_years`.

    Without `academic_years`, they are worked out from `first_active_on`: each academic year from
    the one it falls in to the current one (`academic_years_active_since`); without either, the
    current one. Its accreditation status is as given until its accreditations say otherwise: add them with
    `accreditation_create`, in the same transaction, which brings the status into line.
    """
    permission_required(actor, permissions.user_can_add_provider(actor))
    values = _normalised(
        {
            "operating_name": operating_name,
            "legal_name": legal_name,
            "provider_type": provider_type,
            "accreditation_status": accreditation_status,
            "ukprn": ukprn,
            "urn": urn,
            "code": code,
        }
    )
    if academic_years is not None:
        years = start_years(academic_years)
    elif first_active_on is not None:
        years = academic_years_active_since(first_active_on)
    else:
        years = [AcademicYear.current_start_year()]
    dates = {"onboarded_on": onboarded_on, "first_active_on": first_active_on}
    problems = provider_problems({**values, **dates, "academic_years": years})
    if values["code"] and not any(p.field == "code" for p in problems) and provider_code_taken(values["code"]):
        problems.append(Problem.of("code", "code_taken"))
    if problems:
        raise validation_error(PROVIDER_MESSAGES, problems)

    provider = Provider(**values, onboarded_on=onboarded_on, first_active_on=first_active_on)
    m2m = {"academic_years": academic_years_ensure(years)}
    for candidate in register_id_candidates(operating_name=provider.operating_name, onboarded_on=onboarded_on):
        if Provider.objects.filter(register_id=candidate).exists():
            continue
        provider.register_id = candidate
        provider.full_clean()
        try:
            with transaction.atomic():
                save_with_history(provider, actor=actor, reason=PROVIDER_ADDED, m2m=m2m)
        except IntegrityError:
            provider._state.adding = True
            if provider_code_taken(provider.code):
                raise _code_taken_error() from None
            if Provider.objects.filter(register_id=candidate).exists():
                continue  # Someone else took this id between the check and the save.
            raise
        return provider
    raise RegisterIdsExhausted(f"No free RoTP id for {provider.operating_name!r}")


@transaction.atomic
def provider_update(*, actor, provider: Provider, changes: dict) -> Provider:
    """Change the answers in `changes` (any of `PROVIDER_CHANGEABLE_FIELDS`) about a provider.

    Only the answers changed are checked, so a gap an import left (a missing UKPRN, say) does not
    stop someone changing something else; filling such a gap removes its import note. Changing
    nothing writes nothing.
    """
    if unknown := set(changes) - PROVIDER_CHANGEABLE_FIELDS:
        raise ValueError(f"These provider answers cannot be changed: {', '.join(sorted(unknown))}")
    provider = provider_for_change(provider)
    permission_required(actor, permissions.user_can_change_provider(actor, provider))
    values = _normalised(changes)
    if "academic_years" in values:
        values["academic_years"] = start_years(values["academic_years"])
    problems = provider_problems(
        values, provider_type=provider.provider_type, accreditation_status=provider.accreditation_status
    )
    code = values.get("code")
    if code and not any(p.field == "code" for p in problems) and provider_code_taken(code, exclude=provider):
        problems.append(Problem.of("code", "code_taken"))
    if problems:
        raise validation_error(PROVIDER_MESSAGES, problems)

    m2m = None
    if "academic_years" in values:
        years = values.pop("academic_years")
        if years != sorted(provider.academic_years.values_list("start_year", flat=True)):
            m2m = {"academic_years": academic_years_ensure(years)}
    changed = {name: value for name, value in values.items() if getattr(provider, name) != value}
    if not changed and m2m is None:
        return provider
    for name, value in changed.items():
        setattr(provider, name, value)
    filled = {name for name, value in changed.items() if value}
    provider.import_notes = [note for note in provider.import_notes if note.get("field") not in filled]
    provider.full_clean()
    _save(provider, actor=actor, reason=PROVIDER_UPDATED, m2m=m2m)
    return provider


@transaction.atomic
def provider_archive(*, actor, provider: Provider) -> Provider:
    """Archive a provider: it stays on the register, read-only, until someone restores it."""
    provider = provider_for_change(provider)
    permission_required(actor, permissions.user_can_archive_provider(actor, provider))
    provider.archived_at = timezone.now()
    provider.full_clean()
    _save(provider, actor=actor, reason=PROVIDER_ARCHIVED)
    return provider


@transaction.atomic
def provider_restore(*, actor, provider: Provider) -> Provider:
    """Restore an archived provider, so that it can be changed again."""
    provider = _locked(provider)
    if not provider.is_archived:
        raise ProviderNotArchivedError
    permission_required(actor, permissions.user_can_restore_provider(actor, provider))
    provider.archived_at = None
    provider.full_clean()
    _save(provider, actor=actor, reason=PROVIDER_RESTORED)
    return provider


@transaction.atomic
def provider_delete(*, actor, provider: Provider) -> Provider:
    """Delete an archived provider, and its partnerships with it.

    Only an archived provider can be deleted, so a provider always passes through the read-only
    archived state, where it can still be restored, before it goes. Deleting is soft: the rows
    stay, hidden, so that their history keeps its subject, and the provider's code is free for
    another provider. Its partnerships go too, because they would otherwise still show on its
    partners' pages; its accreditations, addresses and contacts are only reachable through it.
    """
    provider = _locked(provider)
    if not provider.is_archived:
        raise ProviderNotArchivedError
    permission_required(actor, permissions.user_can_delete_provider(actor, provider))
    now = timezone.now()
    partnerships = (
        Partnership.objects.kept()
        .select_for_update()
        .filter(Q(accredited_provider=provider) | Q(training_partner=provider))
    )
    for partnership in partnerships:
        partnership.deleted_at = now
        save_with_history(partnership, actor=actor, reason=PARTNERSHIP_DELETED_WITH_PROVIDER)
    provider.deleted_at = now
    provider.full_clean(validate_constraints=False)
    _save(provider, actor=actor, reason=PROVIDER_DELETED)
    return provider


def _current_accreditations(day: datetime.date):
    return Accreditation.objects.kept().filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


def provider_accreditation_periods(provider: Provider) -> dict:
    """{accreditation id: (starts_on, ends_on)} for each of the provider's accreditations (deleted ones left out)."""
    accreditations = Accreditation.objects.kept().filter(provider=provider)
    return {
        pk: (starts_on, ends_on) for pk, starts_on, ends_on in accreditations.values_list("pk", "starts_on", "ends_on")
    }


def provider_accreditation_status_sync(*, provider: Provider, actor, today: datetime.date | None = None) -> Provider:
    """Make the provider's accreditation status (and so a school's or SCITT's type) follow its accreditations.

    A provider is accredited exactly when one of its accreditations is current: started on or
    before `today` (by default today) and not ended before it. Runs after every change to an
    accreditation, and for every provider each day (`provider_accreditation_status_sync_all`),
    because time alone starts and ends accreditations. The change is the register's own, so it is
    made even to an archived provider, and recorded as "Accreditation status updated". It follows
    from a change someone was allowed to make (or from the date), so it asks no predicate itself.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        provider = _locked(provider)
        periods = provider_accreditation_periods(provider).values()
        status, kind = accreditation_outcome(provider.provider_type, periods, today)
        if (status, kind) != (provider.accreditation_status, provider.provider_type):
            provider.accreditation_status, provider.provider_type = status, kind
            provider.full_clean()
            _save(provider, actor=actor, reason=ACCREDITATION_STATUS_UPDATED)
    return provider


def provider_accreditation_status_sync_all(*, today: datetime.date | None = None) -> int:
    """Bring every provider's accreditation status into line with its accreditations (the daily job).

    Finds the few providers whose status is out of date in one query and changes each in its own
    transaction, as `SYSTEM`: the register made the change. Returns how many changed.
    """
    today = today or timezone.localdate()
    current = Exists(_current_accreditations(today).filter(provider=OuterRef("pk")))
    stale = (
        Provider.objects.kept()
        .annotate(has_current=current)
        .filter(
            Q(accreditation_status=AccreditationStatus.ACCREDITED, has_current=False)
            | Q(accreditation_status=AccreditationStatus.UNACCREDITED, has_current=True)
        )
    )
    changed = 0
    for pk, before in stale.values_list("pk", "accreditation_status"):
        synced = provider_accreditation_status_sync(provider=Provider(pk=pk), actor=SYSTEM, today=today)
        changed += synced.accreditation_status != before
    return changed
