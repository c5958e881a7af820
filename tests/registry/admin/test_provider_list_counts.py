"""The providers list's heading count and the queries behind the list: how many there are, kept
right as providers are added and archived, and read in a number of queries that does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import HeiProviderFactory, ProviderFactory
from tests.registry.admin.conftest import provider_url
from tests.support.html import text

LIST_URL = provider_url("changelist")

pytestmark = pytest.mark.django_db


def _count_queries(client, query=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST_URL, query or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("actor", ["administrator", "viewer"])
def test_query_count_does_not_grow_with_the_number_of_providers(request, actor):
    client = request.getfixturevalue(f"{actor}_client")
    client.get(LIST_URL)  # the session is cached after its first request
    ProviderFactory.create_batch(30)
    with_30 = _count_queries(client)

    ProviderFactory.create_batch(270, academic_years=[])
    with_300 = _count_queries(client)
    again = _count_queries(client)

    # The signed-in user, the page of 25 and the count for the heading; for someone without the
    # right to change every provider, one more for what they may change on the page.
    assert with_30 == with_300 == {"administrator": 3, "viewer": 4}[actor]
    # Nothing has changed since: the count is known.
    assert again == with_300 - 1


def test_query_count_with_filters_and_search_stays_the_same(administrator_client):
    administrator_client.get(LIST_URL)
    ProviderFactory.create_batch(30, provider_type="school", academic_years=[2024])
    query = {"q": "Provider", "provider_type": "school", "academic_year": "2024"}

    first = _count_queries(administrator_client, query)
    again = _count_queries(administrator_client, query)

    assert (first, again) == (3, 2)


def test_a_list_shorter_than_a_page_is_counted_from_its_rows(administrator_client):
    administrator_client.get(LIST_URL)
    ProviderFactory.create_batch(3, operating_name="Ash Tree School")
    HeiProviderFactory.create_batch(30)

    with CaptureQueriesContext(connection) as queries:
        response = administrator_client.get(LIST_URL, {"provider_type": "school"})

    # The signed-in user and the page: no count.
    assert len(queries) == 2
    assert "Providers (3)" in text(response)


def test_a_search_is_counted_first_on_postgresql_and_read_in_the_cheaper_order(administrator_client):
    administrator_client.get(LIST_URL)
    ProviderFactory.create_batch(3, operating_name="Ash Tree School")
    ProviderFactory.create_batch(30)

    with CaptureQueriesContext(connection) as queries:
        response = administrator_client.get(LIST_URL, {"q": "ash tree"})

    # SQLite reads the count off a short page 1; PostgreSQL counts first, since how many a search
    # finds decides whether its page is read by walking the name index or by sorting the few found.
    assert len(queries) == (3 if connection.vendor == "postgresql" else 2)
    assert "Providers (3)" in text(response)
    page = queries.captured_queries[-1]["sql"]
    assert 'TRIM("registry_provider"."operating_name")' in page or connection.vendor != "postgresql"


def _add_provider(client, name, code):
    client.get(f"{provider_url('add')}?new")
    for step, answers in [
        ("add", {"onboarded": "today"}),
        ("add_first-active", {"first_active": "same"}),
        ("add_accredited", {"accreditation_status": "unaccredited"}),
        ("add_type", {"provider_type": "school"}),
        ("add_details", {"operating_name": name, "ukprn": "10012345", "urn": "123456", "code": code}),
        ("add_address", {"address_line_1": "1 Tile Kiln Lane", "town_or_city": "London", "postcode": "N13 6BY"}),
    ]:
        assert client.post(provider_url(step), answers).status_code == 302
    assert client.post(provider_url("add_check")).status_code == 302


@pytest.mark.parametrize("others", [0, 30], ids=["on one page", "on several pages"])
def test_the_heading_counts_right_after_a_provider_is_added_or_archived(administrator_client, others):
    ProviderFactory.create_batch(others)
    ash = ProviderFactory(operating_name="Ash Tree School")
    assert f"Providers ({others + 1})" in text(administrator_client.get(LIST_URL))
    assert "Providers (1)" in text(administrator_client.get(LIST_URL, {"q": "tree"}))

    _add_provider(administrator_client, "Birch Tree School", "1BT")

    assert f"Providers ({others + 2})" in text(administrator_client.get(LIST_URL))
    assert "Providers (2)" in text(administrator_client.get(LIST_URL, {"q": "tree"}))

    assert administrator_client.post(provider_url("archive", ash.pk)).status_code == 302

    assert f"Providers ({others + 1})" in text(administrator_client.get(LIST_URL))
    assert "Providers (1)" in text(administrator_client.get(LIST_URL, {"q": "tree"}))
    assert f"Providers ({others + 2})" in text(administrator_client.get(LIST_URL, {"archived": "yes"}))


def test_the_count_is_of_the_list_shown(administrator_client):
    HeiProviderFactory.create_batch(27)
    ProviderFactory.create_batch(28)

    counts = {
        query: text(administrator_client.get(f"{LIST_URL}?{query}")).split("Providers (")[1].split(")")[0]
        for query in ["", "provider_type=hei", "provider_type=school", "provider_type=school&provider_type=hei"]
    }
    # Asked again, in another order: the same lists, the same counts.
    again = text(administrator_client.get(f"{LIST_URL}?provider_type=hei&provider_type=school&provider_type=hei"))

    assert counts == {
        "": "55",
        "provider_type=hei": "27",
        "provider_type=school": "28",
        "provider_type=school&provider_type=hei": "55",
    }
    assert "Providers (55)" in again
