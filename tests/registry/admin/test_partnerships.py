import datetime
import re

import pytest

from registry.forms import PartnershipForm
from registry.models import AcademicYear, Partnership
from tests.factories import (
    AccreditedProviderFactory,
    ArchivedProviderFactory,
    PartnershipFactory,
    ProviderFactory,
)
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.forms import with_date_parts
from tests.support.html import page_title, text

MESSAGES = PartnershipForm.error_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def accredited():
    return AccreditedProviderFactory(operating_name="Ash Tree SCITT")


@pytest.fixture
def school():
    return ProviderFactory(operating_name="Birch School", code="1BS", ukprn="10012345", urn="123456")


def _dates(**changes):
    """The dates step's answers as posted: each date ("1/8/2024") in its day, month and year boxes."""
    answers = {"starts_on": "1/8/2024", "ends_on": "", "academic_years": ["2024"], **changes}
    return with_date_parts(answers, "starts_on", "ends_on")


def test_the_partner_is_found_by_searching_among_those_it_may_be(administrator_client, accredited, school):
    ProviderFactory(operating_name="Birch Lane School", archived_at="2024-01-01T00:00:00Z")
    AccreditedProviderFactory(operating_name="Birch SCITT")  # accredited: not a training partner

    first = administrator_client.get(f"{provider_url('partnership_add', accredited.pk)}?new")
    assert page_title(first) == "Training partner - Add partnership - Register of training providers"
    assert "Search by training partner name, code, UKPRN or URN" in text(first)
    found = administrator_client.get(provider_url("partnership_add", accredited.pk), {"q": "birch"})

    assert "1 provider found for ‘birch’" in text(found)
    assert "Birch School (Provider code: 1BS, UKPRN: 10012345, URN: 123456)" in text(found)
    assert "Birch SCITT" not in text(found)
    assert "Birch Lane School" not in text(found)


def test_add_check_and_save(administrator_client, administrator, accredited, school):
    administrator_client.get(f"{provider_url('partnership_add', accredited.pk)}?new")

    response = administrator_client.post(
        provider_url("partnership_add", accredited.pk), {"q": "birch", "partner": str(school.pk)}
    )
    assert response["Location"] == provider_url("partnership_add_dates", accredited.pk)
    response = administrator_client.post(provider_url("partnership_add_dates", accredited.pk), _dates())
    check = administrator_client.get(response["Location"])

    assert page_title(check) == "Check your answers - Add partnership - Register of training providers"
    page = text(check)
    assert "Training partner Birch School Change" in page
    assert "Partnership start date 1 August 2024 Change" in page
    assert "Academic year 2024 to 2025 Change" in page
    response = administrator_client.post(provider_url("partnership_add_check", accredited.pk), follow=True)

    assert "Partnership added" in text(response)
    partnership = Partnership.objects.get()
    assert (partnership.accredited_provider, partnership.training_partner) == (accredited, school)
    assert partnership.history.first().history_user == administrator


def test_from_a_training_partner_the_partner_is_an_accredited_provider(administrator_client, accredited, school):
    administrator_client.get(f"{provider_url('partnership_add', school.pk)}?new")
    found = administrator_client.get(provider_url("partnership_add", school.pk), {"q": "ash"})
    assert page_title(found) == "Accredited provider - Add partnership - Register of training providers"

    administrator_client.post(provider_url("partnership_add", school.pk), {"partner": str(accredited.pk)})
    administrator_client.post(provider_url("partnership_add_dates", school.pk), _dates())
    administrator_client.post(provider_url("partnership_add_check", school.pk))

    partnership = Partnership.objects.get()
    assert (partnership.accredited_provider, partnership.training_partner) == (accredited, school)


def test_a_partner_must_be_chosen(administrator_client, accredited):
    administrator_client.get(f"{provider_url('partnership_add', accredited.pk)}?new")

    response = administrator_client.post(provider_url("partnership_add", accredited.pk), {"q": ""})

    assert error_summary(response) == [MESSAGES["training_partner_required"]]
    assert inline_errors(response) == {"partner": MESSAGES["training_partner_required"]}
    # Nothing has been found to choose from yet: the error is on the search box, which the summary links to.
    html = response.content.decode()
    assert '<a href="#id_partner_0">' in html
    assert re.search(r'<input type="search" name="q" id="id_partner_0"[^>]*aria-describedby="id_partner-error"', html)
    assert 'type="radio"' not in html


