import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import permissions
from tests.factories import (
    AccreditationFactory,
    AccreditedProviderFactory,
    AddressFactory,
    ArchivedProviderFactory,
    ContactFactory,
    HeiProviderFactory,
    PartnershipFactory,
    ProviderFactory,
)
from tests.registry.admin.conftest import page_links, provider_url
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    provider = AccreditedProviderFactory(
        operating_name="Ash Tree SCITT",
        legal_name="Ash Tree Trust",
        code="1AB",
        ukprn="10012345",
        urn="123456",
        register_id="RoTP-24A0AA08",
        academic_years=[2024, 2025],
        accreditation=False,
    )
    AccreditationFactory(provider=provider, number="5123", starts_on=datetime.date(2024, 8, 1))
    AddressFactory(provider=provider, address_line_1="1 Tile Kiln Lane", town_or_city="London", postcode="N13 6BY")
    ContactFactory(provider=provider, first_name="Mary", last_name="Lawson", email="mary@example.com", telephone="")
    PartnershipFactory(
        accredited_provider=provider,
        training_partner=ProviderFactory(operating_name="Birch School"),
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024],
    )
    return provider


def test_page_shows_the_providers_details(administrator_client, provider):
    response = administrator_client.get(provider_url("change", provider.pk))

    assert page_title(response) == "View provider - Register of training providers"
    page = text(response)
    assert "Provider Ash Tree SCITT Accredited" in page
    for row in [
        "Operating name Ash Tree SCITT Change Operating name",
        "Legal name Ash Tree Trust Change Legal name",
        "Provider type School-centred initial teacher training (SCITT)",
        "Accreditation status Accredited",
        "UK provider reference number (UKPRN) 10012345 Change",
        "Unique reference number (URN) 123456 Change",
        "Provider code 1AB Change Provider code",
        "RoTP id RoTP-24A0AA08",
        "Date onboarded 1 August 2024 Change Date onboarded",
        "Date first active 1 August 2024 Change Date first active",
        "Active academic years 2024 to 2025, 2025 to 2026 Change Active academic years",
    ]:
        assert row in page
    assert f'href="{provider_url("edit", provider.pk)}?new#ukprn"' in response.content.decode()


def test_page_shows_each_section_with_its_records_and_links(administrator_client, provider):
    accreditation = provider.accreditations.get()
    contact = provider.contacts.get()

    response = administrator_client.get(provider_url("change", provider.pk))

    page, html = text(response), response.content.decode()
    assert "Accreditations (1) Add accreditation Accreditation 5123 Change Accreditation 5123 Delete" in page
    assert (
        "Accredited provider number 5123 Accreditation start date 1 August 2024 Accreditation end date Not entered"
        in page
    )
    assert "Addresses (1) Add address London, N13 6BY" in page
    assert "Address 1 Tile Kiln Lane London N13 6BY" in page
    assert "Contacts (1) Add contact Mary Lawson" in page
    assert "Email address mary@example.com Phone number Not entered" in page
    assert "Partnerships (1) Add partnership Birch School" in page
    assert "Training partner Birch School Partnership start date 1 August 2024" in page
    assert f'href="{provider_url("accreditation_edit", provider.pk, accreditation.pk)}?new"' in html
    assert f'href="{provider_url("contact_delete", provider.pk, contact.pk)}"' in html
    assert f'href="{provider_url("partnership_add", provider.pk)}?new"' in html
    assert "Archive provider" in page
    assert "Delete provider" not in page  # only an archived provider is deleted


def test_the_partner_sees_the_partnership_from_its_side(administrator_client, provider):
    partner = provider.partnerships_as_accredited_provider.get().training_partner

    response = administrator_client.get(provider_url("change", partner.pk))

    assert "Partnerships (1) Add partnership Ash Tree SCITT" in text(response)
    assert "Accredited provider Ash Tree SCITT" in text(response)


def test_empty_sections_say_there_is_nothing(administrator_client):
    provider = HeiProviderFactory(operating_name="Birch University", ukprn="")

    page = text(administrator_client.get(provider_url("change", provider.pk)))

    assert "UK provider reference number (UKPRN) Not entered" in page
    assert "There are no accreditations for Birch University." in page
    assert "There are no addresses for Birch University." in page
    assert "There are no contacts for Birch University." in page
    assert "There are no partnerships for Birch University." in page


