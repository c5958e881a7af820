"""The one round trip an API request makes to the cache, on Redis and on local memory."""

import secrets

import pytest
from django.core.cache import cache
from django.test import override_settings

from registry.cache import RedisCache, cache_round_trip

REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_cache():
    return {
        "default": {
            "BACKEND": "registry.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{secrets.token_hex(4)}",
        }
    }


def _local_memory_cache():
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": secrets.token_hex(4)}}


@pytest.fixture(params=[_redis_cache, _local_memory_cache], ids=["redis", "local memory"])
def each_cache(request):
    with override_settings(CACHES=request.param()):
        yield cache
        if isinstance(cache._connections["default"], RedisCache):
            client = cache._cache.get_client(write=True)
            for key in client.scan_iter(f"{cache.key_prefix}:*"):
                client.delete(key)


def _trip(**overrides):
    arguments = {"get": ["a", "b"], "count": "counter", "count_timeout": 60, "mark": "marker", "mark_timeout": 60}
    return cache_round_trip(**{**arguments, **overrides})


def test_reads_what_is_there_and_nothing_for_what_is_not(each_cache):
    each_cache.set("a", {"who": "an API user"})
    trip = _trip(get=["a", "b"])
    assert trip.found == {"a": {"who": "an API user"}}


def test_counts_one_each_trip(each_cache):
    assert [_trip().count for _ in range(3)] == [1, 2, 3]
    assert each_cache.get("counter") == 3


def test_a_count_started_through_the_cache_api_goes_on(each_cache):
    each_cache.add("counter", 0, 60)
    each_cache.incr("counter")
    assert _trip().count == 2


def test_sets_the_marker_only_the_first_time(each_cache):
    assert [_trip().marked for _ in range(3)] == [True, False, False]


def test_the_marker_is_set_again_once_it_has_expired(each_cache):
    assert _trip().marked
    each_cache.delete("marker")
    assert _trip().marked


def test_a_count_keeps_the_expiry_its_window_started_with():
    with override_settings(CACHES=_redis_cache()):
        client = cache._cache.get_client(write=True)
        key = cache.make_key("counter")
        _trip(count_timeout=60)
        client.expire(key, 5)
        _trip(count_timeout=60)
        assert 0 < client.ttl(key) <= 5
        client.delete(key)


def test_redis_commands_share_one_client_per_server():
    with override_settings(CACHES=_redis_cache()):
        assert cache._cache.get_client() is cache._cache.get_client(write=True)
        cache.set("shared", 1)
        assert cache.get("shared") == 1
        cache.delete("shared")
