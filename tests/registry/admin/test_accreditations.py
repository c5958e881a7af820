import datetime

import pytest

from registry.forms import AccreditationForm
from registry.models import Accreditation
from tests.factories import AccreditationFactory, AccreditedHeiProviderFactory, ProviderFactory
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.html import page_title, text

MESSAGES = AccreditationForm.error_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return AccreditedHeiProviderFactory(operating_name="Birch University", accreditation=False)


@pytest.fixture
def accreditation(provider):
    return AccreditationFactory(provider=provider, number="1234", starts_on=datetime.date(2024, 8, 1))


def test_add_check_and_save(administrator_client, administrator, provider):
    form = administrator_client.get(f"{provider_url('accreditation_add', provider.pk)}?new")
    assert page_title(form) == "Accreditation details - Add accreditation - Register of training providers"
    assert "Add accreditation - Birch University Accreditation details" in text(form)

    response = administrator_client.post(
        provider_url("accreditation_add", provider.pk),
        {"number": "1555", "starts_on": "1/8/2025", "ends_on": "31/7/2026"},
    )
    assert response["Location"] == provider_url("accreditation_add_check", provider.pk)
    check = administrator_client.get(response["Location"])
    assert page_title(check) == "Check your answers - Add accreditation - Register of training providers"
    assert "Accredited provider number 1555 Change" in text(check)
    assert "Accreditation end date 31 July 2026 Change" in text(check)
    assert f'href="{provider_url("accreditation_add", provider.pk)}#starts_on"' in check.content.decode()

    response = administrator_client.post(provider_url("accreditation_add_check", provider.pk), follow=True)

    assert response.redirect_chain[-1][0] == provider_url("change", provider.pk)
    assert "Accreditation added" in text(response)
    added = provider.accreditations.get()
    assert (added.number, added.ends_on) == ("1555", datetime.date(2026, 7, 31))
    assert added.history.get().history_user == administrator


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"number": MESSAGES["number_required"], "starts_on": MESSAGES["starts_on_required"]}),
        (
            {"number": "5123", "starts_on": "1/13/2024", "ends_on": "32/1/2025"},
            {
                "number": MESSAGES["number_invalid_hei"],
                "starts_on": MESSAGES["starts_on_invalid"],
                "ends_on": MESSAGES["ends_on_invalid"],
            },
        ),
        (
            {"number": "1234", "starts_on": "1/9/2024", "ends_on": "1/8/2024"},
            {
                "ends_on": "The accreditation end date must be the same as or after 1 September 2024 when the "
                "accreditation starts"
            },
        ),
    ],
)
def test_each_problem_is_shown_in_the_summary_and_beside_its_question(administrator_client, provider, data, errors):
    administrator_client.get(f"{provider_url('accreditation_add', provider.pk)}?new")

    response = administrator_client.post(provider_url("accreditation_add", provider.pk), data)

    assert page_title(response).startswith("Error: ")
    assert error_summary(response) == list(errors.values())
    assert inline_errors(response) == errors


def test_change_check_and_save(administrator_client, provider, accreditation):
    form = administrator_client.get(f"{provider_url('accreditation_edit', provider.pk, accreditation.pk)}?new")
    assert form.context["form"]["number"].value() == "1234"
    assert form.context["form"]["starts_on"].value() == "1/8/2024"

    administrator_client.post(
        provider_url("accreditation_edit", provider.pk, accreditation.pk),
        {"number": "1234", "starts_on": "1/8/2024", "ends_on": "31/7/2027"},
    )
    check = administrator_client.get(provider_url("accreditation_edit_check", provider.pk, accreditation.pk))
    assert "Accreditation end date 31 July 2027" in text(check)
    response = administrator_client.post(
        provider_url("accreditation_edit_check", provider.pk, accreditation.pk), follow=True
    )

    assert "Accreditation updated" in text(response)
    accreditation.refresh_from_db()
    assert accreditation.ends_on == datetime.date(2027, 7, 31)


def test_delete(administrator_client, provider, accreditation):
    confirmation = administrator_client.get(provider_url("accreditation_delete", provider.pk, accreditation.pk))
    assert page_title(confirmation) == "Confirm you want to delete accreditation - Register of training providers"
    assert "Confirm you want to delete accreditation 1234" in text(confirmation)
    assert "Deleting an accreditation is permanent – you cannot undo it." in text(confirmation)

    response = administrator_client.post(
        provider_url("accreditation_delete", provider.pk, accreditation.pk), follow=True
    )

    assert "Accreditation deleted" in text(response)
    assert "There are no accreditations for Birch University." in text(response)
    assert not Accreditation.objects.kept().filter(pk=accreditation.pk).exists()
    provider.refresh_from_db()
    assert not provider.is_accredited  # its status follows its accreditations


def test_a_record_is_found_only_under_its_own_provider(administrator_client, accreditation):
    other = ProviderFactory()

    url = provider_url("accreditation_delete", other.pk, accreditation.pk)

    assert administrator_client.get(url).status_code == 404
    assert administrator_client.post(url).status_code == 404


def test_support_viewer_may_not_add_change_or_delete(viewer_client, provider, accreditation):
    assert viewer_client.get(f"{provider_url('accreditation_add', provider.pk)}?new").status_code == 403
    assert viewer_client.post(provider_url("accreditation_add_check", provider.pk)).status_code == 403
    assert (
        viewer_client.post(
            provider_url("accreditation_edit", provider.pk, accreditation.pk), {"number": "1999"}
        ).status_code
        == 403
    )
    assert viewer_client.post(provider_url("accreditation_delete", provider.pk, accreditation.pk)).status_code == 403
    accreditation.refresh_from_db()
    assert (accreditation.number, accreditation.is_deleted) == ("1234", False)
