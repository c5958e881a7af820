"""Writing imported records in bulk, with the history a save() would have written.

The import decides row by row what to add and change, then writes it here in batches, past the
models' save(): django-simple-history's bulk helpers write a history row for each record, attributed
to no user and with the import's reason, and the academic years (written to the many-to-many
tables directly) are then copied into those history rows, as a save() through the related manager
would have recorded them.
"""

from django.db import models, router
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import SYSTEM
from registry.services.changes import provider_changes_record
from registry.services.history import history_m2m_snapshot
from registry.services.published_providers import published_providers_refresh

BATCH_SIZE = 500


def write_records(model: type[models.Model], *, new: list, changed: list, fields: list[str], reason: str) -> None:
    """Add `new` and save `fields` of `changed`, each with a history row giving `reason`, and record
    the providers they change as changed (`registry.services.changes`)."""
    if new:
        bulk_create_with_history(new, model, batch_size=BATCH_SIZE, default_change_reason=reason)
    if changed:
        bulk_update_with_history(changed, model, fields, batch_size=BATCH_SIZE, default_change_reason=reason)
    provider_changes_record([*new, *changed], actor=SYSTEM, reason=reason)


def add_academic_years(model: type[models.Model], years_of: dict) -> None:
    """Link records just added (by primary key) to their academic years (by start year)."""
    through, owner = _academic_years_through(model)
    through.objects.bulk_create(
        [through(**{owner: pk}, academicyear_id=year) for pk, years in years_of.items() for year in years],
        batch_size=BATCH_SIZE,
    )
    # The records were recorded as changed before their years were linked: their providers'
    # documents in the changes feed are brought up to date (registry.services.published_providers).
    published_providers_refresh(model, years_of, using=router.db_for_write(model))


def replace_academic_years(model: type[models.Model], years_of: dict) -> None:
    """Make records' academic years these, unlinking the others and linking only the missing ones."""
    through, owner = _academic_years_through(model)
    for pk, years in years_of.items():
        through.objects.filter(**{owner: pk}).exclude(academicyear_id__in=years).delete()
        have = set(through.objects.filter(**{owner: pk}).values_list("academicyear_id", flat=True))
        through.objects.bulk_create(
            [through(**{owner: pk}, academicyear_id=year) for year in years if year not in have]
        )
    published_providers_refresh(model, years_of, using=router.db_for_write(model))


def snapshot_latest_history(model: type[models.Model], instances: list) -> None:
    """Give the history rows just written for `instances` their many-to-many snapshot."""
    history = model.history.model
    for start in range(0, len(instances), BATCH_SIZE):
        batch = {instance.pk: instance for instance in instances[start : start + BATCH_SIZE]}
        latest = {}
        for record in history.objects.filter(id__in=list(batch)).order_by("history_id"):
            latest[record.id] = record
        history_m2m_snapshot((latest[pk], instance) for pk, instance in batch.items() if pk in latest)


def _academic_years_through(model: type[models.Model]) -> tuple[type[models.Model], str]:
    """The model's table of links to academic years, and its column for the model's side."""
    return model.academic_years.through, f"{model._meta.model_name}_id"
