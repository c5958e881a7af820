"""The activity feed as a CSV file: one row per changed field, streamed as it is read."""

import itertools
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from registry.activity.entries import ActivityEntry
from registry.activity.filters import ActivityFilters
from registry.activity.selectors import activity_stream
from registry.csv_export import csv_lines, csv_response, csv_safe

__all__ = ["HEADER", "activity_csv_lines", "activity_csv_response", "csv_safe", "entry_rows"]

HEADER = (
    "Date and time",
    "Record type",
    "Record ID",
    "Record name",
    "Action",
    "Actor ID",
    "Actor name",
    "Field",
    "Old value",
    "New value",
    "Provider",
    "Details",
)


def entry_rows(entry: ActivityEntry) -> Iterator[tuple]:
    """One row per changed field; an entry with no field changes (added, archived, deleted) gets one row.

    The action is what the page's summary says was done ("Archived", "Restored", "Revoked"), the
    provider is the one (or the two) the record belongs to, and the details are the reason the
    service gave or that the earlier values were not recorded.
    """
    common = (
        timezone.localtime(entry.changed_at).isoformat(timespec="seconds"),
        entry.record_type,
        entry.record_id,
        entry.record_name,
        entry.action_name,
        entry.actor.pk if entry.actor else "",
        entry.actor_name if entry.actor else "The system",
    )
    after = (entry.provider_names, entry.details)
    for change in entry.changes or (None,):
        yield (*common, *((change.label, change.old, change.new) if change else ("", "", "")), *after)


# Lines handed to the server at a time: one by one, the response's own work per piece would cost
# as much as writing the line.
LINES_PER_CHUNK = 200


def activity_csv_lines(filters: ActivityFilters) -> Iterator[str]:
    lines = csv_lines(HEADER, (row for entry in activity_stream(filters) for row in entry_rows(entry)))
    for chunk in itertools.batched(lines, LINES_PER_CHUNK, strict=False):
        yield "".join(chunk)


def activity_csv_response(filters: ActivityFilters) -> StreamingHttpResponse:
    return csv_response(activity_csv_lines(filters), name="activity")
