"""CSV files for people to open in a spreadsheet, streamed as they are read.

Every download of the service is written here, so each is alike: UTF-8 with a byte order mark (so
that Excel reads names with accents as they are), CRLF line endings, every cell defused against
formula injection (`csv_safe`), and a `Content-Disposition` that saves it under a dated name.
"""

import csv
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from django.utils import timezone

CONTENT_TYPE = "text/csv; charset=utf-8"
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


class _Echo:
    """csv.writer writes to a file; this hands each line straight back instead."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The header, then each row, one line at a time: each cell made safe, each line ending in CRLF."""
    # csv's default dialect ends lines with "\r\n", as RFC 4180 and spreadsheets expect.
    writer = csv.writer(_Echo())
    # The byte order mark tells Excel the file is UTF-8, so names with accents survive.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])


def csv_response(lines: Iterable[str], *, name: str) -> StreamingHttpResponse:
    """A download of `lines`, saved as "<name>-<today's date>.csv"."""
    response = StreamingHttpResponse(lines, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
