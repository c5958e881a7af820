"""The indexes the Activity page reads every history table by, declared on the historical models.

django-simple-history builds each historical model's `Meta` itself and takes no indexes from us
(its `bases` are not asked for their Meta: simple-history issue #373). So the models pass
`bases=[IndexedForActivity]` to `HistoricalRecords(...)`, and this base's metaclass adds the indexes
to each historical model as it is made. They are then in the models' state like any `Meta.indexes`:
migrations add them (`AddIndex`), `makemigrations` sees nothing to do, and SQLite keeps them when it
rebuilds a table.

- (history_date, history_id): the feed's order, newest first. A page is the first rows of this
  index after its cursor, and the export walks it, however many changes there are.
- (history_user, history_date, history_id): the same order for one person's changes.
- (record id, history_date, history_id): the change before a given one to the same record, for
  what it changed and whether it was a soft delete, found in one index probe.
- (history_date, history_id) of the rows that may be deletions only (`deletion_candidates`):
  removals, and rows with a soft-delete date. Deletions are few, and which soft-dated row is the
  deletion needs the row before it: the "deleted" filter reads this index, not every change.
"""

from django.db import models
from django.db.models import Q
from django.db.models.base import ModelBase

# The field a record is soft-deleted by, where it has one (registry.activity.sources says which).
SOFT_DELETE_FIELD = "deleted_at"


def deletion_candidates(soft_delete_field: str | None) -> Q:
    """The history rows that may be deletions: a removal, or a row with the soft-delete date set
    (a deletion if the row before it had none). The feed's "deleted" filter asks for these in the
    same words as the partial index's condition, so that PostgreSQL can read that index."""
    removed = Q(history_type="-")
    return removed | Q(**{f"{soft_delete_field}__isnull": False}) if soft_delete_field else removed


def activity_indexes(record_id_attname: str, soft_delete_field: str | None) -> list[models.Index]:
    return [
        models.Index(fields=["history_date", "history_id"]),
        models.Index(fields=["history_user", "history_date", "history_id"]),
        models.Index(fields=[record_id_attname, "history_date", "history_id"]),
        # Named for its table when it joins a model (Django insists on a name for a partial index).
        models.Index(
            fields=["history_date", "history_id"], condition=deletion_candidates(soft_delete_field), name="deletions"
        ),
    ]


class _AddsActivityIndexes(ModelBase):
    def __new__(mcs, name, bases, attrs, **kwargs):
        tracked = attrs.get("instance_type")
        new_class = super().__new__(mcs, name, bases, attrs, **kwargs)
        if tracked is None or new_class._meta.abstract:
            return new_class
        # The history model's own fields are copies of the tracked model's, among `attrs`.
        soft_delete_field = SOFT_DELETE_FIELD if SOFT_DELETE_FIELD in attrs else None
        for index in activity_indexes(tracked._meta.pk.attname, soft_delete_field):
            # Named as Django names a Meta index: from the table and the fields, so stable; the
            # partial index has the same fields as the feed's, so its name ends differently.
            named = models.Index(fields=index.fields) if index.condition is not None else index
            named.set_name_with_model(new_class)
            if index.condition is not None:
                index.name = f"{named.name.removesuffix('_idx')}_del"
            new_class._meta.indexes.append(index)
        # Migrations read a model's indexes only when its Meta declared some.
        new_class._meta.original_attrs["indexes"] = new_class._meta.indexes
        return new_class


class IndexedForActivity(models.Model, metaclass=_AddsActivityIndexes):
    """`HistoricalRecords(bases=[IndexedForActivity])`: the historical model gets `activity_indexes`."""

    class Meta:
        abstract = True
