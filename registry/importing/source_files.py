"""Reading the DfE's CSV files: rows by column name, numbered as a spreadsheet numbers them.

Both files are read the same way, so the provider and partnership readers share what is here: the
file opened (or an ImportFileError saying why not), its header checked for the columns the import
needs, and the values that come in the same forms in both files (dates, lists of academic years).
"""

import csv
import datetime
import decimal
from pathlib import Path

COORDINATE_PLACES = decimal.Decimal("0.0000001")


class ImportFileError(Exception):
    """The file cannot be read as the import expects: not there, or without the columns it needs."""


class SourceRow:
    """One CSV row, read by column name. A name the header repeats is read from its `occurrence`."""

    def __init__(self, header: dict[str, list[int]], values: list[str]):
        self.header = header
        self.values = values

    def get(self, name: str, occurrence: int = 0) -> str:
        positions = self.header.get(name, [])
        if occurrence >= len(positions) or positions[occurrence] >= len(self.values):
            return ""
        return " ".join(self.values[positions[occurrence]].split())


def read_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, SourceRow]]:
    """The file's rows that have anything in them, each with its row number (the header is row 1)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            lines = list(csv.reader(file))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(f"{path.name} cannot be read: {error}") from error
    if not lines:
        raise ImportFileError(f"{path.name} is empty")
    header: dict[str, list[int]] = {}
    for position, name in enumerate(lines[0]):
        header.setdefault(name.strip(), []).append(position)
    if missing := [name for name in required if name not in header]:
        raise ImportFileError(f"{path.name} has no {', '.join(missing)} column")
    # Row numbers are as a spreadsheet shows them: the header is row 1.
    return [(number, SourceRow(header, values)) for number, values in enumerate(lines[1:], start=2) if any(values)]


def parse_date(value: str) -> datetime.date:
    """A date written as 2024-08-01, or as a time on it (2024-08-01T00:00:00Z)."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return datetime.datetime.fromisoformat(value).date()


def parse_years(value: str) -> list[int]:
    """Academic years written as their start years, "2026,2025,2024", sorted; ValueError if one is not a year."""
    years = {int(year) for year in value.replace(" ", "").split(",") if year}
    if any(not 1990 <= year <= 2100 for year in years):
        raise ValueError(value)
    return sorted(years)


def parse_coordinate(value: str) -> decimal.Decimal | None:
    try:
        return decimal.Decimal(value).quantize(COORDINATE_PLACES) if value else None
    except decimal.InvalidOperation:
        return None
