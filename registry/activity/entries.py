"""One entry in the activity feed per recorded change: what changed, on which record, who did it, when."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.text import capfirst

from accounts.models import User
from registry.activity.formats import actor_name, display_value, format_govuk_time
from registry.activity.sources import ActivitySource


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ActivityEntry:
    source: ActivitySource
    history_id: int
    changed_at: datetime.datetime
    action: str  # "added", "updated" or "deleted"
    summary: str  # "User updated"
    record_id: object
    record_name: str
    record_url: str | None  # None when the record is gone or the viewer may not open it
    actor: User | None  # None when nobody signed in made the change
    changes: tuple[FieldChange, ...]

    @property
    def record_type(self) -> str:
        return self.source.record_type

    @property
    def time(self) -> str:
        return format_govuk_time(self.changed_at)

    @property
    def actor_name(self) -> str:
        return actor_name(self.actor) if self.actor else "the system"

    @property
    def actor_is_deleted(self) -> bool:
        return self.actor is not None and self.actor.is_deleted


def field_changes(source: ActivitySource, previous, current) -> tuple[FieldChange, ...]:
    """The shown fields that differ between two records of the same object, in the model's order."""
    return tuple(
        FieldChange(
            label=capfirst(model_field.verbose_name),
            old=display_value(model_field, getattr(previous, model_field.attname)),
            new=display_value(model_field, getattr(current, model_field.attname)),
        )
        for model_field in source.shown_fields()
        if getattr(previous, model_field.attname) != getattr(current, model_field.attname)
    )


def activity_entries(rows: list[tuple[ActivitySource, object]], *, viewer) -> list[ActivityEntry]:
    """Entries for history rows read by the selectors (with `action` and `previous_history_id`).

    The previous records to compare against, and which records still exist, are read once per
    model for all the rows together. With no `viewer` (the export) no links are worked out.
    """
    by_source = defaultdict(list)
    for source, row in rows:
        by_source[source].append(row)
    previous, linkable = {}, {}
    for source, source_rows in by_source.items():
        previous[source] = source.history_model._default_manager.in_bulk(
            [row.previous_history_id for row in source_rows if _is_change(row) and row.previous_history_id]
        )
        if viewer is not None and source.viewer_can_open_records(viewer):
            linkable[source] = source.existing_record_ids({getattr(row, source.record_id_field) for row in source_rows})
    return [_entry(source, row, previous[source], linkable.get(source, set())) for source, row in rows]


def _is_change(row) -> bool:
    """An update (a soft delete included) has a previous record to compare with; adding or removing has not."""
    return row.history_type == "~"


def _entry(source: ActivitySource, row, previous_rows: dict, linkable_ids: set) -> ActivityEntry:
    record_id = getattr(row, source.record_id_field)
    previous = previous_rows.get(row.previous_history_id) if _is_change(row) else None
    return ActivityEntry(
        source=source,
        history_id=row.history_id,
        changed_at=row.history_date,
        action=row.action,
        summary=row.history_change_reason or f"{source.record_type} {row.action}",
        record_id=record_id,
        record_name=source.record_name(row) or str(record_id),
        record_url=source.record_url(row) if record_id in linkable_ids else None,
        actor=row.history_user,
        changes=field_changes(source, previous, row) if previous is not None else (),
    )
