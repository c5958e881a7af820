"""The register's format rules and derived values, without the database."""

import datetime

import pytest

from registry.models.provider import AccreditationStatus, ProviderType
from registry.validators import (
    academic_year_overlaps,
    accreditation_derived,
    accreditation_is_current,
    accreditation_number_problem,
    is_email_address,
    is_provider_code,
    is_uk_phone_number,
    is_uk_postcode,
    is_ukprn,
    is_urn,
    normalise_postcode,
    normalise_provider_code,
    provider_problems,
)


@pytest.mark.parametrize("value", ["10045988", "12345678", "77336264"])
def test_a_ukprn_is_8_digits(value):
    assert is_ukprn(value)


@pytest.mark.parametrize("value", ["1004598", "100459881", "1004598A", " 10045988", ""])
def test_anything_else_is_not_a_ukprn(value):
    assert not is_ukprn(value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("13379", True), ("133790", True), ("1337", False), ("1337900", False), ("0", False), ("13379A", False)],
)
def test_a_urn_is_5_or_6_digits(value, valid):
    assert is_urn(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"), [("T92", True), ("1q6", True), ("2A", False), ("2A2B", False), ("2A-", False)]
)
def test_a_provider_code_is_3_letters_or_digits(value, valid):
    assert is_provider_code(value) is valid


def test_provider_codes_are_kept_upper_case():
    assert normalise_provider_code(" 1q6 ") == "1Q6"


@pytest.mark.parametrize(
    "value", ["N13 6BY", "n136by", "SW1A 1AA", "EC1A 1BB", "W12 7TF", "B73 6AZ", "GIR 0AA", " sy3   9ee "]
)
def test_full_uk_postcodes(value):
    assert is_uk_postcode(value)


@pytest.mark.parametrize("value", ["SY3 9E", "SY3", "VV10 8NZ", "WS10 ODR", "IP28 7JX.", "Surrey", "", "12345"])
def test_things_that_are_not_full_uk_postcodes(value):
    assert not is_uk_postcode(value)


@pytest.mark.parametrize(
    ("value", "normalised"), [("n136by", "N13 6BY"), ("  sw1a   1aa ", "SW1A 1AA"), ("GIR0AA", "GIR 0AA")]
)
def test_postcodes_are_upper_case_with_one_space(value, normalised):
    assert normalise_postcode(value) == normalised


@pytest.mark.parametrize(
    "value",
    [
        "name@example.com",
        "first.last+tag@sub.example.co.uk",
        "o'brien@example.org",
        "name@xn--bcher-kva.example",
        "name@bücher.example",
        " name@example.com\u200b",
    ],
)
def test_email_addresses_notify_sends_to(value):
    assert is_email_address(value)


@pytest.mark.parametrize(
    "value",
    [
        "name",
        "name@",
        "@example.com",
        "name@example",
        "name@@example.com",
        "name..dot@example.com",
        "name@example..com",
        "name@example.c",
        "name@-example.com",
        "na me@example.com",
        'quoted"@example.com',
        "name;x@example.com",
        "name@example.123",
        "name@" + "a" * 64 + ".com",
    ],
)
def test_email_addresses_notify_refuses(value):
    assert not is_email_address(value)


@pytest.mark.parametrize(
    "value",
    [
        "01632 960 001",
        "07700 900 982",
        "+44 808 157 0192",
        "01632960001",
        "(01632) 960001",
        "020 7946 0000",
        "+44 (0)20 7946 0000",
        "01632 960 001 ext 123".replace(" ext ", " ext"),
    ],
)
def test_uk_phone_numbers(value):
    assert is_uk_phone_number(value)


@pytest.mark.parametrize("value", ["12345", "+1 202 555 0143", "phone", "0800", "01632 960 001 1", ""])
def test_things_that_are_not_uk_phone_numbers(value):
    assert not is_uk_phone_number(value)


