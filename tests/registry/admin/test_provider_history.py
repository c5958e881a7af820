import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import AcademicYear
from registry.services.providers import provider_create, provider_update
from tests.factories import ProviderFactory
from tests.registry.admin.conftest import provider_url
from tests.support.html import text

pytestmark = pytest.mark.django_db


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
    provider_update(
        actor=administrator, provider=provider, changes={"operating_name": "Ash Tree Academy", "academic_years": [2025]}
    )
    return provider


def test_history_says_who_changed_what(administrator_client, provider):
    response = administrator_client.get(provider_url("history", provider.pk))

    assert response.status_code == 200
    page = text(response)
    assert "Anne Wilson" in page
    assert "Provider updated" in page
    assert "Operating name Ash Tree School Ash Tree Academy" in page
    assert "Active academic years [2024 to 2025] [2025 to 2026]" in page


def test_auditors_and_administrators_read_history_and_no_one_else(
    administrator_client, auditor_client, editor_client, viewer_client, provider
):
    url = provider_url("history", provider.pk)

    assert administrator_client.get(url).status_code == 200
    assert auditor_client.get(url).status_code == 200
    assert editor_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 403


def test_a_version_can_be_read_but_never_posted_back(administrator_client, auditor_client, provider):
    record = provider.history.last()
    url = provider_url("simple_history", provider.pk, record.history_id)

    assert auditor_client.get(url).status_code == 200
    response = administrator_client.post(url, {"operating_name": "Ash Tree School", "_continue": "1"})

    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.operating_name == "Ash Tree Academy"


def _history_queries(client, provider) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(provider_url("history", provider.pk)).status_code == 200
    return len(queries)


def test_history_page_query_count_does_not_grow_with_the_history(administrator_client, administrator):
    provider = ProviderFactory(academic_years=[2024])
    administrator_client.get(provider_url("history", provider.pk))  # the session and content types are cached
    current = AcademicYear.current_start_year()

    def change(times: int, start: int):
        for n in range(start, start + times):
            provider_update(
                actor=administrator,
                provider=provider,
                changes={"operating_name": f"Name {n}", "academic_years": [2019 + n % (current - 2018)]},
            )

    change(5, 0)
    with_5 = _history_queries(administrator_client, provider)
    change(45, 5)
    with_50 = _history_queries(administrator_client, provider)

    # The signed-in user, the provider, the count, the page of changes (with who made them) and
    # the page's academic years.
    assert with_5 == with_50 == 5
