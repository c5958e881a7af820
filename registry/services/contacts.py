"""Adding, changing and deleting a provider's contacts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import permission_required
from registry import permissions
from registry.messages import CONTACT_MESSAGES
from registry.models import Contact, Provider
from registry.selectors import contact_email_taken
from registry.services.history import save_with_history
from registry.services.providers import provider_for_change
from registry.services.records import changed_values, check_changes, record_locked
from registry.validators import Problem, contact_problems, normalise_email_address, validation_error

CONTACT_ADDED = "Contact added"
CONTACT_UPDATED = "Contact updated"
CONTACT_DELETED = "Contact deleted"

CONTACT_CHANGEABLE_FIELDS = frozenset({"first_name", "last_name", "email", "telephone"})


def _normalised(values: dict) -> dict:
    values = {name: " ".join((value or "").split()) for name, value in values.items()}
    if "email" in values:
        values["email"] = normalise_email_address(values["email"])
    return values


def _email_taken_error() -> ValidationError:
    return validation_error(CONTACT_MESSAGES, [Problem.of("email", "email_taken")])


def _problems(values: dict, *, provider: Provider, contact: Contact | None = None) -> list[Problem]:
    problems = contact_problems(values)
    email = values.get("email")
    if (
        email
        and not any(p.field == "email" for p in problems)
        and contact_email_taken(provider=provider, email=email, exclude=contact)
    ):
        problems.append(Problem.of("email", "email_taken"))
    return problems


def _save(contact: Contact, *, actor, reason: str) -> None:
    """Save in a savepoint, so that a lost race for the email address is a form error, not a 500."""
    try:
        with transaction.atomic():
            save_with_history(contact, actor=actor, reason=reason)
    except IntegrityError:
        if contact_email_taken(provider=contact.provider, email=contact.email, exclude=contact):
            raise _email_taken_error() from None
        raise


@transaction.atomic
def contact_create(
    *, actor, provider: Provider, first_name: str, last_name: str, email: str, telephone: str = ""
) -> Contact:
    """Add a contact to a provider. No two of a provider's contacts share an email address."""
    provider = provider_for_change(provider)
    permission_required(actor, permissions.user_can_add_contact(actor, provider))
    values = _normalised({"first_name": first_name, "last_name": last_name, "email": email, "telephone": telephone})
    if problems := _problems(values, provider=provider):
        raise validation_error(CONTACT_MESSAGES, problems)
    contact = Contact(provider=provider, **values)
    contact.full_clean(validate_constraints=False)
    _save(contact, actor=actor, reason=CONTACT_ADDED)
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, changes: dict) -> Contact:
    """Change a contact. Changing nothing writes nothing."""
    check_changes(changes, CONTACT_CHANGEABLE_FIELDS, "contact")
    contact = record_locked(contact)
    provider = provider_for_change(contact.provider)
    permission_required(actor, permissions.user_can_change_contact(actor, contact))
    values = _normalised(changes)
    if problems := _problems(values, provider=provider, contact=contact):
        raise validation_error(CONTACT_MESSAGES, problems)
    if not (changed := changed_values(contact, values)):
        return contact
    for name, value in changed.items():
        setattr(contact, name, value)
    contact.full_clean(validate_constraints=False)
    _save(contact, actor=actor, reason=CONTACT_UPDATED)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: Contact) -> Contact:
    """Delete a contact (softly: its row and history stay, and its email address is free again)."""
    contact = record_locked(contact)
    provider_for_change(contact.provider)
    permission_required(actor, permissions.user_can_delete_contact(actor, contact))
    contact.deleted_at = timezone.now()
    contact.full_clean(validate_constraints=False)
    save_with_history(contact, actor=actor, reason=CONTACT_DELETED)
    return contact