def test_import_notes_are_shown_when_there_are_some(administrator_client):
    noted = HeiProviderFactory(ukprn="", import_notes=[{"field": "ukprn", "note": "No UKPRN in providers.csv"}])
    plain = HeiProviderFactory()

    assert "Import notes No UKPRN in providers.csv" in text(administrator_client.get(provider_url("change", noted.pk)))
    assert "Import notes" not in text(administrator_client.get(provider_url("change", plain.pk)))


def test_support_viewer_reads_everything_but_may_change_nothing(viewer_client, provider):
    response = viewer_client.get(provider_url("change", provider.pk))

    assert response.status_code == 200
    assert "Accreditation 5123" in text(response)
    # The sections, and the partner's page: nothing that changes anything.
    assert page_links(response) == [
        "Provider details",
        "Accreditations",
        "Addresses",
        "Contacts",
        "Partnerships",
        "Birch School",
    ]


def test_archived_provider_is_read_only_with_restore_and_delete(administrator_client):
    provider = ArchivedProviderFactory(operating_name="Old School")
    ContactFactory(provider=provider)

    response = administrator_client.get(provider_url("change", provider.pk))

    page = text(response)
    assert "Old School Not accredited Archived" in page
    assert "This provider is archived, so it cannot be changed. Restore the provider to change it." in page
    assert page_links(response)[5:] == ["Restore provider", "Delete provider", "View history", "Manage access"]


@pytest.mark.parametrize("actor", ["administrator", "editor", "viewer"])
def test_view_history_is_offered_to_whoever_may_read_the_history(request, actor, provider):
    client = request.getfixturevalue(f"{actor}_client")
    person = client.get(provider_url("change", provider.pk)).wsgi_request.user

    response = client.get(provider_url("change", provider.pk))

    offered = f'<a class="app-link" href="{provider_url("history", provider.pk)}">View history</a>'
    assert (offered in response.content.decode()) == permissions.user_can_view_provider_history(person)
    assert (client.get(provider_url("history", provider.pk)).status_code == 200) == (
        offered in response.content.decode()
    )


def test_manage_access_link_is_for_support_administrators(administrator_client, editor_client, provider):
    admin_page = administrator_client.get(provider_url("change", provider.pk)).content.decode()
    editor_page = editor_client.get(provider_url("change", provider.pk)).content.decode()

    assert f'href="{provider_url("access", provider.pk)}">Manage access</a>' in admin_page
    assert "Manage access" not in editor_page
    assert "Archive provider" in editor_page


def test_unknown_or_deleted_provider_is_not_found(administrator_client):
    deleted = ProviderFactory(archived=True, deleted=True)

    assert administrator_client.get(provider_url("change", deleted.pk)).status_code == 404
    assert administrator_client.get(provider_url("change", "6f1c1b1e-0000-4000-8000-000000000000")).status_code == 404


def test_auditor_and_people_without_a_role_may_not_read_providers(auditor_client, provider):
    assert auditor_client.get(provider_url("change", provider.pk)).status_code == 403


def _page_queries(client, provider) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(provider_url("change", provider.pk)).status_code == 200
    return len(queries)


def _records(provider, count: int) -> None:
    for _ in range(count):
        AccreditationFactory(provider=provider)
        AddressFactory(provider=provider)
        ContactFactory(provider=provider)
        PartnershipFactory(accredited_provider=provider, academic_years=[2024])


@pytest.mark.parametrize("actor", ["administrator", "viewer"])
def test_page_query_count_does_not_grow_with_the_records(request, actor):
    client = request.getfixturevalue(f"{actor}_client")
    provider = AccreditedProviderFactory(accreditation=False)
    client.get(provider_url("change", provider.pk))
    _records(provider, 1)
    with_1 = _page_queries(client, provider)

    _records(provider, 9)
    with_10 = _page_queries(client, provider)

    # The signed-in user, the provider, its academic years, each kind of record, the partnerships'
    # academic years, and for a viewer the object permissions they hold on the provider.
    assert with_1 == with_10 == {"administrator": 8, "viewer": 9}[actor]
