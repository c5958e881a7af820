"""A provider's history page at a fixed number of queries, however long the history is.

simple-history works out what changed in each many-to-many field (a provider's academic years)
with two queries per row shown. Here the page's many-to-many rows are read in one query and
compared in memory; the other fields are compared as simple-history compares them.
"""

import dataclasses
import itertools
from collections import defaultdict

from simple_history.models import ModelChange
from simple_history.utils import get_m2m_reverse_field_name


def history_m2m_values(records: list) -> dict:
    """{(history_id, field): [{<related name>: related object}, …]} for the records' many-to-many fields."""
    values = defaultdict(list)
    if not records:
        return values
    history_model = type(records[0])
    for field in history_model._history_m2m_fields:
        reverse_name = get_m2m_reverse_field_name(field)
        rows = (
            getattr(history_model, field.name)
            .model.objects.filter(history_id__in=[record.history_id for record in records])
            .select_related(reverse_name)
            .order_by(reverse_name)
        )
        for row in rows:
            values[(row.history_id, field.name)].append({reverse_name: getattr(row, reverse_name)})
    return values


def history_deltas(records: list, *, context_helper) -> None:
    """Give each record but the oldest on the page `history_delta_changes`, as simple-history does."""
    if not records:
        return
    m2m_fields = [field.name for field in type(records[0])._history_m2m_fields]
    m2m = history_m2m_values(records)
    for newer, older in itertools.pairwise(records):
        delta = newer.diff_against(older, excluded_fields=m2m_fields)
        changes = list(delta.changes)
        for name in m2m_fields:
            old, new = m2m[(older.history_id, name)], m2m[(newer.history_id, name)]
            if old != new:
                changes.append(ModelChange(field=name, old=old, new=new))
        delta = dataclasses.replace(delta, changes=changes, changed_fields=[change.field for change in changes])
        newer.history_delta_changes = context_helper(newer).context_for_delta_changes(delta)
