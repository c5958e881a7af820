"""Reading the providers file: each row as a provider the import can take, or the reasons it cannot.

Nothing here invents a value. A value the file lacks stays empty and a value that breaks a rule is
left out; either way the provider gets an import note saying so, in words a support user can act
on, and a left-out value is reported with its row. A row keeps its accreditation and address only
when they can be taken whole.
"""

import dataclasses
import datetime
import decimal
from pathlib import Path

from registry.importing.report import ImportReport
from registry.importing.source_files import SourceRow, parse_coordinate, parse_date, parse_years, read_rows
from registry.models import AcademicYear
from registry.models.provider import TYPES_WITH_URN, AccreditationStatus, ProviderType
from registry.validators import (
    ADDRESS_FIELDS,
    ADDRESS_REQUIRED_FIELDS,
    MAX_TEXT_LENGTH,
    accreditation_number_problem,
    is_provider_code,
    is_uk_postcode,
    is_ukprn,
    is_urn,
    normalise_postcode,
    normalise_provider_code,
)

PROVIDER_COLUMNS = (
    "provider__operating_name",
    "provider__legal_name",
    "provider__ukprn",
    "provider__urn",
    "provider__code",
    "provider__accreditation_status",
    "provider__provider_type",
    "provider__academic_years_active",
    "accreditation__number",
    "accreditation__start_date",
    "accreditation__end_date",
    "address__address_line_1",
    "address__address_line_2",
    "address__address_line_3",
    "address__town_or_city",
    "address__county",
    "address__postcode",
    "address__latitude",
    "address__longitude",
)
ADDRESS_FIELD_NAMES = {"address_line_1": "address line 1", "town_or_city": "town or city", "postcode": "postcode"}


@dataclasses.dataclass
class AccreditationSource:
    number: str
    starts_on: datetime.date
    ends_on: datetime.date | None


@dataclasses.dataclass
class AddressSource:
    address_line_1: str
    address_line_2: str
    address_line_3: str
    town_or_city: str
    county: str
    postcode: str
    uprn: str
    latitude: decimal.Decimal | None
    longitude: decimal.Decimal | None


@dataclasses.dataclass
class ProviderSource:
    row: int
    code: str
    operating_name: str
    legal_name: str
    provider_type: str
    source_status: str
    ukprn: str
    urn: str
    academic_years: list[int]
    accreditation: AccreditationSource | None
    address: AddressSource | None
    notes: list[dict]

    @property
    def onboarded_on(self) -> datetime.date | None:
        """When the provider's first active academic year started, as the real service dates it."""
        return AcademicYear(start_year=self.academic_years[0]).starts_on if self.academic_years else None


def read_providers(path: Path, report: ImportReport) -> list[ProviderSource]:
    """The providers in the file, each with the import notes its gaps need; what cannot be taken is reported."""
    file = path.name
    sources = []
    codes_seen: dict[str, int] = {}
    rows = read_rows(path, PROVIDER_COLUMNS)
    report.rows_read[file] = len(rows)
    for number, row in rows:

        def problem(part: str, kind: str, reason: str, number=number) -> None:
            report.problem(file, number, part, kind, reason)

        name = row.get("provider__operating_name")
        code = normalise_provider_code(row.get("provider__code"))
        status = row.get("provider__accreditation_status").lower()
        kind = row.get("provider__provider_type").lower()
        if not name:
            problem("row", "no operating name", "there is no operating name")
            continue
        if len(name) > MAX_TEXT_LENGTH:
            problem("row", "operating name too long", f"the operating name is longer than {MAX_TEXT_LENGTH} characters")
            continue
        if not code:
            problem("row", "no provider code", f"{name} has no provider code")
            continue
        if not is_provider_code(code):
            problem("row", "provider code not valid", f'"{code}" is not a provider code (3 letters or digits)')
            continue
        if code in codes_seen:
            problem("row", "provider code repeated", f"provider code {code} is already on row {codes_seen[code]}")
            continue
        if status not in AccreditationStatus.values:
            problem("row", "accreditation status not valid", f'"{status}" is not "accredited" or "unaccredited"')
            continue
        if kind not in ProviderType.values:
            problem("row", "provider type not valid", f'"{kind}" is not a provider type (hei, scitt, school or other)')
            continue
        codes_seen[code] = number
        notes = []
        # The real service's rule: a SCITT that is not accredited is a school.
        if kind == ProviderType.SCITT and status == AccreditationStatus.UNACCREDITED:
            kind = ProviderType.SCHOOL
            report.notes["providers: SCITT not accredited, so taken as a school"] += 1

        ukprn = row.get("provider__ukprn")
        if not ukprn:
            notes.append({"field": "ukprn", "note": f"No UKPRN in {file}"})
            report.notes["providers with no UKPRN in the file (left empty, with an import note)"] += 1
        elif not is_ukprn(ukprn):
            notes.append({"field": "ukprn", "note": f'{file} gave "{ukprn}" as the UKPRN, which is not 8 digits'})
            problem("UKPRN", "UKPRN not 8 digits", f'"{ukprn}" is not 8 digits')
            ukprn = ""

        urn = row.get("provider__urn")
        if urn and not is_urn(urn):
            notes.append({"field": "urn", "note": f'{file} gave "{urn}" as the URN, which is not 5 or 6 digits'})
            problem("URN", "URN not 5 or 6 digits", f'"{urn}" is not 5 or 6 digits')
            urn = ""
        elif not urn and kind in TYPES_WITH_URN:
            notes.append({"field": "urn", "note": f"No URN in {file}"})
            report.notes["schools and SCITTs with no URN in the file (left empty, with an import note)"] += 1

        try:
            years = parse_years(row.get("provider__academic_years_active"))
        except ValueError:
            value = row.get("provider__academic_years_active")
            problem("academic years", "academic years not valid", f'"{value}" is not a list of years')
            years = []
        if not years:
            notes.append({"field": "academic_years", "note": f"No academic years in {file}"})

        accreditation = _accreditation(row, kind, problem, notes, file)
        if status == AccreditationStatus.ACCREDITED and accreditation is None:
            report.notes["providers accredited in the file without an accreditation it could take"] += 1
        address = _address(row, problem, notes, file)

        sources.append(
            ProviderSource(
                row=number,
                code=code,
                operating_name=name,
                legal_name=row.get("provider__legal_name")[:MAX_TEXT_LENGTH],
                provider_type=kind,
                source_status=status,
                ukprn=ukprn,
                urn=urn,
                academic_years=years,
                accreditation=accreditation,
                address=address,
                notes=notes,
            )
        )
    return sources


