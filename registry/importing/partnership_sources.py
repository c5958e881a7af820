"""Reading the partnerships file: each row as a partnership of two provider codes, or why it cannot be.

A row is taken only with both codes, a start date and at least one academic year within its dates;
academic years outside its dates are left out and reported. Whether the codes are on the register
is for the import to find out.
"""

import dataclasses
import datetime
from pathlib import Path

from registry.formats import format_govuk_date
from registry.importing.report import ImportReport
from registry.importing.source_files import parse_date, parse_years, read_rows
from registry.models import AcademicYear
from registry.validators import academic_year_overlaps, normalise_provider_code

PARTNERSHIP_COLUMNS = (
    "partnership__accredited_provider_provider_code",
    "partnership__training_partner_provider_code",
    "partnership__academic_years_active",
    "partnership__start_date",
    "partnership__end_date",
)


@dataclasses.dataclass
class PartnershipSource:
    row: int
    accredited_provider_code: str
    training_partner_code: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    academic_years: list[int]


def read_partnerships(path: Path, report: ImportReport) -> list[PartnershipSource]:
    """The partnerships in the file, by provider code; what cannot be taken is reported."""
    file = path.name
    sources = []
    rows = read_rows(path, PARTNERSHIP_COLUMNS)
    report.rows_read[file] = len(rows)
    for number, row in rows:

        def problem(part: str, kind: str, reason: str, number=number) -> None:
            report.problem(file, number, part, kind, reason)

        accredited = normalise_provider_code(row.get("partnership__accredited_provider_provider_code"))
        partner = normalise_provider_code(row.get("partnership__training_partner_provider_code"))
        starts, ends = row.get("partnership__start_date"), row.get("partnership__end_date")
        if not accredited or not partner:
            problem("row", "no provider code", "the accredited provider or training partner has no provider code")
            continue
        if accredited == partner:
            problem("row", "same provider on both sides", f"{accredited} cannot be in partnership with itself")
            continue
        try:
            starts_on = parse_date(starts) if starts else None
            ends_on = parse_date(ends) if ends else None
        except ValueError:
            problem("row", "dates not valid", f'"{starts}" or "{ends}" is not a date')
            continue
        if starts_on is None:
            problem("row", "no start date", "there is no partnership start date")
            continue
        if ends_on is not None and ends_on < starts_on:
            problem("row", "ends before it starts", f"it ends ({ends_on}) before it starts ({starts_on})")
            continue
        try:
            years = parse_years(row.get("partnership__academic_years_active"))
        except ValueError:
            problem(
                "row",
                "academic years not valid",
                f'"{row.get("partnership__academic_years_active")}" is not a list of years',
            )
            continue
        outside = [year for year in years if not academic_year_overlaps(year, starts_on, ends_on)]
        years = [year for year in years if year not in outside]
        if not years:
            problem("row", "no academic years within its dates", "none of its academic years is within its dates")
            continue
        if outside:
            dates = f"{format_govuk_date(starts_on)} to {format_govuk_date(ends_on) if ends_on else 'no end date'}"
            problem(
                "academic years",
                "academic years outside its dates",
                f"{', '.join(str(AcademicYear(start_year=year)) for year in outside)} not within {dates}",
            )
        sources.append(
            PartnershipSource(
                row=number,
                accredited_provider_code=accredited,
                training_partner_code=partner,
                starts_on=starts_on,
                ends_on=ends_on,
                academic_years=years,
            )
        )
    return sources
