import datetime

import pytest

from registry.forms import AccreditationForm
from registry.models import Accreditation
from registry.pages.dates import DateParts
from tests.factories import (
    AccreditationFactory,
    AccreditedHeiProviderFactory,
    AccreditedProviderFactory,
    ProviderFactory,
)
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.forms import date_parts, with_date_parts
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
        {"number": "1555", **date_parts("starts_on", "1/8/2025"), **date_parts("ends_on", "31/7/2026")},
    )
    assert response["Location"] == provider_url("accreditation_add_check", provider.pk)
    # The draft keeps the dates as ISO strings until "Save".
    drafts = [draft for key, draft in administrator_client.session.items() if key.startswith("draft:")]
    assert [(draft["answers"]["starts_on"], draft["answers"]["ends_on"]) for draft in drafts] == [
        ("2025-08-01", "2026-07-31")
    ]
    check = administrator_client.get(response["Location"])
    assert page_title(check) == "Check your answers - Add accreditation - Register of training providers"
    assert "Accredited provider number 1555 Change" in text(check)
    assert "Accreditation end date 31 July 2026 Change" in text(check)
    assert f'href="{provider_url("accreditation_add", provider.pk)}#starts_on"' in check.content.decode()

    response = administrator_client.post(provider_url("accreditation_add_check", provider.pk), follow=True)

    # Back on the provider's page, at the section changed.
    assert response.redirect_chain[-1][0] == f"{provider_url('change', provider.pk)}#accreditations"
    assert "Accreditation added" in text(response)
    added = provider.accreditations.get()
    assert (added.number, added.ends_on) == ("1555", datetime.date(2026, 7, 31))
    assert added.history.get().history_user == administrator


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"number": MESSAGES["number_required"], "starts_on": MESSAGES["starts_on_required"]}),
        (
            with_date_parts(
                {"number": "5123", "starts_on": "1/13/2024", "ends_on": "32/1/2025"}, "starts_on", "ends_on"
            ),
            {
                "number": MESSAGES["number_invalid_hei"],
                "starts_on": MESSAGES["starts_on_invalid"],
                "ends_on": MESSAGES["ends_on_invalid"],
            },
        ),
        (
            with_date_parts({"number": "1234", "starts_on": "1/9/2024", "ends_on": "1/8/2024"}, "starts_on", "ends_on"),
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
    assert form.context["form"]["starts_on"].value() == DateParts("1", "8", "2024")
    assert 'name="starts_on-day" type="text" inputmode="numeric" value="1"' in form.content.decode()

    administrator_client.post(
        provider_url("accreditation_edit", provider.pk, accreditation.pk),
        {"number": "1234", **date_parts("starts_on", "1/8/2024"), **date_parts("ends_on", "31/7/2027")},
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


class TestWhatAChangeDoesToTheProvider:
    """Check your answers (and the delete page) say when saving will change the provider's type or status."""

    def test_adding_an_accreditation_to_a_school_warns_it_becomes_a_scitt(self, administrator_client):
        school = ProviderFactory(operating_name="Cedar School")
        administrator_client.get(f"{provider_url('accreditation_add', school.pk)}?new")
        administrator_client.post(
            provider_url("accreditation_add", school.pk),
            {"number": "5123", **date_parts("starts_on", "1/8/2024"), **date_parts("ends_on", "")},
        )

        check = administrator_client.get(provider_url("accreditation_add_check", school.pk))

        assert (
            "Warning Adding this accreditation will make Cedar School an accredited provider: its type will change "
            "from School to SCITT."
        ) in text(check)
        administrator_client.post(provider_url("accreditation_add_check", school.pk))
        school.refresh_from_db()
        assert (school.provider_type, school.accreditation_status) == ("scitt", "accredited")

    def test_an_accreditation_that_starts_later_changes_nothing_yet(self, administrator_client):
        school = ProviderFactory(operating_name="Cedar School")
        administrator_client.get(f"{provider_url('accreditation_add', school.pk)}?new")
        starts = datetime.date.today().replace(day=1) + datetime.timedelta(days=400)
        administrator_client.post(
            provider_url("accreditation_add", school.pk),
            {"number": "5123", **date_parts("starts_on", f"{starts:%d/%m/%Y}"), **date_parts("ends_on", "")},
        )

        check = administrator_client.get(provider_url("accreditation_add_check", school.pk))

        assert "Warning" not in text(check)

    def test_ending_the_only_current_accreditation_warns_it_will_not_be_accredited(
        self, administrator_client, provider, accreditation
    ):
        url = provider_url("accreditation_edit", provider.pk, accreditation.pk)
        administrator_client.get(f"{url}?new")
        administrator_client.post(
            url, {"number": "1234", **date_parts("starts_on", "1/8/2024"), **date_parts("ends_on", "31/7/2025")}
        )

        check = administrator_client.get(provider_url("accreditation_edit_check", provider.pk, accreditation.pk))

        # An HEI stays an HEI.
        assert "Warning Changing this accreditation will make Birch University not accredited." in text(check)

    def test_deleting_a_scitts_last_accreditation_says_it_becomes_a_school(self, administrator_client):
        scitt = AccreditedProviderFactory(operating_name="Ash Tree SCITT", accreditation=False)
        accreditation = AccreditationFactory(provider=scitt, number="5123")

        confirmation = administrator_client.get(provider_url("accreditation_delete", scitt.pk, accreditation.pk))

        assert (
            "Deleting this accreditation will make Ash Tree SCITT not accredited: its type will change from SCITT "
            "to School."
        ) in text(confirmation)

    def test_deleting_one_of_two_current_accreditations_changes_nothing(self, administrator_client, provider):
        first = AccreditationFactory(provider=provider, number="1234")
        AccreditationFactory(provider=provider, number="1235")

        confirmation = administrator_client.get(provider_url("accreditation_delete", provider.pk, first.pk))

        assert "will make" not in text(confirmation)
