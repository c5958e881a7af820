"""What a page of GET /api/v1/providers costs: its queries, none for a page the page cache holds, and
no body for one the client has (its ETag).
"""

import pytest

from accounts.api_clients import selectors, tokens
from accounts.permissions import SYSTEM
from registry.api import queries
from registry.api.page_cache import pages
from registry.models import Provider
from registry.services.providers import provider_update
from tests.accounts.api_clients.fixtures import bearer
from tests.registry.api.conftest import providers_bulk

pytestmark = pytest.mark.django_db

LIST = "/api/v1/providers"


# ---------------------------------------------------------------------------------------------------
# Queries: 1 with the token cached, 2 without, whatever the page size or table size
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table_size", [50, 500])
@pytest.mark.parametrize("page_size", [10, 100])
def test_the_list_costs_one_query_with_the_token_cached_and_two_without(
    client, token, table_size, page_size, django_assert_num_queries
):
    providers_bulk(table_size)
    params = {"page_size": str(page_size)}
    # The first request also records the token's use, which happens at most every 15 minutes.
    client.get(LIST, {"page_size": "1"}, headers=bearer(token))
    with django_assert_num_queries(1):
        response = client.get(LIST, params, headers=bearer(token))
    assert len(response.json()["data"]) == min(page_size, table_size)
    next_link = response.json()["links"]["next"]
    selectors.api_token_cache_forget(tokens.token_hashes(token))
    with django_assert_num_queries(2):
        response = client.get(next_link or LIST, {} if next_link else {"page_size": "2"}, headers=bearer(token))
    assert response.status_code == 200


def test_with_the_page_cache_off_every_page_is_built(client, token, settings, django_assert_num_queries):
    settings.API_PAGE_CACHE_BYTES = 0
    providers_bulk(5)
    params = {"page_size": "10"}
    first = client.get(LIST, params, headers=bearer(token))
    with django_assert_num_queries(1):
        again = client.get(LIST, params, headers=bearer(token))
    assert again.content == first.content


def test_a_page_asked_for_again_costs_no_query_until_the_register_changes(client, token, django_assert_num_queries):
    providers_bulk(5)
    params = {"page_size": "10"}
    first = client.get(LIST, params, headers=bearer(token))
    with django_assert_num_queries(0):
        again = client.get(LIST, params, headers=bearer(token))
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        assert client.get(LIST, params, headers={**bearer(token), "If-None-Match": first["ETag"]}).status_code == 304
    renamed = Provider.objects.order_by("updated_at", "id").first()
    provider_update(provider=renamed, actor=SYSTEM, changes={"operating_name": "Renamed Teaching School"})
    changed = client.get(LIST, params, headers=bearer(token))
    assert changed["ETag"] != first["ETag"]
    assert "Renamed Teaching School" not in first.content.decode()
    assert changed.json()["data"][-1]["operating_name"] == "Renamed Teaching School"


# ---------------------------------------------------------------------------------------------------
# ETags
# ---------------------------------------------------------------------------------------------------


def test_an_unchanged_page_is_not_sent_again(api, monkeypatch, django_assert_num_queries):
    providers_bulk(20)
    first = api(LIST, {"page_size": "10"})
    etag = first["ETag"]
    assert etag.startswith('"')
    monkeypatch.setattr(queries, "provider_page", _must_not_be_called)
    # As another process would answer, one that has not kept the page (registry.api.page_cache).
    pages.clear()
    with django_assert_num_queries(1):
        response = api(LIST, {"page_size": "10"}, status=304, if_none_match=etag)
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Content-Type" not in response
    api(LIST, {"page_size": "10"}, status=304, if_none_match=f'"other", W/{etag}')
    api(LIST, {"page_size": "10"}, status=304, if_none_match="*")


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("The page was built to answer a request that its ETag answers")


def test_a_page_has_a_new_etag_once_anything_on_it_changes(api):
    made = providers_bulk(20)
    etag = api(LIST, {"page_size": "10"})["ETag"]
    made[3].operating_name = "Renamed"
    made[3].save()
    response = api(LIST, {"page_size": "10"}, if_none_match=etag)
    assert response["ETag"] != etag
    assert made[3].pk not in {row["id"] for row in response.json()["data"]}


def test_each_page_and_each_set_of_filters_has_its_own_etag(api):
    providers_bulk(30)
    first = api(LIST, {"page_size": "10"})
    second = api(first.json()["links"]["next"])
    filtered = api(LIST, {"page_size": "10", "provider_type": "hei"})
    assert len({first["ETag"], second["ETag"], filtered["ETag"]}) == 3
    api(LIST, {"page_size": "10", "provider_type": "hei"}, status=304, if_none_match=filtered["ETag"])
    api(LIST, {"page_size": "10"}, status=200, if_none_match=filtered["ETag"])


def test_an_etag_from_the_page_and_from_its_fingerprint_are_the_same(api):
    providers_bulk(12)
    for params in ({"page_size": "5"}, {"page_size": "100"}, {"q": "Provider"}):
        etag = api(LIST, params)["ETag"]
        api(LIST, params, status=304, if_none_match=etag)
