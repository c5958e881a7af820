"""The register's rules, as problems with codes.

Each rule says *what* is wrong with an answer (a field and a code), never how to say so: the wording
for every code is in `registry.messages`, each dict there being its form's `error_messages`, and
services raise with that same wording (`validation_error`), so a support user, the API and the
shell are all told the same thing, and nothing here or in the services depends on a form.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.formats import format_govuk_date
from registry.models import AcademicYear
from registry.models.provider import TYPES_BY_STATUS, TYPES_WITH_URN, AccreditationStatus, ProviderType


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with one answer: `code` keys the wording in the record's messages (`registry.messages`)."""

    field: str
    code: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, field: str, code: str, **params) -> "Problem":
        return cls(field, code, tuple(params.items()))


def problem_error(messages: dict[str, str], code: str, **params) -> ValidationError:
    """The ValidationError for one code, worded by `messages` (a dict in `registry.messages`)."""
    params = {
        name: format_govuk_date(value) if isinstance(value, datetime.date) else value for name, value in params.items()
    }
    return ValidationError(messages[code], code=code, params=params or None)


def validation_error(messages: dict[str, str], problems: list[Problem]) -> ValidationError:
    """One ValidationError with every problem under its field, worded by `messages`, as the form words it."""
    errors: dict[str, list[ValidationError]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(problem_error(messages, problem.code, **dict(problem.params)))
    return ValidationError(errors)


# ---------------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------------

# Control characters (Unicode's "Cc": C0, DEL and C1), which no name, address, contact detail or code
# has, and which can hide or change what a person reads, break a line of a log or of an export, or
# (NUL) not be stored at all. The API refuses the same ones (`registry.api.schemas.CLIENT_NAME_PATTERN`).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control_characters(value) -> bool:
    return isinstance(value, str) and bool(CONTROL_CHARACTERS.search(value))


def control_characters_first(values: dict, fields: Iterable[str], problems: list[Problem]) -> list[Problem]:
    """`problems`, with a `<field>_control_characters` problem first for each of the text `fields`
    whose answer in `values` has a control character, in place of anything else about that answer."""
    found = [
        Problem.of(field, f"{field}_control_characters")
        for field in fields
        if has_control_characters(values.get(field))
    ]
    fields_found = {problem.field for problem in found}
    return found + [problem for problem in problems if problem.field not in fields_found]


UKPRN_FORMAT = re.compile(r"[0-9]{8}")
URN_FORMAT = re.compile(r"[0-9]{5,6}")
PROVIDER_CODE_FORMAT = re.compile(r"[A-Z0-9]{3}", re.IGNORECASE)
MAX_TEXT_LENGTH = 255


def is_ukprn(value: str) -> bool:
    return bool(UKPRN_FORMAT.fullmatch(value))


def is_urn(value: str) -> bool:
    return bool(URN_FORMAT.fullmatch(value))


def is_provider_code(value: str) -> bool:
    return bool(PROVIDER_CODE_FORMAT.fullmatch(value))


def normalise_provider_code(value: str) -> str:
    """Codes are kept upper-case: "1q6" and "1Q6" are the same provider."""
    return (value or "").strip().upper()


# Full UK postcodes, outward code then inward code, with the letters Royal Mail never uses in each
# position left out (so "VV10 8NZ" or "WS10 ODR", with a letter O, are not postcodes).
_OUTWARD = (
    r"[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"(?:{_OUTWARD}){_INWARD}|GIR0AA")


def normalise_postcode(value: str) -> str:
    """Upper case, with a single space before the inward code when it is a postcode ("n136by" → "N13 6BY")."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if _POSTCODE.fullmatch(compact):
        return f"{compact[:-3]} {compact[-3:]}"
    return " ".join((value or "").upper().split())


def is_uk_postcode(value: str) -> bool:
    return bool(_POSTCODE.fullmatch(re.sub(r"\s+", "", value or "").upper()))


# GOV.UK Notify's rules for an email address it will send to: a conservative local part, a host
# name of at least two dot-separated labels, each a valid DNS label, and an alphabetic (or
# punycode) top-level domain.
_EMAIL = re.compile(r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@([^.@][^@\s]+)")
_HOST_LABEL = re.compile(r"(xn|[a-z0-9]+)(-?-[a-z0-9]+)*", re.IGNORECASE)
_TOP_LEVEL_DOMAIN = re.compile(r"([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)", re.IGNORECASE)
# Characters people paste in from documents along with an address, which Notify strips.
_OBSCURE_WHITESPACE = "\u180e\u200b\u200c\u200d\u2060\ufeff"


def normalise_email_address(value: str) -> str:
    value = (value or "").strip()
    for character in _OBSCURE_WHITESPACE:
        value = value.replace(character, "")
    return value.strip()


def is_email_address(value: str) -> bool:
    value = normalise_email_address(value)
    match = _EMAIL.fullmatch(value)
    if not match or len(value) > 320 or ".." in value:
        return False
    try:
        hostname = match.group(1).encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = hostname.split(".")
    if len(hostname) > 253 or len(labels) < 2:
        return False
    if any(not label or len(label) > 63 or not _HOST_LABEL.fullmatch(label) for label in labels):
        return False
    return bool(_TOP_LEVEL_DOMAIN.fullmatch(labels[-1]))


# GOV.UK's pattern for a UK phone number: a national number starting 0, or the same after +44,
# 0044 or 01144 (with an optional "(0)"), in any of the usual groupings, with an optional extension.
_UK_PHONE_NUMBER = re.compile(
    r"(?:(?:\(?(?:0(?:0|11)\)?[\s-]?\(?|\+)44\)?[\s-]?(?:\(?0\)?[\s-]?)?)|(?:\(?0))"
    r"(?:"
    r"(?:\d{5}\)?[\s-]?\d{4,5})"
    r"|(?:\d{4}\)?[\s-]?(?:\d{5}|\d{3}[\s-]?\d{3}))"
    r"|(?:\d{3}\)?[\s-]?\d{3}[\s-]?\d{3,4})"
    r"|(?:\d{2}\)?[\s-]?\d{4}[\s-]?\d{4})"
    r")"
    r"(?:[\s-]?(?:x|ext\.?|\#)\d{3,4})?"
)


def is_uk_phone_number(value: str) -> bool:
    return bool(_UK_PHONE_NUMBER.fullmatch((value or "").strip()))


# ---------------------------------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------------------------------


PROVIDER_TEXT_FIELDS = ("operating_name", "legal_name", "ukprn", "urn", "code")


def provider_problems(values: dict, *, provider_type: str = "", accreditation_status: str = "") -> list[Problem]:
    """What is wrong with the provider answers in `values` (only the fields given are checked).

    `provider_type` and `accreditation_status` are what the provider already has, for answers
    that depend on them (a school's URN) when `values` does not give them.
    """
    # The date rules build on `Problem`, so they are imported once this module has it.
    from registry.provider_date_rules import provider_date_problems

    problems = provider_date_problems(values, timezone.localdate())
    status = values.get("accreditation_status", accreditation_status)
    kind = values.get("provider_type", provider_type)

    if "operating_name" in values:
        if not values["operating_name"]:
            problems.append(Problem.of("operating_name", "operating_name_required"))
        elif len(values["operating_name"]) > MAX_TEXT_LENGTH:
            problems.append(Problem.of("operating_name", "operating_name_too_long"))
    if len(values.get("legal_name") or "") > MAX_TEXT_LENGTH:
        problems.append(Problem.of("legal_name", "legal_name_too_long"))
    if "accreditation_status" in values and status not in AccreditationStatus.values:
        problems.append(Problem.of("accreditation_status", "accreditation_status_required"))
    if "provider_type" in values:
        if kind not in ProviderType.values:
            problems.append(Problem.of("provider_type", "provider_type_required"))
        elif status in AccreditationStatus.values and kind not in TYPES_BY_STATUS[status]:
            problems.append(Problem.of("provider_type", "provider_type_not_allowed"))
    if "ukprn" in values:
        if not values["ukprn"]:
            problems.append(Problem.of("ukprn", "ukprn_required"))
        elif not is_ukprn(values["ukprn"]):
            problems.append(Problem.of("ukprn", "ukprn_invalid"))
    if "urn" in values or ("provider_type" in values and kind in TYPES_WITH_URN):
        urn = values.get("urn", "")
        if not urn and kind in TYPES_WITH_URN:
            problems.append(Problem.of("urn", "urn_required"))
        elif urn and not is_urn(urn):
            problems.append(Problem.of("urn", "urn_invalid"))
    if "code" in values:
        if not values["code"]:
            problems.append(Problem.of("code", "code_required"))
        elif not is_provider_code(values["code"]):
            problems.append(Problem.of("code", "code_invalid"))
    if "academic_years" in values and not values["academic_years"]:
        problems.append(Problem.of("academic_years", "academic_years_required"))
    return control_characters_first(values, PROVIDER_TEXT_FIELDS, problems)


# ---------------------------------------------------------------------------------------------------
# Accreditations
# ---------------------------------------------------------------------------------------------------

# The first digit of an accredited provider number says what kind of provider holds it.
ACCREDITATION_NUMBER_FORMATS = {
    ProviderType.HEI: (re.compile(r"1[0-9]{3}"), "number_invalid_hei"),
    ProviderType.SCITT: (re.compile(r"5[0-9]{3}"), "number_invalid_school"),
    ProviderType.SCHOOL: (re.compile(r"5[0-9]{3}"), "number_invalid_school"),
}
ACCREDITATION_NUMBER_FORMAT = (re.compile(r"[15][0-9]{3}"), "number_invalid")


def accreditation_number_problem(number: str, provider_type: str) -> Problem | None:
    if not number:
        return Problem.of("number", "number_required")
    pattern, code = ACCREDITATION_NUMBER_FORMATS.get(provider_type, ACCREDITATION_NUMBER_FORMAT)
    if not pattern.fullmatch(number):
        return Problem.of("number", code)
    return None


def accreditation_problems(
    values: dict, *, provider_type: str, starts_on: datetime.date | None = None
) -> list[Problem]:
    """What is wrong with the accreditation answers in `values` (only the fields given are checked)."""
    problems = []
    if "number" in values and (problem := accreditation_number_problem(values["number"], provider_type)):
        problems.append(problem)
    starts_on = values.get("starts_on", starts_on)
    if "starts_on" in values and starts_on is None:
        problems.append(Problem.of("starts_on", "starts_on_required"))
    ends_on = values.get("ends_on")
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        problems.append(Problem.of("ends_on", "ends_before_start", starts_on=starts_on))
    return control_characters_first(values, ("number",), problems)


def accreditation_is_current(starts_on: datetime.date, ends_on: datetime.date | None, day: datetime.date) -> bool:
    return starts_on <= day and (ends_on is None or ends_on >= day)


def accreditation_outcome(
    provider_type: str, periods: Iterable[tuple[datetime.date, datetime.date | None]], day: datetime.date
) -> tuple[str, str]:
    """The accreditation status and provider type a provider has on `day`, with accreditations over
    `periods` ((starts_on, ends_on) pairs): accredited while one of them is current (see `accreditation_derived`)."""
    accredited = any(accreditation_is_current(starts_on, ends_on, day) for starts_on, ends_on in periods)
    return accreditation_derived(provider_type, accredited=accredited)


# ---------------------------------------------------------------------------------------------------
# Addresses and contacts
# ---------------------------------------------------------------------------------------------------

ADDRESS_TEXT_FIELDS = ("address_line_1", "address_line_2", "address_line_3", "town_or_city", "county")
# An address's parts, in the order every form, page and import takes them.
ADDRESS_FIELDS = (*ADDRESS_TEXT_FIELDS, "postcode")
ADDRESS_REQUIRED_FIELDS = ("address_line_1", "town_or_city")


def address_problems(values: dict) -> list[Problem]:
    """What is wrong with the address answers in `values` (only the fields given are checked)."""
    problems = []
    for field in ADDRESS_TEXT_FIELDS:
        if field not in values:
            continue
        if field in ADDRESS_REQUIRED_FIELDS and not values[field]:
            problems.append(Problem.of(field, f"{field}_required"))
        elif len(values[field]) > MAX_TEXT_LENGTH:
            problems.append(Problem.of(field, f"{field}_too_long"))
    if "postcode" in values:
        if not values["postcode"]:
            problems.append(Problem.of("postcode", "postcode_required"))
        elif not is_uk_postcode(values["postcode"]):
            problems.append(Problem.of("postcode", "postcode_invalid"))
    return control_characters_first(values, (*ADDRESS_TEXT_FIELDS, "postcode"), problems)


CONTACT_TEXT_FIELDS = ("first_name", "last_name", "email", "telephone")


def contact_problems(values: dict) -> list[Problem]:
    """What is wrong with the contact answers in `values` (only the fields given are checked)."""
    problems = []
    for field in ("first_name", "last_name"):
        if field in values:
            if not values[field]:
                problems.append(Problem.of(field, f"{field}_required"))
            elif len(values[field]) > MAX_TEXT_LENGTH:
                problems.append(Problem.of(field, f"{field}_too_long"))
    if "email" in values:
        if not values["email"]:
            problems.append(Problem.of("email", "email_required"))
        elif not is_email_address(values["email"]) or len(values["email"]) > 254:
            problems.append(Problem.of("email", "email_invalid"))
    if values.get("telephone") and not is_uk_phone_number(values["telephone"]):
        problems.append(Problem.of("telephone", "telephone_invalid"))
    return control_characters_first(values, CONTACT_TEXT_FIELDS, problems)


# ---------------------------------------------------------------------------------------------------
# Partnerships
# ---------------------------------------------------------------------------------------------------


def academic_year_overlaps(start_year: int, starts_on: datetime.date, ends_on: datetime.date | None) -> bool:
    """Whether the academic year starting in `start_year` shares a day with the dates given."""
    year = AcademicYear(start_year=start_year)
    return year.ends_on >= starts_on and (ends_on is None or year.starts_on <= ends_on)


def partnership_problems(
    values: dict, *, starts_on: datetime.date | None = None, ends_on: datetime.date | None = None
) -> list[Problem]:
    """What is wrong with the partnership answers in `values` (only the fields given are checked).

    `values` may name the two providers, which must be one accredited provider and one training
    partner that is not accredited; the partners of an existing partnership never change, so
    changing one checks only its dates and academic years.
    """
    problems = []
    accredited_provider = values.get("accredited_provider")
    training_partner = values.get("training_partner")
    if "accredited_provider" in values:
        if accredited_provider is None:
            problems.append(Problem.of("accredited_provider", "accredited_provider_required"))
        elif not accredited_provider.is_accredited:
            problems.append(Problem.of("accredited_provider", "accredited_provider_not_accredited"))
    if "training_partner" in values:
        if training_partner is None:
            problems.append(Problem.of("training_partner", "training_partner_required"))
        elif training_partner.is_accredited or (
            accredited_provider is not None and training_partner.pk == accredited_provider.pk
        ):
            problems.append(Problem.of("training_partner", "training_partner_accredited"))

    starts_on = values.get("starts_on", starts_on)
    ends_on = values.get("ends_on", ends_on)
    if "starts_on" in values and starts_on is None:
        problems.append(Problem.of("starts_on", "starts_on_required"))
    dates_known = starts_on is not None and (ends_on is None or ends_on >= starts_on)
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        problems.append(Problem.of("ends_on", "ends_before_start", starts_on=starts_on))
    if "academic_years" in values:
        years = list(values["academic_years"] or ())
        if not years:
            problems.append(Problem.of("academic_years", "academic_years_required"))
        elif dates_known and not all(academic_year_overlaps(year, starts_on, ends_on) for year in years):
            problems.append(Problem.of("academic_years", "academic_years_outside_dates"))
    return problems


def start_years(years: Iterable) -> list[int]:
    """Academic years given as `AcademicYear` rows or start years, as sorted start years."""
    return sorted({year.start_year if isinstance(year, AcademicYear) else int(year) for year in years})


def accreditation_derived(provider_type: str, *, accredited: bool) -> tuple[str, str]:
    """The accreditation status and provider type that follow from whether an accreditation is current.

    A school that becomes accredited is a SCITT, and a SCITT that stops being accredited is a
    school again; the other types keep their type either way.
    """
    if accredited:
        kind = ProviderType.SCITT if provider_type == ProviderType.SCHOOL else provider_type
        return AccreditationStatus.ACCREDITED, kind
    kind = ProviderType.SCHOOL if provider_type == ProviderType.SCITT else provider_type
    return AccreditationStatus.UNACCREDITED, kind
