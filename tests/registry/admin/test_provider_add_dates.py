"""Add provider's first questions, when the provider onboarded and first became active, and what
check your answers makes of them: the dates, the academic years they give, and Change links back."""

import datetime

import pytest
from django.utils import timezone

from registry.formats import format_govuk_date
from registry.forms import ProviderForm
from registry.models import AcademicYear, Provider
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.registry.admin.test_provider_add import (
    ADDRESS,
    DETAILS,
    _add_school,
    _answer,
    _dates,
    _first_active,
    _onboarded,
    _start,
)
from tests.support.html import page_title, text

MESSAGES = ProviderForm.error_messages

pytestmark = pytest.mark.django_db


def _years(first: int) -> str:
    return ", ".join(str(AcademicYear(start_year=year)) for year in range(first, AcademicYear.current_start_year() + 1))


def test_the_first_question_is_when_the_provider_onboarded(administrator_client):
    today = timezone.localdate()

    response = administrator_client.get(f"{provider_url('add')}?new")

    assert page_title(response) == "When did the provider onboard? - Add provider - Register of training providers"
    yesterday = format_govuk_date(today - datetime.timedelta(days=1))
    assert (
        f"Add provider When did the provider onboard? Today {format_govuk_date(today)} Yesterday {yesterday} "
        "Another day Date onboarded For example, 27 3 2025 Day Month Year Continue Cancel"
    ) in text(response)
    # The date boxes are revealed by "Another day", and the question is the page's heading.
    html = response.content.decode()
    assert 'data-aria-controls="id_onboarded_2-conditional"' in html
    assert '<div class="app-radios__conditional" id="id_onboarded_2-conditional"' in html
    assert '<h1 class="app-heading">When did the provider onboard?</h1>' in html


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({}, MESSAGES["onboarded_when_required"]),
        (_onboarded("another_day", ""), MESSAGES["onboarded_on_required"]),
        (_onboarded("another_day", "31/2/2025"), MESSAGES["onboarded_on_invalid"]),
        (_onboarded("another_day", "3//2025"), "Date onboarded must include a month"),
        (_onboarded("another_day", "3/9/25"), "Year must include 4 numbers"),
    ],
)
def test_when_the_provider_onboarded_must_be_answered(administrator_client, answer, message):
    administrator_client.get(f"{provider_url('add')}?new")

    response = administrator_client.post(provider_url("add"), answer)

    assert page_title(response).startswith("Error: ")
    assert error_summary(response) == [message]
    field = "onboarded" if not answer else "onboarded_on"
    assert inline_errors(response) == {field: message}


def test_a_provider_cannot_onboard_in_the_future(administrator_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    administrator_client.get(f"{provider_url('add')}?new")

    response = administrator_client.post(provider_url("add"), _onboarded("another_day", tomorrow))

    assert error_summary(response) == ["Date onboarded must be today or in the past"]


def test_what_the_date_boxes_hold_does_not_count_unless_another_day_is_chosen(administrator_client):
    administrator_client.get(f"{provider_url('add')}?new")

    location = _answer(administrator_client, "", _onboarded("yesterday", "31/2/2025"))

    assert location == provider_url("add_first-active")


def test_first_active_offers_the_day_the_provider_onboarded(administrator_client):
    administrator_client.get(f"{provider_url('add')}?new")
    _answer(administrator_client, "", _onboarded("another_day", "3/9/2025"))

    response = administrator_client.get(provider_url("add_first-active"))

    assert page_title(response) == (
        "When did the provider first become active? - Add provider - Register of training providers"
    )
    assert (
        "Add provider When did the provider first become active? Same as onboarded at date, 3 September 2025 "
        "Another day Date first active"
    ) in text(response)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({}, MESSAGES["first_active_when_required"]),
        (_first_active("another_day", ""), MESSAGES["first_active_on_required"]),
        (_first_active("another_day", "30/2/2024"), MESSAGES["first_active_on_invalid"]),
    ],
)
def test_when_the_provider_first_became_active_must_be_answered(administrator_client, answer, message):
    administrator_client.get(f"{provider_url('add')}?new")
    _answer(administrator_client, "", _onboarded())

    response = administrator_client.post(provider_url("add_first-active"), answer)

    assert error_summary(response) == [message]


def test_first_active_may_be_before_onboarding_but_not_after_next_academic_year(administrator_client):
    last_day = AcademicYear(start_year=AcademicYear.current_start_year() + 1).ends_on
    administrator_client.get(f"{provider_url('add')}?new")
    _answer(administrator_client, "", _onboarded())

    too_late = administrator_client.post(
        provider_url("add_first-active"), _first_active("another_day", last_day + datetime.timedelta(days=1))
    )
    assert error_summary(too_late) == [f"Date first active must be on or before {format_govuk_date(last_day)}"]

    assert _answer(administrator_client, "first-active", _first_active("another_day", "4/9/2023")) == provider_url(
        "add_accredited"
    )


def test_check_your_answers_shows_the_dates_and_the_academic_years_they_give(administrator_client):
    _start(
        administrator_client,
        onboarded=_onboarded("another_day", "3/9/2025"),
        first_active=_first_active("another_day", "4/9/2023"),
    )
    _answer(administrator_client, "details", DETAILS)
    _answer(administrator_client, "address", ADDRESS)

    check = administrator_client.get(provider_url("add_check"))

    page = text(check)
    assert (
        "Date onboarded 3 September 2025 Change Date onboarded "
        "Date first active 4 September 2023 Change Date first active "
        f"Academic years {_years(2023)} Change Academic years Is the provider accredited? No Change"
    ) in page
    html = check.content.decode()
    assert f'href="{provider_url("add")}#onboarded"' in html
    assert f'href="{provider_url("add_first-active")}#first_active"' in html
    assert f'href="{provider_url("add_academic-years")}#academic_years"' in html
    # The radios' own answers ("Another day") are not rows of their own.
    assert "Another day" not in page