def _accreditation(row: SourceRow, kind: str, problem, notes: list[dict], file: str) -> AccreditationSource | None:
    number = row.get("accreditation__number")
    starts, ends = row.get("accreditation__start_date"), row.get("accreditation__end_date")
    status = row.get("provider__accreditation_status").lower()
    if not (number or starts or ends):
        if status == AccreditationStatus.ACCREDITED:
            notes.append(
                {"field": "accreditation", "note": f"{file} says the provider is accredited but gives no accreditation"}
            )
            problem(
                "accreditation",
                "accredited with no accreditation number",
                "the provider is accredited but has no accreditation number",
            )
        return None
    reason = None
    if bad := accreditation_number_problem(number, kind):
        reason = (
            f'"{number}" is not an accredited provider number for this type of provider'
            if number
            else "there is no accreditation number"
        )
    else:
        try:
            starts_on = parse_date(starts) if starts else None
            ends_on = parse_date(ends) if ends else None
        except ValueError:
            starts_on = ends_on = None
            reason = f'"{starts}" or "{ends}" is not a date'
        if reason is None and starts_on is None:
            reason = "there is no accreditation start date"
        elif reason is None and ends_on is not None and ends_on < starts_on:
            reason = f"it ends ({ends_on}) before it starts ({starts_on})"
    if reason:
        notes.append({"field": "accreditation", "note": f"The accreditation in {file} was not added: {reason}"})
        problem("accreditation", "accreditation number not valid" if bad else "accreditation dates not valid", reason)
        return None
    return AccreditationSource(number=number, starts_on=starts_on, ends_on=ends_on)


def _address(row: SourceRow, problem, notes: list[dict], file: str) -> AddressSource | None:
    values = {field: row.get(f"address__{field}") for field in ADDRESS_FIELDS}
    if not any(values.values()):
        notes.append({"field": "address", "note": f"No address in {file}"})
        return None
    missing = [ADDRESS_FIELD_NAMES[field] for field in (*ADDRESS_REQUIRED_FIELDS, "postcode") if not values[field]]
    if missing:
        reason = f"it has no {' or '.join(missing)}"
        kind = f"no {' or '.join(missing)}"
    elif not is_uk_postcode(values["postcode"]):
        reason = f'"{values["postcode"]}" is not a full UK postcode'
        kind = "postcode not valid"
    elif any(len(value) > MAX_TEXT_LENGTH for value in values.values()):
        reason = kind = f"a line is longer than {MAX_TEXT_LENGTH} characters"
    else:
        # The second latitude and longitude are Ordnance Survey's, for the address as it checked it.
        latitude, longitude = row.get("address__latitude", 1), row.get("address__longitude", 1)
        if not (latitude and longitude):
            latitude, longitude = row.get("address__latitude"), row.get("address__longitude")
        return AddressSource(
            **{**values, "postcode": normalise_postcode(values["postcode"])},
            uprn=row.get("address__uprn")[:15],
            latitude=parse_coordinate(latitude),
            longitude=parse_coordinate(longitude),
        )
    given = ", ".join(value for value in values.values() if value)
    notes.append({"field": "address", "note": f"The address in {file} was not added, because {reason}: {given}"})
    problem("address", kind, reason)
    return None
