"""A provider's history page: the changes to the provider and to its records, newest first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import AcademicYear
from registry.services.accreditations import accreditation_create
from registry.services.addresses import address_create
from registry.services.contacts import contact_create, contact_update
from registry.services.partnerships import partnership_create
from registry.services.providers import provider_archive, provider_create, provider_restore, provider_update
from tests.factories import AccreditedProviderFactory, ProviderFactory
from tests.registry.admin.conftest import provider_url
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db


def entries(response) -> list[str]:
    return [text(item) for item in Page(response).all("li") if "app-history__entry" in (attribute(item, "class") or "")]


def summaries(response) -> list[str]:
    return [entry.split(" By ")[0] for entry in entries(response)]


@pytest.fixture
def provider(administrator):
    provider = provider_create(
        actor=administrator,
        operating_name="Ash Tree School",
        provider_type="school",
        accreditation_status="unaccredited",
        code="1AB",
        ukprn="10012345",
        urn="123456",
        academic_years=[2024],
    )
    return provider_update(
        actor=administrator, provider=provider, changes={"operating_name": "Ash Tree Academy", "academic_years": [2025]}
    )


@pytest.fixture
def scitt(administrator):
    return AccreditedProviderFactory(operating_name="Oak SCITT", accreditation=False)


def test_history_says_who_changed_what(administrator_client, provider):
    response = administrator_client.get(provider_url("history", provider.pk))

    assert response.status_code == 200
    updated, added = entries(response)
    assert updated.startswith("Provider updated By Anne Wilson on ")
    assert "Operating name Ash Tree School Ash Tree Academy" in updated
    assert "Active academic years 2024 to 2025 2025 to 2026" in updated
    assert added.startswith("Provider added By Anne Wilson on ")


def test_the_title_names_the_kind_of_record_and_the_heading_the_provider(administrator_client, provider):
    page = Page(administrator_client.get(provider_url("history", provider.pk)))

    assert page.title == "Provider history - Register of training providers"
    assert text(page.one("h1")) == "Ash Tree Academy"


def test_history_covers_the_providers_records_each_named(administrator, administrator_client, provider, scitt):
    address_create(
        actor=administrator,
        provider=provider,
        address_line_1="1 Tile Kiln Lane",
        town_or_city="London",
        postcode="N13 6BY",
    )
    contact = contact_create(
        actor=administrator, provider=provider, first_name="Jane", last_name="Smith", email="jane.smith@example.com"
    )
    contact_update(actor=administrator, contact=contact, changes={"telephone": "01632 960 001"})
    accreditation_create(actor=administrator, provider=scitt, number="5602", starts_on=datetime.date(2024, 8, 1))
    partnership_create(
        actor=administrator,
        accredited_provider=scitt,
        training_partner=provider,
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[AcademicYear.current_start_year()],
    )

    school = administrator_client.get(provider_url("history", provider.pk))
    accredited = administrator_client.get(provider_url("history", scitt.pk))

    assert summaries(school) == [
        "Partnership added Partnership between Oak SCITT and Ash Tree Academy",
        "Contact updated Jane Smith",
        "Contact added Jane Smith",
        "Address added London, N13 6BY",
        "Provider updated",
        "Provider added",
    ]
    assert entries(school)[1].endswith("Field Old value New value Phone number Not entered 01632 960 001")
    # A partnership is on both partners' histories; an accreditation only on its provider's.
    assert summaries(accredited) == [
        "Partnership added Partnership between Oak SCITT and Ash Tree Academy",
        "Accreditation added Accreditation 5602",
        "Provider added",
    ]


def test_archiving_and_restoring_say_so(administrator, administrator_client, provider):
    provider_archive(actor=administrator, provider=provider)
    provider_restore(actor=administrator, provider=provider)

    assert summaries(administrator_client.get(provider_url("history", provider.pk)))[:2] == [
        "Provider restored",
        "Provider archived",
    ]


def test_auditors_and_administrators_read_history_and_no_one_else(
    administrator_client, auditor_client, editor_client, viewer_client, provider
):
    url = provider_url("history", provider.pk)

    assert administrator_client.get(url).status_code == 200
    assert auditor_client.get(url).status_code == 200
    assert editor_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 403


def test_an_auditor_reaches_a_providers_history_from_activity(auditor_client, provider):
    url = provider_url("history", provider.pk)

    activity = auditor_client.get(reverse("activity"))

    assert f'href="{url}"' in activity.content.decode()
    page = Page(auditor_client.get(url))
    # Back goes to Activity: an auditor may not open the provider's own page.
    [back] = [link for link in page.all("a") if text(link) == "Back"]
    assert attribute(back, "href") == reverse("activity")


def test_nothing_on_the_page_changes_anything_back(administrator_client, provider):
    record = provider.history.last()

    assert administrator_client.post(provider_url("history", provider.pk)).status_code == 405
    response = administrator_client.post(
        provider_url("simple_history", provider.pk, record.history_id), {"operating_name": "Ash Tree School"}
    )

    assert response.status_code == 404
    provider.refresh_from_db()
    assert provider.operating_name == "Ash Tree Academy"


def _history_queries(client, provider) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(provider_url("history", provider.pk)).status_code == 200
    return len(queries)


def test_history_page_query_count_does_not_grow_with_the_history(administrator_client, administrator):
    provider = ProviderFactory(academic_years=[2024])
    administrator_client.get(provider_url("history", provider.pk))  # the session is read and cached
    current = AcademicYear.current_start_year()

    def change(times: int, start: int):
        for n in range(start, start + times):
            provider_update(
                actor=administrator,
                provider=provider,
                changes={"operating_name": f"Name {n}", "academic_years": [2019 + n % (current - 2018)]},
            )
            contact_create(
                actor=administrator,
                provider=provider,
                first_name="Jo",
                last_name=f"Number{n}",
                email=f"jo.{n}@example.com",
            )

    change(5, 0)
    with_5 = _history_queries(administrator_client, provider)
    change(45, 5)
    with_50 = _history_queries(administrator_client, provider)

    assert with_5 == with_50