@pytest.mark.parametrize(
    ("number", "provider_type", "code"),
    [
        ("1234", ProviderType.HEI, None),
        ("5678", ProviderType.HEI, "number_invalid_hei"),
        ("5678", ProviderType.SCITT, None),
        ("5678", ProviderType.SCHOOL, None),
        ("1234", ProviderType.SCITT, "number_invalid_school"),
        ("1234", ProviderType.SCHOOL, "number_invalid_school"),
        ("1234", ProviderType.OTHER, None),
        ("5678", ProviderType.OTHER, None),
        ("2345", ProviderType.OTHER, "number_invalid"),
        ("123", ProviderType.HEI, "number_invalid_hei"),
        ("12345", ProviderType.OTHER, "number_invalid"),
        ("", ProviderType.HEI, "number_required"),
    ],
)
def test_accreditation_numbers_start_with_the_digit_for_the_provider_type(number, provider_type, code):
    problem = accreditation_number_problem(number, provider_type)

    assert (problem.code if problem else None) == code


@pytest.mark.parametrize(
    ("provider_type", "accredited", "derived"),
    [
        (ProviderType.SCHOOL, True, (AccreditationStatus.ACCREDITED, ProviderType.SCITT)),
        (ProviderType.SCITT, False, (AccreditationStatus.UNACCREDITED, ProviderType.SCHOOL)),
        (ProviderType.SCITT, True, (AccreditationStatus.ACCREDITED, ProviderType.SCITT)),
        (ProviderType.SCHOOL, False, (AccreditationStatus.UNACCREDITED, ProviderType.SCHOOL)),
        (ProviderType.HEI, True, (AccreditationStatus.ACCREDITED, ProviderType.HEI)),
        (ProviderType.HEI, False, (AccreditationStatus.UNACCREDITED, ProviderType.HEI)),
        (ProviderType.OTHER, True, (AccreditationStatus.ACCREDITED, ProviderType.OTHER)),
        (ProviderType.OTHER, False, (AccreditationStatus.UNACCREDITED, ProviderType.OTHER)),
    ],
)
def test_accreditation_decides_status_and_flips_school_and_scitt(provider_type, accredited, derived):
    assert accreditation_derived(provider_type, accredited=accredited) == derived


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "current"),
    [
        (datetime.date(2024, 8, 1), None, True),
        (datetime.date(2025, 1, 10), None, True),
        (datetime.date(2025, 1, 11), None, False),
        (datetime.date(2024, 8, 1), datetime.date(2025, 1, 10), True),
        (datetime.date(2024, 8, 1), datetime.date(2025, 1, 9), False),
    ],
)
def test_an_accreditation_is_current_from_its_start_to_its_end_inclusive(starts_on, ends_on, current):
    assert accreditation_is_current(starts_on, ends_on, datetime.date(2025, 1, 10)) is current


@pytest.mark.parametrize(("start_year", "overlaps"), [(2023, False), (2024, True), (2025, True), (2026, False)])
def test_academic_years_overlapping_dates(start_year, overlaps):
    starts_on, ends_on = datetime.date(2024, 9, 1), datetime.date(2025, 8, 1)

    assert academic_year_overlaps(start_year, starts_on, ends_on) is overlaps


def test_open_ended_dates_overlap_every_later_year():
    assert academic_year_overlaps(2040, datetime.date(2024, 8, 1), None)
    assert not academic_year_overlaps(2023, datetime.date(2024, 8, 1), None)


@pytest.mark.parametrize(
    ("status", "provider_type", "allowed"),
    [
        ("accredited", "hei", True),
        ("accredited", "scitt", True),
        ("accredited", "other", True),
        ("accredited", "school", False),
        ("unaccredited", "hei", True),
        ("unaccredited", "school", True),
        ("unaccredited", "other", True),
        ("unaccredited", "scitt", False),
    ],
)
def test_provider_types_allowed_for_each_accreditation_status(status, provider_type, allowed):
    problems = provider_problems({"accreditation_status": status, "provider_type": provider_type, "urn": "133790"})

    assert (not problems) is allowed


def test_only_the_answers_given_are_checked():
    assert provider_problems({"legal_name": "Oakthorpe Primary School"}) == []
