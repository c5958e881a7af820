import datetime

import pytest

from registry.forms import ProviderForm
from registry.models import AcademicYear
from tests.factories import HeiProviderFactory, ProviderFactory
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.forms import date_parts
from tests.support.html import page_title, text

MESSAGES = ProviderForm.error_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return ProviderFactory(
        operating_name="Ash Tree School", code="1AB", ukprn="10012345", urn="123456", academic_years=[2024]
    )


def _answers(provider, **changes):
    answers = {
        "operating_name": provider.operating_name,
        "legal_name": provider.legal_name,
        "ukprn": provider.ukprn,
        "urn": provider.urn,
        "code": provider.code,
        "onboarded_on": provider.onboarded_on.isoformat() if provider.onboarded_on else "",
        "first_active_on": provider.first_active_on.isoformat() if provider.first_active_on else "",
        "academic_years": [year.start_year for year in provider.academic_years.all()],
    }
    return {**answers, **changes}


def test_form_is_prefilled_with_the_providers_details(administrator_client, provider):
    response = administrator_client.get(f"{provider_url('edit', provider.pk)}?new")

    assert page_title(response) == "Provider details - Change provider - Register of training providers"
    assert "Change provider - Ash Tree School" in text(response)
    form = response.context["form"]
    assert list(form.fields) == [
        "operating_name",
        "legal_name",
        "ukprn",
        "urn",
        "code",
        "onboarded_on",
        "first_active_on",
        "academic_years",
    ]
    assert form["code"].value() == "1AB"
    assert form["academic_years"].value() == [2024]


def test_change_check_and_save(administrator_client, administrator, provider):
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")
    current = AcademicYear.current_start_year()

    response = administrator_client.post(
        provider_url("edit", provider.pk),
        _answers(provider, operating_name="Ash Tree Academy", academic_years=[current]),
    )

    assert response["Location"] == provider_url("edit_check", provider.pk)
    provider.refresh_from_db()
    assert provider.operating_name == "Ash Tree School"  # nothing saved before "Save provider"

    check = administrator_client.get(provider_url("edit_check", provider.pk))
    assert page_title(check) == "Check your answers - Change provider - Register of training providers"
    assert "Operating name Ash Tree Academy Change" in text(check)
    assert f"Academic years {current} to {current + 1} Change" in text(check)
    assert f'href="{provider_url("edit", provider.pk)}#operating_name"' in check.content.decode()

    response = administrator_client.post(provider_url("edit_check", provider.pk), follow=True)

    assert response.redirect_chain[-1][0] == f"{provider_url('change', provider.pk)}#details"
    assert "Provider updated" in text(response)
    provider.refresh_from_db()
    assert provider.operating_name == "Ash Tree Academy"
    assert list(provider.academic_years.values_list("start_year", flat=True)) == [current]
    record = provider.history.first()
    assert (record.history_user, record.history_change_reason) == (administrator, "Provider updated")


def test_each_problem_is_shown_in_the_summary_and_beside_its_question(administrator_client, provider):
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")

    response = administrator_client.post(
        provider_url("edit", provider.pk),
        _answers(provider, operating_name="", ukprn="123", urn="", code="", academic_years=[]),
    )

    errors = {
        "operating_name": MESSAGES["operating_name_required"],
        "ukprn": MESSAGES["ukprn_invalid"],
        "urn": MESSAGES["urn_required"],
        "code": MESSAGES["code_required"],
        "academic_years": MESSAGES["academic_years_required"],
    }
    assert page_title(response).startswith("Error: ")
    assert error_summary(response) == list(errors.values())
    assert inline_errors(response) == errors


def test_a_code_another_provider_has_is_refused(administrator_client, provider):
    ProviderFactory(code="2CD")
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")

    response = administrator_client.post(provider_url("edit", provider.pk), _answers(provider, code="2cd"))

    assert error_summary(response) == [MESSAGES["code_taken"]]


def test_a_gap_an_import_left_does_not_stop_other_changes(administrator_client):
    provider = HeiProviderFactory(operating_name="Birch University", ukprn="", academic_years=[2024])
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")

    administrator_client.post(provider_url("edit", provider.pk), _answers(provider, operating_name="Birch Uni"))
    response = administrator_client.post(provider_url("edit_check", provider.pk), follow=True)

    assert "Provider updated" in text(response)
    provider.refresh_from_db()
    assert (provider.operating_name, provider.ukprn) == ("Birch Uni", "")


def test_answers_are_checked_again_on_save(administrator_client, provider):
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")
    administrator_client.post(provider_url("edit", provider.pk), _answers(provider, code="2CD"))
    ProviderFactory(code="2CD")  # taken meanwhile

    response = administrator_client.post(provider_url("edit_check", provider.pk))

    assert error_summary(response) == [MESSAGES["code_taken"]]
    provider.refresh_from_db()
    assert provider.code == "1AB"


def test_check_page_needs_the_form_first(administrator_client, provider):
    response = administrator_client.get(provider_url("edit_check", provider.pk))

    assert response["Location"] == provider_url("edit", provider.pk)


def test_support_viewer_may_not_change_a_provider(viewer_client, provider):
    assert viewer_client.get(f"{provider_url('edit', provider.pk)}?new").status_code == 403
    assert viewer_client.post(provider_url("edit", provider.pk), _answers(provider, code="9ZZ")).status_code == 403
    assert viewer_client.post(provider_url("edit_check", provider.pk)).status_code == 403
    provider.refresh_from_db()
    assert provider.code == "1AB"


def test_support_editor_changes_any_provider(editor_client, provider):
    editor_client.get(f"{provider_url('edit', provider.pk)}?new")
    editor_client.post(provider_url("edit", provider.pk), _answers(provider, legal_name="Ash Tree Trust"))

    response = editor_client.post(provider_url("edit_check", provider.pk), follow=True)

    assert "Provider updated" in text(response)
    provider.refresh_from_db()
    assert provider.legal_name == "Ash Tree Trust"


def test_the_dates_adding_a_provider_does_not_ask_are_given_here(administrator_client):
    provider = HeiProviderFactory(operating_name="Birch University", onboarded_on=None, first_active_on=None)
    page = administrator_client.get(provider_url("change", provider.pk)).content.decode()
    assert f'href="{provider_url("edit", provider.pk)}?new#onboarded_on"' in page
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")

    administrator_client.post(
        provider_url("edit", provider.pk),
        {**_answers(provider), **date_parts("onboarded_on", "3/9/2025"), **date_parts("first_active_on", "")},
    )
    check = text(administrator_client.get(provider_url("edit_check", provider.pk)))
    response = administrator_client.post(provider_url("edit_check", provider.pk), follow=True)

    assert "Date onboarded 3 September 2025 Change" in check
    assert "Date first active Not entered Change" in check
    assert "Date onboarded 3 September 2025" in text(response)
    provider.refresh_from_db()
    assert (provider.onboarded_on, provider.first_active_on) == (datetime.date(2025, 9, 3), None)
