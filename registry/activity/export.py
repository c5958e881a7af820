"""The activity feed as a CSV file: one row per changed field, streamed as it is read."""

import csv
import unicodedata
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from registry.activity.entries import ActivityEntry
from registry.activity.filters import ActivityFilters
from registry.activity.selectors import activity_stream

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
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell as text, with a leading quote where a spreadsheet would otherwise run it as a formula.

    The first character is compared in its NFKC form: spreadsheets take the full-width "＝", "＋", "－"
    and "＠" (and the other compatibility forms of the triggers, such as the small "﹦") as a formula's
    start too.
    """
    text = "" if value is None else str(value)
    return f"'{text}" if unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_TRIGGERS) else text


def entry_rows(entry: ActivityEntry) -> Iterator[tuple]:
    """One row per changed field; an entry with no field changes (added, deleted) gets one row."""
    common = (
        timezone.localtime(entry.changed_at).isoformat(timespec="seconds"),
        entry.record_type,
        entry.record_id,
        entry.record_name,
        entry.action.capitalize(),
        entry.actor.pk if entry.actor else "",
        entry.actor_name if entry.actor else "The system",
    )
    for change in entry.changes or (None,):
        yield (*common, *((change.label, change.old, change.new) if change else ("", "", "")))


class _Echo:
    """csv.writer writes to a file; this hands each line straight back instead."""

    def write(self, line: str) -> str:
        return line


def activity_csv_lines(filters: ActivityFilters) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte order mark tells Excel the file is UTF-8, so names with accents survive.
    yield "\ufeff" + writer.writerow(HEADER)
    for entry in activity_stream(filters):
        for row in entry_rows(entry):
            yield writer.writerow([csv_safe(cell) for cell in row])


def activity_csv_response(filters: ActivityFilters) -> StreamingHttpResponse:
    response = StreamingHttpResponse(activity_csv_lines(filters), content_type="text/csv; charset=utf-8")
    filename = f"activity-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
