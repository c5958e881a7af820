"""The GOV.UK date field: what people type into its three boxes, and the Design System's messages
(and their codes) for what cannot be a date; the register's DateField built on it."""

import datetime

import pytest
from django import forms

from registry.forms.base import DateField
from registry.pages.dates import DateInput, DateParts, GovukDateField
from tests.registry.pages.date_forms import AUGUST_1, StartForm
from tests.support.forms import date_parts


def cleaned(value: str, name: str = "starts_on", **other):
    """The form's answer for `name` typed as "day/month/year", or its errors as (message, code) pairs."""
    form = StartForm(data={**date_parts(name, value), **other})
    if form.is_valid():
        return form.cleaned_data[name]
    return [(error["message"], error["code"]) for error in form.errors.get_json_data()[name]]


def error_parts(value: str, name: str = "starts_on") -> set[str]:
    form = StartForm(data=date_parts(name, value))
    form.is_valid()
    return set(form.fields[name].widget.error_parts)


# What people type ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("1", "8", "2025"),
        ("01", "08", "2025"),
        (" 1 ", " 8 ", " 2025 "),
        ("1", "aug", "2025"),
        ("1", "Aug", "2025"),
        ("1", "AUGUST", "2025"),
        ("1", "August", "2025"),
        ("1.", "Aug.", "2025."),
        ("0 1", "0 8", "20 25"),
        ("\t1", "8\n", "2025"),
    ],
)
def test_what_people_type(day, month, year):
    form = StartForm(data={"starts_on-day": day, "starts_on-month": month, "starts_on-year": year})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == AUGUST_1


@pytest.mark.parametrize(
    ("month", "number"),
    [
        ("January", 1),
        ("feb", 2),
        ("Mar", 3),
        ("april", 4),
        ("May", 5),
        ("jun", 6),
        ("July", 7),
        ("sep", 9),
        ("Sept", 9),
        ("sept.", 9),
        ("September", 9),
        ("oct", 10),
        ("November", 11),
        ("dec", 12),
    ],
)
def test_a_month_by_name_or_its_abbreviation(month, number):
    assert cleaned(f"1/{month}/2025") == datetime.date(2025, number, 1)


def test_the_last_day_of_a_leap_february():
    assert cleaned("29/2/2024") == datetime.date(2024, 2, 29)


# The Design System's messages ---------------------------------------------------------------------


def test_nothing_entered_is_the_forms_required_message():
    assert cleaned("") == [("Enter accreditation start date", "required")]
    assert error_parts("") == {"day", "month", "year"}


def test_an_optional_date_left_empty_is_none():
    assert cleaned("", name="ends_on", **date_parts("starts_on", "1/8/2025")) is None
    form = StartForm(data={**date_parts("starts_on", AUGUST_1)})
    assert form.is_valid()
    assert form.cleaned_data["ends_on"] is None


@pytest.mark.parametrize(
    ("typed", "message", "parts"),
    [
        ("/8/2025", "Accreditation start date must include a day", {"day"}),
        ("1//2025", "Accreditation start date must include a month", {"month"}),
        ("1/8/", "Accreditation start date must include a year", {"year"}),
        ("//2025", "Accreditation start date must include a day and month", {"day", "month"}),
        ("/8/", "Accreditation start date must include a day and year", {"day", "year"}),
        ("1//", "Accreditation start date must include a month and year", {"month", "year"}),
        (" / /2025", "Accreditation start date must include a day and month", {"day", "month"}),
    ],
)
def test_an_incomplete_date_says_what_is_missing(typed, message, parts):
    assert cleaned(typed) == [(message, "incomplete")]
    assert error_parts(typed) == parts


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("31/2/2025", {"day", "month", "year"}),
        ("29/2/2025", {"day", "month", "year"}),
        ("32/8/2025", {"day"}),
        ("0/8/2025", {"day"}),
        ("first/8/2025", {"day"}),
        ("1/13/2025", {"month"}),
        ("1/0/2025", {"month"}),
        ("1/augus/2025", {"month"}),
        ("1/8/20x5", {"year"}),
        ("1/8/0000", {"day", "month", "year"}),
        ("32/13/2025", {"day", "month"}),
        ("1/-8/2025", {"month"}),
        ("１/8/2025", {"day"}),
    ],
)
def test_a_date_that_cannot_be_real(typed, parts):
    assert cleaned(typed) == [("Accreditation start date must be a real date", "invalid")]
    assert error_parts(typed) == parts


@pytest.mark.parametrize("year", ["25", "225", "02025", "20255"])
def test_the_year_must_have_4_numbers(year):
    assert cleaned(f"1/8/{year}") == [("Year must include 4 numbers", "year_length")]
    assert error_parts(f"1/8/{year}") == {"year"}


def test_the_noun_comes_from_the_label_without_optional_when_no_invalid_message_names_it():
    assert cleaned("1//", name="ends_on", **date_parts("starts_on", AUGUST_1)) == [
        ("Accreditation end date must include a month and year", "incomplete")
    ]
    assert cleaned("31/2/2025", name="ends_on", **date_parts("starts_on", AUGUST_1)) == [
        ("Accreditation end date must be a real date", "invalid")
    ]


def test_a_noun_of_its_own_and_the_default_required_message():
    field = GovukDateField(label="When did it start?", noun="Start date")

    with pytest.raises(forms.ValidationError) as required:
        field.clean(DateParts())
    with pytest.raises(forms.ValidationError) as incomplete:
        field.clean(DateParts("1", "", "2025"))

    assert required.value.messages == ["Enter start date"]
    assert incomplete.value.messages == ["Start date must include a month"]


def test_a_form_may_reword_any_message_and_keep_its_code():
    field = GovukDateField(
        label="Date of birth",
        error_messages={"incomplete_month": "Tell us the month you were born", "year_length": "Use 4 numbers"},
    )

    with pytest.raises(forms.ValidationError) as incomplete:
        field.clean(DateParts("1", "", "1990"))
    with pytest.raises(forms.ValidationError) as year:
        field.clean(DateParts("1", "8", "90"))

    assert (incomplete.value.messages, incomplete.value.code) == (["Tell us the month you were born"], "incomplete")
    assert (year.value.messages, year.value.code) == (["Use 4 numbers"], "year_length")


def test_a_rule_about_the_whole_date_marks_all_three_boxes():
    class PastForm(forms.Form):
        day = GovukDateField(label="Day", validators=[dates_in_the_past])

    form = PastForm(data=date_parts("day", "1/1/2999"))

    assert not form.is_valid()
    assert form.errors["day"] == ["Day must be in the past"]
    assert form.fields["day"].widget.error_parts == {"day", "month", "year"}


def dates_in_the_past(value):
    if value > datetime.date.today():
        raise forms.ValidationError("Day must be in the past", code="in_future")


# The register's DateField ---------------------------------------------------------------------


def test_the_registers_date_field_is_required_when_it_has_a_required_message():
    required = DateField(label="Start date", required_message="Enter start date", invalid_message="Start date bad")
    optional = DateField(label="End date (optional)", invalid_message="End date must be a real date")

    assert isinstance(required.widget, DateInput)
    assert required.required
    assert not optional.required
    assert optional.clean(DateParts()) is None
    with pytest.raises(forms.ValidationError, match="Enter start date"):
        required.clean(DateParts())
    with pytest.raises(forms.ValidationError, match="End date must include a day"):
        optional.clean(DateParts("", "8", "2025"))
