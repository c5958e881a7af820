import datetime

import pytest

from registry.forms import AccreditationForm
from registry.models.provider import ProviderType
from tests.factories import (
    AccreditationFactory,
    AccreditedHeiProviderFactory,
    AccreditedProviderFactory,
    ProviderFactory,
)
from tests.support.forms import date_parts, with_date_parts

pytestmark = pytest.mark.django_db

MESSAGES = AccreditationForm.error_messages


def form_for(provider, **answers):
    answers = {"number": "5606", "starts_on": "1/8/2024", "ends_on": "", **answers}
    return AccreditationForm(data=with_date_parts(answers, "starts_on", "ends_on"), provider=provider)


def test_a_complete_accreditation_is_valid():
    form = form_for(AccreditedProviderFactory(accreditation=False))

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"number": "5606", "starts_on": datetime.date(2024, 8, 1), "ends_on": None}


def test_the_wording_is_the_real_services():
    assert MESSAGES["number_required"] == "Enter an accredited provider number"
    assert MESSAGES["number_invalid_hei"] == "Enter accredited provider number in the correct format, like 1234"
    assert MESSAGES["number_invalid_school"] == "Enter accredited provider number in the correct format, like 5678"
    assert MESSAGES["number_invalid"] == (
        "Enter a valid accredited provider number - it must be 4 digits starting with a 1 or a 5"
    )
    assert MESSAGES["starts_on_required"] == "Enter accreditation start date"


def test_missing_answers():
    form = AccreditationForm(data={}, provider=AccreditedProviderFactory(accreditation=False))

    assert not form.is_valid()
    assert form.errors == {"number": [MESSAGES["number_required"]], "starts_on": [MESSAGES["starts_on_required"]]}


@pytest.mark.parametrize(
    ("provider_type", "number", "code"),
    [
        (ProviderType.HEI, "5606", "number_invalid_hei"),
        (ProviderType.HEI, "123", "number_invalid_hei"),
        (ProviderType.SCITT, "1502", "number_invalid_school"),
        (ProviderType.SCHOOL, "1502", "number_invalid_school"),
        (ProviderType.OTHER, "2502", "number_invalid"),
    ],
)
def test_the_number_message_fits_the_provider_type(provider_type, number, code):
    status = "accredited" if provider_type == ProviderType.SCITT else "unaccredited"
    provider = ProviderFactory(provider_type=provider_type, accreditation_status=status)

    form = form_for(provider, number=number)

    assert not form.is_valid()
    assert form.errors["number"] == [MESSAGES[code]]


@pytest.mark.parametrize(
    ("provider_type", "number"),
    [(ProviderType.HEI, "1502"), (ProviderType.OTHER, "1502"), (ProviderType.OTHER, "5606")],
)
def test_numbers_that_fit_the_type(provider_type, number):
    assert form_for(ProviderFactory(provider_type=provider_type), number=number).is_valid()


def test_the_hint_names_the_first_digit_for_the_type():
    hei = AccreditationForm(provider=AccreditedHeiProviderFactory(accreditation=False))
    scitt = AccreditationForm(provider=AccreditedProviderFactory(accreditation=False))

    assert "starting with ‘1’" in hei.fields["number"].help_text
    assert "starting with ‘5’" in scitt.fields["number"].help_text


def test_the_end_date_cannot_be_before_the_start_date():
    form = form_for(AccreditedProviderFactory(accreditation=False), starts_on="1/9/2024", ends_on="31/8/2024")

    assert not form.is_valid()
    assert form.errors["ends_on"] == [
        "The accreditation end date must be the same as or after 1 September 2024 when the accreditation starts"
    ]


def test_the_end_date_may_be_the_start_date():
    assert form_for(AccreditedProviderFactory(accreditation=False), starts_on="1/9/2024", ends_on="1/9/2024").is_valid()


def test_a_date_that_does_not_exist():
    form = form_for(AccreditedProviderFactory(accreditation=False), starts_on="31/2/2024")

    assert not form.is_valid()
    assert form.errors["starts_on"] == [MESSAGES["starts_on_invalid"]]


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "errors"),
    [
        ("1//2024", "", {"starts_on": ["Accreditation start date must include a month"]}),
        ("1/8/2024", "31//", {"ends_on": ["Accreditation end date must include a month and year"]}),
        ("1/8/24", "", {"starts_on": ["Year must include 4 numbers"]}),
    ],
)
def test_dates_have_the_design_systems_messages(starts_on, ends_on, errors):
    form = form_for(AccreditedProviderFactory(accreditation=False), starts_on=starts_on, ends_on=ends_on)

    assert not form.is_valid()
    assert form.errors == errors


def test_dates_are_typed_as_people_type_them():
    form = form_for(AccreditedProviderFactory(accreditation=False), starts_on=" 01 /Aug/2024", ends_on="31/July/2025")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]) == (
        datetime.date(2024, 8, 1),
        datetime.date(2025, 7, 31),
    )


def test_the_date_hints_are_the_design_systems():
    form = AccreditationForm(provider=AccreditedProviderFactory(accreditation=False))

    assert form.fields["starts_on"].help_text == "For example, 1 8 2025"
    assert form.fields["ends_on"].help_text == "For example, 31 7 2026"
    assert form["starts_on"].field.widget.input_type == "date"


def test_changing_only_the_end_date_checks_it_against_the_start_already_given():
    accreditation = AccreditationFactory(starts_on=datetime.date(2024, 9, 1))

    form = AccreditationForm(
        data=date_parts("ends_on", "1/8/2024"),
        fields=["ends_on"],
        provider=accreditation.provider,
        accreditation=accreditation,
    )

    assert not form.is_valid()
    assert "1 September 2024" in form.errors["ends_on"][0]
