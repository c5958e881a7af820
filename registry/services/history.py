"""Writing a change with exactly one history row, attributed to its actor, with its reason.

django-simple-history writes a row on every save and another on every many-to-many change, so
adding a provider and its academic years would otherwise show as two changes. Here a change is one
row whose snapshot includes the many-to-many answers as they are after the change.
"""

from collections.abc import Iterable

from django.db import models, transaction
from simple_history.utils import get_m2m_field_name

from accounts.permissions import SYSTEM
from registry.services.changes import provider_changes_record


def save_with_history(instance: models.Model, *, actor, reason: str, m2m: dict[str, Iterable] | None = None) -> None:
    """Save `instance` (and set its many-to-many fields in `m2m`) as one change by `actor`.

    A change by `SYSTEM` (or by no one, as the import's) is recorded with no user: the register's own.
    The providers it changes are recorded as changed in the same transaction (`registry.services.changes`).
    """
    instance._history_user = None if actor is SYSTEM else actor
    instance._change_reason = reason
    with transaction.atomic():
        if not m2m:
            instance.save()
        elif instance._state.adding:
            # The "+" row needs the instance in the table before its many-to-many rows can exist:
            # write it, then give it the many-to-many snapshot it would have had.
            instance.save()
            _set_without_history(instance, m2m)
            history_m2m_snapshot([(instance.history.order_by("-history_id").first(), instance)])
        else:
            _set_without_history(instance, m2m)
            instance.save()
        provider_changes_record([instance], actor=actor, reason=reason)


def _set_without_history(instance: models.Model, m2m: dict[str, Iterable]) -> None:
    instance.skip_history_when_saving = True
    try:
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving


def history_m2m_snapshot(pairs: Iterable[tuple[models.Model, models.Model]]) -> None:
    """Record, for each (history row, instance), the instance's many-to-many rows as they are now.

    The same as django-simple-history does when it writes a row itself, for rows written in bulk
    or before the many-to-many rows existed. Runs two queries per many-to-many field.
    """
    pairs = [(record, instance) for record, instance in pairs if record is not None]
    if not pairs:
        return
    history_model = type(pairs[0][0])
    for field in history_model._history_m2m_fields:
        m2m_history_model = getattr(history_model, field.name).model
        through = field.remote_field.through
        owner = get_m2m_field_name(field)
        names = [f.attname for f in through._meta.fields]
        records = {instance.pk: record for record, instance in pairs}
        rows = []
        for link in through.objects.filter(**{f"{owner}__in": list(records)}).order_by("pk"):
            record = records[getattr(link, f"{owner}_id")]
            rows.append(m2m_history_model(history=record, **{name: getattr(link, name) for name in names}))
        m2m_history_model.objects.bulk_create(rows, batch_size=1000)
