"""What entries need from other tables, for every source on a page in one query each.

A page holds changes to several kinds of record; asking each kind's tables in turn would cost a
query per kind. Both lookups here ask all of them at once (`registry.activity.union`).
"""

from collections import defaultdict

from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from simple_history.utils import get_m2m_reverse_field_name

from registry.activity.sources import ActivitySource
from registry.activity.union import union_all


def _label(number: int) -> Value:
    return Value(number, output_field=models.IntegerField())


def m2m_answers(history_ids: dict[ActivitySource, list[int]]) -> dict[ActivitySource, dict]:
    """For each source, {(history_id, field name): "2025 to 2026, 2024 to 2025"}: each row's
    many-to-many answers as it kept them, in the answers' own order.

    Only the ids of the answers are read: the one many-to-many field recorded (academic years) is
    named by its id alone, so naming them needs no other table.
    """
    asked = [
        (source, model_field, ids) for source, ids in history_ids.items() if ids for model_field in source.m2m_fields()
    ]
    parts = []
    for number, (source, model_field, ids) in enumerate(asked):
        through = getattr(source.history_model, model_field.name).model
        reverse_attname = through._meta.get_field(get_m2m_reverse_field_name(model_field)).attname
        parts.append(
            through._default_manager.filter(history_id__in=ids)
            .annotate(asked=_label(number), row=F("history_id"), answer=F(reverse_attname))
            .values_list("asked", "row", "answer")
            .order_by()
        )
    found = defaultdict(list)
    for number, history_id, answer in union_all(parts, ("asked", "row", "answer")):
        found[number, history_id].append(answer)
    answers = defaultdict(dict)
    for (number, history_id), ids in found.items():
        source, model_field, _ = asked[number]
        related = model_field.related_model
        records = sorted((related(pk=pk) for pk in ids), key=_ordering(related))
        answers[source][history_id, model_field.name] = ", ".join(str(record) for record in records)
    return answers


def _ordering(model):
    """A sort key for unsaved records of `model` by its default ordering's first field (its key)."""
    field = (model._meta.ordering or ["pk"])[0]
    descending = field.startswith("-")
    name = field.lstrip("-")

    def key(record):
        value = getattr(record, name)
        return -value if descending else value

    return key


def existing_records(record_ids: dict[ActivitySource, set]) -> dict[ActivitySource, set]:
    """For each source, which of its `record_ids` still exist and are not soft-deleted."""
    asked = [(source, ids) for source, ids in record_ids.items() if ids]
    parts = []
    for number, (source, ids) in enumerate(asked):
        records = source.model._default_manager.filter(pk__in=list(ids))
        if source.soft_delete_field:
            records = records.filter(**{f"{source.soft_delete_field}__isnull": True})
        # Keys of different types (UUIDs, numbers) are compared as text in one column.
        parts.append(
            records.annotate(asked=_label(number), key=Cast("pk", CharField())).values_list("asked", "key").order_by()
        )
    existing = {source: set() for source, _ in asked}
    for number, key in union_all(parts, ("asked", "key")):
        source = asked[number][0]
        existing[source].add(source.model._meta.pk.to_python(key))
    return existing
