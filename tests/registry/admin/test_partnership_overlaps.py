"""The stop page for a partnership whose dates overlap one the two providers already have: "You cannot
add this partnership" (registry.admin.records, PARTNERSHIPS)."""

import datetime
import html
import re

import pytest

from registry.models import Partnership
from tests.factories import AccreditedProviderFactory, PartnershipFactory, ProviderFactory
from tests.registry.admin.conftest import provider_url
from tests.support.forms import with_date_parts
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def accredited():
    return AccreditedProviderFactory(operating_name="Ash Tree SCITT")


@pytest.fixture
def school():
    return ProviderFactory(operating_name="Birch School")


@pytest.fixture
def existing(accredited, school):
    return PartnershipFactory(
        accredited_provider=accredited,
        training_partner=school,
        starts_on=datetime.date(2024, 8, 1),
        ends_on=datetime.date(2025, 7, 31),
        academic_years=[2024],
    )


def _dates(**changes):
    answers = {"starts_on": "1/9/2024", "ends_on": "", "academic_years": ["2024"], **changes}
    return with_date_parts(answers, "starts_on", "ends_on")


def _answer_and_save(client, provider, partner, **dates):
    client.get(f"{provider_url('partnership_add', provider.pk)}?new")
    client.post(provider_url("partnership_add", provider.pk), {"partner": str(partner.pk)})
    client.post(provider_url("partnership_add_dates", provider.pk), _dates(**dates))
    return client.post(provider_url("partnership_add_check", provider.pk))


def _links(response) -> dict[str, str]:
    found = re.findall(r'<a class="app-link" href="([^"]+)">([^<]+)</a>', response.content.decode())
    return {html.unescape(label): html.unescape(url) for url, label in found}


def test_adding_an_overlapping_partnership_shows_the_stop_page_and_saves_nothing(
    administrator_client, accredited, school, existing
):
    response = _answer_and_save(administrator_client, accredited, school)

    assert response.status_code == 409
    assert page_title(response) == "You cannot add this partnership - Register of training providers"
    page = text(response)
    assert "Add partnership - Ash Tree SCITT You cannot add this partnership" in page  # caption and heading
    assert "Birch School already has a partnership with Ash Tree SCITT for these dates." in page
    assert "That partnership runs from 1 August 2024 to 31 July 2025." in page
    links = _links(response)
    assert links["Change the partnership dates"] == provider_url("partnership_add_dates", accredited.pk)
    assert links["Change the existing partnership"] == (
        provider_url("partnership_edit", accredited.pk, existing.pk) + "?new"
    )
    assert links["Go back to Ash Tree SCITT"] == provider_url("change", accredited.pk) + "#partnerships"
    assert Partnership.objects.count() == 1


def test_changing_the_dates_from_the_stop_page_keeps_the_other_answers(
    administrator_client, accredited, school, existing
):
    _answer_and_save(administrator_client, accredited, school)

    dates = administrator_client.get(provider_url("partnership_add_dates", accredited.pk))
    assert dates.status_code == 200
    value = dates.context["form"]["starts_on"].value()
    assert (value.day, value.month, value.year) == ("1", "9", "2024")
    administrator_client.post(
        provider_url("partnership_add_dates", accredited.pk), _dates(starts_on="1/8/2025", academic_years=["2025"])
    )
    saved = administrator_client.post(provider_url("partnership_add_check", accredited.pk), follow=True)

    assert "Partnership added" in text(saved)
    assert Partnership.objects.filter(training_partner=school).count() == 2


def test_from_the_training_partners_page_the_partner_is_the_accredited_provider(
    administrator_client, accredited, school, existing
):
    response = _answer_and_save(administrator_client, school, accredited)

    assert response.status_code == 409
    assert "Ash Tree SCITT already has a partnership with Birch School for these dates." in text(response)
    assert _links(response)["Go back to Birch School"] == provider_url("change", school.pk) + "#partnerships"


def test_changing_a_partnerships_dates_onto_anothers_shows_the_stop_page(
    administrator_client, accredited, school, existing
):
    later = PartnershipFactory(
        accredited_provider=accredited,
        training_partner=school,
        starts_on=datetime.date(2025, 8, 1),
        academic_years=[2025],
    )
    edit_url = provider_url("partnership_edit", accredited.pk, later.pk)
    administrator_client.get(f"{edit_url}?new")
    administrator_client.post(edit_url, _dates(starts_on="1/7/2025", academic_years=["2025"]))

    response = administrator_client.post(provider_url("partnership_edit_check", accredited.pk, later.pk))

    assert response.status_code == 409
    assert page_title(response) == "You cannot change this partnership - Register of training providers"
    assert "Birch School already has a partnership with Ash Tree SCITT for these dates." in text(response)
    assert _links(response)["Change the partnership dates"] == edit_url
    later.refresh_from_db()
    assert later.starts_on == datetime.date(2025, 8, 1)


def test_without_an_overlap_the_flow_saves_as_before(administrator_client, accredited, school, existing):
    _answer_and_save(administrator_client, accredited, school, starts_on="1/8/2025", academic_years=["2025"])

    assert Partnership.objects.filter(training_partner=school).count() == 2
