"""GET /api/v1/changes as a client meets it: its parameters, ETags, tokens and cost, and the
documentation's sync loop run as it is written."""

import json
import types

import pytest
from django.db import transaction

from accounts.api_clients import selectors, tokens
from accounts.permissions import SYSTEM
from registry.api.documentation import sync_example
from registry.models import PublishedProvider
from registry.services.changes import provider_changes_record
from registry.services.providers import provider_archive, provider_delete
from tests.accounts.api_clients.fixtures import bearer
from tests.factories import ProviderFactory
from tests.registry.api.test_changes_feed import FEED, actor, add_address, published, register_now

__all__ = ["actor"]

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------------
# Parameters, ETags, tokens and cost
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": "-1"}, "after"),
        ({"after": "1.5"}, "after"),
        ({"after": "abc"}, "after"),
        ({"after": "99999999999999999999"}, "after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"cursor": "x"}, "cursor"),
    ],
)
def test_bad_parameters_are_refused_in_the_api_s_error_shape(api, params, field):
    errors = api(FEED, params, status=400).json()["errors"]
    assert [(error["error"], error["field"]) for error in errors] == [("BadRequest", field)]


def test_without_a_token_401(client):
    response = client.get(FEED)
    assert response.status_code == 401
    assert response.json()["errors"][0]["error"] == "Unauthorized"


def test_if_none_match_gives_304_until_something_changes(api, actor):
    (provider,) = published(ProviderFactory())
    etag = api(FEED)["ETag"]

    assert api(FEED, status=304, if_none_match=etag).content == b""
    add_address(actor, provider)
    assert api(FEED, if_none_match=etag)["ETag"] != etag


def test_an_incremental_sync_after_one_change_is_one_request_and_one_query(
    client, token, actor, django_assert_num_queries, settings
):
    settings.API_PAGE_CACHE_BYTES = 0
    provider, _ = published(*ProviderFactory.create_batch(2))
    after = client.get(FEED, headers=bearer(token)).json()["next_after"]
    add_address(actor, provider)

    with django_assert_num_queries(1):
        page = client.get(FEED, {"after": after}, headers=bearer(token)).json()
    assert [change["id"] for change in page["data"]] == [str(provider.pk)]

    etag = client.get(FEED, {"after": after}, headers=bearer(token))["ETag"]
    with django_assert_num_queries(1):
        assert client.get(FEED, {"after": after}, headers={**bearer(token), "If-None-Match": etag}).status_code == 304
    selectors.api_token_cache_forget(tokens.token_hashes(token))
    with django_assert_num_queries(2):
        client.get(FEED, {"after": page["next_after"]}, headers=bearer(token))


def test_a_page_of_a_thousand_is_one_query(client, token, django_assert_num_queries, settings):
    settings.API_PAGE_CACHE_BYTES = 0
    published(*ProviderFactory.create_batch(30))
    client.get(FEED, {"limit": "1"}, headers=bearer(token))
    with django_assert_num_queries(1):
        page = client.get(FEED, {"limit": "1000"}, headers=bearer(token)).json()
    assert len(page["data"]) == 30


def test_publishing_many_providers_costs_a_few_queries_not_a_few_per_provider(django_assert_max_num_queries):
    providers = ProviderFactory.create_batch(40)
    with django_assert_max_num_queries(14), transaction.atomic():
        provider_changes_record(providers, actor=SYSTEM, reason="Imported")
    assert PublishedProvider.objects.count() == 40


# ---------------------------------------------------------------------------------------------------
# The documentation's sync loop, run as it is written
# ---------------------------------------------------------------------------------------------------


class _StopSyncing(Exception):
    pass


def test_the_documented_sync_loop_keeps_a_copy_equal_to_the_register(
    client, token, actor, tmp_path, monkeypatch, settings
):
    provider, other = published(*ProviderFactory.create_batch(2))
    add_address(actor, provider)
    provider_archive(actor=actor, provider=other)
    provider_delete(actor=actor, provider=other)

    def get(url, params=None, headers=None, timeout=None):
        response = client.get(url.removeprefix(settings.SERVICE_URL.rstrip("/")), params, headers=headers)
        response.raise_for_status = lambda: None
        return response

    def sleep(seconds):
        raise _StopSyncing  # up to date: the loop would wait, and the test ends

    monkeypatch.setenv("REGISTER_API_TOKEN", token)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "sync"}
    exec(sync_example(), namespace)  # the documentation's own code
    # Its requests go to the test client, and its wait for more changes ends the test.
    namespace["requests"] = types.SimpleNamespace(get=get)
    namespace["time"] = types.SimpleNamespace(sleep=sleep)

    with pytest.raises(_StopSyncing):
        namespace["sync_forever"]()

    copy = json.loads((tmp_path / "register.json").read_text())
    assert copy["providers"] == register_now()
    assert copy["after"] == PublishedProvider.objects.order_by("-position").values_list("position", flat=True)[0]