def test_changing_the_first_active_date_changes_the_academic_years(administrator_client):
    _add_school(administrator_client)
    assert f"Academic years {_years(AcademicYear.current_start_year())}" in text(
        administrator_client.get(provider_url("add_check"))
    )

    form = administrator_client.get(provider_url("add_first-active"))
    assert 'value="same" id="id_first_active_0" class="app-radios__input" checked' in form.content.decode()
    location = _answer(administrator_client, "first-active", _first_active("another_day", "1/9/2024"))

    assert location == provider_url("add_check")
    assert f"Date first active 1 September 2024 Change Date first active Academic years {_years(2024)} Change" in text(
        administrator_client.get(provider_url("add_check"))
    )


def test_first_active_on_the_day_it_onboarded_follows_a_changed_onboarding_date(administrator_client):
    _add_school(administrator_client)

    location = _answer(administrator_client, "", _onboarded("another_day", "2/9/2024"))

    assert location == provider_url("add_check")
    page = text(administrator_client.get(provider_url("add_check")))
    assert "Date onboarded 2 September 2024 Change Date onboarded Date first active 2 September 2024" in page


def test_the_provider_is_saved_with_its_dates_academic_years_address_and_dated_rotp_id(administrator_client):
    _start(
        administrator_client,
        status="accredited",
        kind="hei",
        onboarded=_onboarded("another_day", "3/9/2025"),
        first_active=_first_active("another_day", "4/9/2023"),
    )
    _answer(administrator_client, "details", {**DETAILS, "urn": ""})
    _answer(
        administrator_client,
        "accreditation",
        {"number": "1234", "starts_on-day": "1", "starts_on-month": "8", "starts_on-year": "2023"},
    )
    _answer(administrator_client, "address", ADDRESS)

    response = administrator_client.post(provider_url("add_check"), follow=True)

    provider = Provider.objects.get()
    assert (provider.onboarded_on, provider.first_active_on) == (datetime.date(2025, 9, 3), datetime.date(2023, 9, 4))
    assert provider.register_id.startswith("RoTP-25")
    assert provider.register_id.endswith("09")
    assert sorted(provider.academic_years.values_list("start_year", flat=True)) == list(
        range(2023, AcademicYear.current_start_year() + 1)
    )
    assert provider.is_accredited
    assert provider.addresses.get().postcode == "N13 6BY"
    page = text(response)
    assert "Provider added" in page
    assert "Date onboarded 3 September 2025" in page
    assert "1 Tile Kiln Lane" in page


def test_a_today_answer_is_dated_today(administrator_client):
    _dates(administrator_client)
    _answer(administrator_client, "accredited", {"accreditation_status": "unaccredited"})

    _answer(administrator_client, "type", {"provider_type": "school"})
    _answer(administrator_client, "details", DETAILS)
    _answer(administrator_client, "address", ADDRESS)
    administrator_client.post(provider_url("add_check"))

    provider = Provider.objects.get()
    assert provider.onboarded_on == provider.first_active_on == timezone.localdate()


def test_the_academic_years_are_not_asked_on_the_way(administrator_client):
    _dates(administrator_client, first_active=_first_active("another_day", "4/9/2023"))

    accredited = administrator_client.get(provider_url("add_accredited"))

    assert f'href="{provider_url("add_first-active")}">Back</a>' in accredited.content.decode()


def test_the_academic_years_can_be_chosen_from_check_your_answers(administrator_client):
    current = AcademicYear.current_start_year()
    _start(administrator_client, first_active=_first_active("another_day", "4/9/2023"))
    _answer(administrator_client, "details", DETAILS)
    _answer(administrator_client, "address", ADDRESS)

    page = administrator_client.get(provider_url("add_academic-years"))

    assert page_title(page) == "Academic years - Add provider - Register of training providers"
    html = page.content.decode()
    assert '<h1 class="app-heading">Academic years</h1>' in html
    assert f'href="{provider_url("add_check")}">Back</a>' in html
    assert "Select all that apply" in text(page)
    assert page.context["form"]["academic_years"].value() == list(range(2023, current + 1))

    assert error_summary(administrator_client.post(provider_url("add_academic-years"), {})) == [
        MESSAGES["academic_years_required"]
    ]
    location = _answer(administrator_client, "academic-years", {"academic_years": [current - 1, current]})
    assert location == provider_url("add_check")
    assert f"Academic years {_years(current - 1)} Change" in text(administrator_client.get(provider_url("add_check")))

    # Another answer changed keeps the years chosen; a new first active date works them out again.
    _answer(administrator_client, "details", {**DETAILS, "operating_name": "Birch School"})
    assert f"Academic years {_years(current - 1)} Change" in text(administrator_client.get(provider_url("add_check")))
    administrator_client.post(provider_url("add_check"))
    provider = Provider.objects.get()
    assert sorted(provider.academic_years.values_list("start_year", flat=True)) == [current - 1, current]


def test_a_new_first_active_date_works_the_academic_years_out_again(administrator_client):
    current = AcademicYear.current_start_year()
    _add_school(administrator_client)
    _answer(administrator_client, "academic-years", {"academic_years": [2019, current]})

    _answer(administrator_client, "first-active", _first_active("another_day", "4/9/2023"))

    assert f"Academic years {_years(2023)} Change" in text(administrator_client.get(provider_url("add_check")))
