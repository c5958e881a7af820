"""The service's CSV files (registry.csv_export): cells a spreadsheet cannot run, UTF-8 with a byte
order mark, CRLF lines, and a dated attachment."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from registry.csv_export import csv_lines, csv_response, csv_safe


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("https://evil.example","Click")', '\'=HYPERLINK("https://evil.example","Click")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        # The full-width and small forms of the triggers, which spreadsheets also take as a formula's start.
        ("＝1+2", "'＝1+2"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("﹦1", "'﹦1"),
        # Anything else is left as it is: a trigger after the start is harmless.
        ("Oakwood = Primary", "Oakwood = Primary"),
        ("St Mary’s", "St Mary’s"),
        ("", ""),
        (None, ""),
        (2025, "2025"),
    ],
)
def test_csv_safe(value, written):
    assert csv_safe(value) == written


def test_lines_start_with_a_byte_order_mark_end_in_crlf_and_defuse_every_cell():
    lines = list(csv_lines(("Name", "Town"), [("=1+1", "Leeds"), ('Zoë, "Z"', None)]))

    assert lines == ["\ufeffName,Town\r\n", "'=1+1,Leeds\r\n", '"Zoë, ""Z""",\r\n']
    assert list(csv.reader(io.StringIO("".join(lines).removeprefix("\ufeff"), newline=""))) == [
        ["Name", "Town"],
        ["'=1+1", "Leeds"],
        ['Zoë, "Z"', ""],
    ]


def test_lines_are_written_as_the_rows_are_read():
    read = []

    def rows():
        for number in range(3):
            read.append(number)
            yield (number,)

    lines = csv_lines(("Number",), rows())
    assert next(lines) == "\ufeffNumber\r\n"
    assert read == []
    assert next(lines) == "0\r\n"
    assert read == [0]


def test_the_response_is_a_streamed_attachment_named_with_todays_date():
    response = csv_response(iter(["\ufeffA\r\n"]), name="register-of-training-providers")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="register-of-training-providers-{today}.csv"'
    assert b"".join(response.streaming_content) == "\ufeffA\r\n".encode()
