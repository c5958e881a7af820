"""What the services for a provider's records (accreditations, addresses, contacts) share."""

from django.db import models


def record_locked(record: models.Model) -> models.Model:
    """The record as it is now, locked until the change commits; a deleted record is not found."""
    model = type(record)
    locked = model.objects.kept().select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise model.DoesNotExist
    return locked


def changed_values(record: models.Model, values: dict) -> dict:
    return {name: value for name, value in values.items() if getattr(record, name) != value}


def check_changes(changes: dict, allowed: frozenset[str], what: str) -> None:
    if unknown := set(changes) - allowed:
        raise ValueError(f"These {what} answers cannot be changed: {', '.join(sorted(unknown))}")
