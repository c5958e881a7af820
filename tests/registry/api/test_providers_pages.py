"""GET /api/v1/providers, page by page: page sizes, `next` links, and keyset cursors that neither skip
nor repeat a provider while the register changes.
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.api import queries
from registry.models import Provider
from registry.models.provider import ProviderType
from tests.registry.api.conftest import ids_of, providers_bulk

pytestmark = pytest.mark.django_db

LIST = "/api/v1/providers"


def _all_pages(api, params=None) -> list[dict]:
    rows, url, seen = [], LIST, 0
    response = api(url, params)
    while True:
        rows += response.json()["data"]
        next_link = response.json()["links"]["next"]
        if next_link is None:
            return rows
        seen += 1
        assert seen < 1000
        response = api(next_link)


def test_100_a_page_by_default_and_as_many_as_asked_up_to_100(api):
    providers_bulk(105)
    assert len(api(LIST).json()["data"]) == 100
    assert len(api(LIST, {"page_size": "7"}).json()["data"]) == 7
    assert len(api(LIST, {"page_size": "100"}).json()["data"]) == 100


def test_following_next_gives_every_provider_once_in_order(api):
    made = providers_bulk(53)
    rows = _all_pages(api, {"page_size": "10"})
    assert [row["id"] for row in rows] == [str(provider.pk) for provider in made]


def test_next_keeps_the_filters(api):
    made = providers_bulk(30, provider_type=ProviderType.SCHOOL)
    providers_bulk(30)
    response = api(LIST, {"provider_type": "school", "page_size": "20"})
    next_link = response.json()["links"]["next"]
    query = parse_qs(urlsplit(next_link).query)
    assert query["provider_type"] == ["school"]
    assert query["page_size"] == ["20"]
    assert next_link.startswith("http://testserver/api/v1/providers?")
    second = api(next_link).json()
    assert [row["id"] for row in second["data"]] == [str(provider.pk) for provider in made[20:]]
    assert second["links"]["next"] is None


def test_pages_stay_stable_when_providers_change_between_them(api):
    made = providers_bulk(30)
    first = api(LIST, {"page_size": "10"}).json()
    # While the client reads, a provider it has seen changes and one it has not yet seen changes too.
    for provider in (made[2], made[15]):
        provider.operating_name += " (renamed)"
        provider.save()
    rows = first["data"] + _all_pages_from(api, first["links"]["next"])
    ids = [row["id"] for row in rows]
    # Nothing is missed; what changed comes again at the end, in the order it changed.
    assert set(ids) == {str(provider.pk) for provider in made}
    assert ids[-2:] == [str(made[2].pk), str(made[15].pk)]
    assert len(ids) == 31


def _all_pages_from(api, url) -> list[dict]:
    rows = []
    while url:
        page = api(url).json()
        rows += page["data"]
        url = page["links"]["next"]
    return rows


def test_providers_that_changed_at_the_same_moment_are_not_skipped(api):
    made = providers_bulk(25)
    Provider.objects.update(updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    ids = [row["id"] for row in _all_pages(api, {"page_size": "10"})]
    assert sorted(ids) == sorted(str(provider.pk) for provider in made)
    assert len(ids) == 25


def test_pages_are_found_by_keyset_never_by_offset(api):
    providers_bulk(30)
    next_link = api(LIST, {"page_size": "10"}).json()["links"]["next"]
    with CaptureQueriesContext(connection) as captured:
        api(next_link)
    page_query = captured[-1]["sql"]
    assert "OFFSET" not in page_query.upper()
    assert '("registry_provider"."updated_at", "registry_provider"."id") >' in page_query


def test_a_cursor_is_any_place_in_the_list(api):
    made = providers_bulk(5)
    cursor = queries.cursor_encode(made[2].updated_at, made[2].id)
    assert ids_of(api(LIST, {"cursor": cursor})) == [str(made[3].pk), str(made[4].pk)]
    assert ids_of(api(LIST, {"cursor": "0." + "0" * 32})) == [str(provider.pk) for provider in made]
    assert ids_of(api(LIST, {"cursor": "9" * 16 + "." + "f" * 32})) == []
