import datetime

import pytest

from registry.forms import PartnershipForm
from tests.factories import AccreditedProviderFactory, PartnershipFactory, ProviderFactory
from tests.support.forms import date_parts, with_date_parts

pytestmark = pytest.mark.django_db

MESSAGES = PartnershipForm.error_messages


def answers(partner, **changes):
    """The answers as posted: dates ("1/8/2024") in the date input's day, month and year boxes."""
    answers = {"partner": str(partner.pk), "starts_on": "1/8/2024", "ends_on": "", "academic_years": ["2024", "2025"]}
    return with_date_parts({**answers, **changes}, "starts_on", "ends_on")


def test_an_accredited_providers_partner_is_the_training_partner():
    accredited, school = AccreditedProviderFactory(), ProviderFactory()

    form = PartnershipForm(data=answers(school), provider=accredited)

    assert form.is_valid(), form.errors
    assert form.answers() == {
        "accredited_provider": accredited,
        "training_partner": school,
        "starts_on": datetime.date(2024, 8, 1),
        "ends_on": None,
        "academic_years": [2024, 2025],
    }


def test_a_training_partners_partner_is_the_accredited_provider():
    accredited, school = AccreditedProviderFactory(), ProviderFactory()

    form = PartnershipForm(data=answers(accredited), provider=school)

    assert form.is_valid(), form.errors
    assert form.answers()["accredited_provider"] == accredited
    assert form.answers()["training_partner"] == school


def test_missing_answers_have_the_real_services_messages():
    accredited_side = PartnershipForm(data={}, provider=AccreditedProviderFactory())
    partner_side = PartnershipForm(data={}, provider=ProviderFactory())

    assert not accredited_side.is_valid()
    assert accredited_side.errors == {
        "partner": ["Enter training partner name, code, UKPRN or URN"],
        "starts_on": ["Enter date the partnership started"],
        "academic_years": ["Select academic year"],
    }
    assert not partner_side.is_valid()
    assert partner_side.errors["partner"] == ["Enter accredited provider name, code, UKPRN or URN"]


def test_only_providers_on_the_other_side_are_offered():
    accredited, other_accredited, school = AccreditedProviderFactory(), AccreditedProviderFactory(), ProviderFactory()
    archived = ProviderFactory(archived=True)

    offered = set(PartnershipForm(provider=accredited).fields["partner"].queryset)

    assert school in offered
    assert other_accredited not in offered
    assert archived not in offered
    assert accredited not in offered
    assert not PartnershipForm(data=answers(other_accredited), provider=accredited).is_valid()


def test_the_end_date_cannot_be_before_the_start_date():
    accredited, school = AccreditedProviderFactory(), ProviderFactory()

    form = PartnershipForm(data=answers(school, ends_on="31/7/2024"), provider=accredited)

    assert not form.is_valid()
    assert form.errors["ends_on"] == [MESSAGES["ends_before_start"] % {"starts_on": "1 August 2024"}]


def test_academic_years_must_be_within_the_dates():
    accredited, school = AccreditedProviderFactory(), ProviderFactory()

    form = PartnershipForm(
        data=answers(school, ends_on="31/7/2025", academic_years=["2024", "2025"]), provider=accredited
    )

    assert not form.is_valid()
    assert form.errors["academic_years"] == [MESSAGES["academic_years_outside_dates"]]


def test_changing_a_partnership_asks_only_for_dates_and_years():
    partnership = PartnershipFactory()

    form = PartnershipForm(
        data={**date_parts("starts_on", "1/8/2025"), "academic_years": ["2025"]},
        provider=partnership.accredited_provider,
        partnership=partnership,
    )

    assert "partner" not in form.fields
    assert form.is_valid(), form.errors
    assert form.answers() == {"starts_on": datetime.date(2025, 8, 1), "ends_on": None, "academic_years": [2025]}


def test_the_academic_year_choices_run_to_next_year_and_say_which_is_current():
    choices = dict(PartnershipForm(provider=ProviderFactory()).fields["academic_years"].choices)

    current = datetime.date.today().year if datetime.date.today().month >= 8 else datetime.date.today().year - 1
    assert choices[current] == f"{current} to {current + 1} - current"
    assert choices[current + 1].endswith(" - next")
    assert choices[current - 1].endswith(" - last")
    assert min(choices) == 2019


def test_an_incomplete_date_is_named_as_the_question_names_it():
    accredited, school = AccreditedProviderFactory(), ProviderFactory()

    form = PartnershipForm(data=answers(school, starts_on="/8/2024", ends_on="31/7/"), provider=accredited)

    assert not form.is_valid()
    assert form.errors["starts_on"] == ["Partnership start date must include a day"]
    assert form.errors["ends_on"] == ["Partnership end date must include a year"]
