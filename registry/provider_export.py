"""The register as a CSV file: every provider on it, archived ones included, one row each.

One file, made here, for both ways to get it: the providers list's "Download the register (CSV)"
link (`registry.admin.provider_list`) and the API's `GET /api/v1/providers.csv`. The rows are read
by `registry.selectors.provider_export_rows`, a batch at a time, and written as they are read.
"""

import functools
import itertools

from django.http import StreamingHttpResponse

from registry.csv_export import csv_lines, csv_response
from registry.models import AcademicYear
from registry.models.provider import AccreditationStatus, ProviderType
from registry.selectors import ProviderExportRow, provider_export_rows

FILE_NAME = "register-of-training-providers"
ARCHIVED, NOT_ARCHIVED = "Archived", "Not archived"

HEADER = (
    "RoTP id",
    "Operating name",
    "Legal name",
    "Provider type",
    "Accreditation status",
    "Provider code",
    "UKPRN",
    "URN",
    "Status",
    "Onboarded on",
    "First active on",
    "Accreditation number",
    "Accreditation start date",
    "Accreditation end date",
    "Address line 1",
    "Address line 2",
    "Address line 3",
    "Town or city",
    "County",
    "Postcode",
    "Academic years",
)

_TYPES = dict(ProviderType.choices)
_STATUSES = dict(AccreditationStatus.choices)
_NO_ACCREDITATION = ("", "", "")
_NO_ADDRESS = ("",) * 6


def _date(value) -> str:
    """A date as ISO 8601 ("2025-08-01"), which every spreadsheet reads as a date; blank if none."""
    return value.isoformat() if value else ""


@functools.cache
def _academic_year(start_year: int) -> str:
    return str(AcademicYear(start_year=start_year))  # "2025 to 2026"


def provider_cells(row: ProviderExportRow) -> tuple:
    """The provider's row of the file, in `HEADER`'s order: types and statuses in words, dates in ISO 8601."""
    accreditation = row.accreditation
    return (
        row.register_id,
        row.operating_name,
        row.legal_name,
        _TYPES.get(row.provider_type, row.provider_type),
        _STATUSES.get(row.accreditation_status, row.accreditation_status),
        row.code,
        row.ukprn,
        row.urn,
        NOT_ARCHIVED if row.archived_at is None else ARCHIVED,
        _date(row.onboarded_on),
        _date(row.first_active_on),
        *(
            (accreditation.number, _date(accreditation.starts_on), _date(accreditation.ends_on))
            if accreditation
            else _NO_ACCREDITATION
        ),
        *(row.address or _NO_ADDRESS),
        "; ".join(_academic_year(year) for year in row.academic_years),
    )


def register_csv_response() -> StreamingHttpResponse:
    """The whole register as a download, "register-of-training-providers-<date>.csv"."""
    rows = provider_export_rows()
    # The first batch is read here, in the view, so that a database that cannot be reached is the
    # view's error (the API's 503, the service's error page) rather than a file cut off after its header.
    first = list(itertools.islice(rows, 1))
    return csv_response(csv_lines(HEADER, map(provider_cells, itertools.chain(first, rows))), name=FILE_NAME)