def test_with_partners_found_the_error_is_on_the_choices(administrator_client, accredited, school):
    administrator_client.get(f"{provider_url('partnership_add', accredited.pk)}?new")

    response = administrator_client.post(provider_url("partnership_add", accredited.pk), {"q": "birch"})

    html = response.content.decode()
    assert inline_errors(response) == {"partner": MESSAGES["training_partner_required"]}
    assert '<input type="radio" name="partner" value="' in html
    assert '<a href="#id_partner_0">' in html
    assert 'id="id_partner_0" class="app-radios__input"' in html
    assert 'id="choice-search"' in html


def test_a_provider_it_may_not_partner_is_refused(administrator_client, accredited):
    other_accredited = AccreditedProviderFactory()
    administrator_client.get(f"{provider_url('partnership_add', accredited.pk)}?new")

    response = administrator_client.post(
        provider_url("partnership_add", accredited.pk), {"partner": str(other_accredited.pk)}
    )

    assert error_summary(response) == [MESSAGES["training_partner_required"]]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            _dates(starts_on="", ends_on="", academic_years=[]),
            {"starts_on": MESSAGES["starts_on_required"], "academic_years": MESSAGES["academic_years_required"]},
        ),
        (
            _dates(starts_on="1/8/2024", ends_on="31/7/2025", academic_years=["2020"]),
            {"academic_years": MESSAGES["academic_years_outside_dates"]},
        ),
        (
            _dates(starts_on="1/8/2024", ends_on="1/1/2024"),
            {
                "ends_on": "The partnership end date must be the same as or after 1 August 2024 when the "
                "partnership starts"
            },
        ),
    ],
)
def test_each_problem_with_the_dates_is_shown(administrator_client, accredited, school, data, errors):
    administrator_client.get(f"{provider_url('partnership_add', accredited.pk)}?new")
    administrator_client.post(provider_url("partnership_add", accredited.pk), {"partner": str(school.pk)})

    response = administrator_client.post(provider_url("partnership_add_dates", accredited.pk), data)

    assert error_summary(response) == list(errors.values())
    assert inline_errors(response) == errors


def test_change_and_delete(administrator_client, accredited, school):
    partnership = PartnershipFactory(accredited_provider=accredited, training_partner=school, academic_years=[2024])
    current = AcademicYear.current_start_year()
    form = administrator_client.get(f"{provider_url('partnership_edit', accredited.pk, partnership.pk)}?new")
    assert "partner" not in form.context["form"].fields  # the partners never change

    administrator_client.post(
        provider_url("partnership_edit", accredited.pk, partnership.pk),
        _dates(academic_years=["2024", str(current)]),
    )
    updated = administrator_client.post(
        provider_url("partnership_edit_check", accredited.pk, partnership.pk), follow=True
    )

    assert "Partnership updated" in text(updated)
    assert sorted(partnership.academic_years.values_list("start_year", flat=True)) == [2024, current]

    confirmation = administrator_client.get(provider_url("partnership_delete", accredited.pk, partnership.pk))
    assert "Confirm you want to delete the partnership with Birch School" in text(confirmation)
    assert (
        "If you do not want to delete the partnership, but update that it has ended, add the partnership end date."
        in text(confirmation)
    )
    assert "Deleting a partnership is permanent – you cannot undo it." in text(confirmation)
    deleted = administrator_client.post(provider_url("partnership_delete", accredited.pk, partnership.pk), follow=True)

    assert "Partnership deleted" in text(deleted)
    assert "There are no partnerships for Ash Tree SCITT." in text(deleted)


def test_an_ended_partnership_is_deleted_without_the_end_date_advice(administrator_client, accredited, school):
    partnership = PartnershipFactory(
        accredited_provider=accredited,
        training_partner=school,
        ends_on=datetime.date(2025, 7, 31),
        academic_years=[2024],
    )

    confirmation = administrator_client.get(provider_url("partnership_delete", accredited.pk, partnership.pk))

    assert "add the partnership end date" not in text(confirmation)


def test_a_partnership_with_an_archived_partner_cannot_change(administrator_client, accredited):
    archived = ArchivedProviderFactory()
    partnership = PartnershipFactory(accredited_provider=accredited, training_partner=archived)

    assert (
        administrator_client.get(f"{provider_url('partnership_edit', accredited.pk, partnership.pk)}?new").status_code
        == 403
    )
    assert (
        administrator_client.post(provider_url("partnership_delete", accredited.pk, partnership.pk)).status_code == 403
    )
