"""The cache backends the service runs on, and the one round trip an API request makes to the cache.

Django's Redis backend makes a new redis-py client for every command, and redis-py fills in its
table of response callbacks each time it makes one: a cost per command larger than the command's
own on a fast network. `RedisCache` keeps one client per connection pool instead (the client is
safe to share between threads: each command takes a connection from the pool).

An authenticated API request needs four things from the cache: who its token belongs to, the
register's version, its count in the rate limit's window, and whether it is the first use of its
token in the "last used" interval. `RoundTrip` asks for all four at once: one pipeline on Redis,
one call after another on any other cache.
"""

import dataclasses

import redis.exceptions
from django.core.cache import cache
from django.core.cache.backends import redis as django_redis

# What the shared cache (Redis, REDIS_URL) raises when it cannot be reached, does not answer in time
# (CACHES' socket timeouts), answers what is not Redis's protocol, or refuses every command as a
# replica left read-only by a failover or a Redis out of memory does: the request is a 503
# (registry.views), logged as `cache_unavailable`. Any other error from Redis is a bug, and a 500.
CACHE_UNAVAILABLE = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.InvalidResponse,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.MasterDownError,
)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


@dataclasses.dataclass(frozen=True, slots=True)
class RoundTrip:
    """What one request learnt from the cache."""

    # What the cache holds for each key asked for, without the keys it has nothing for.
    found: dict
    # This request's number in its counter (counted in the same round trip).
    count: int
    # Whether this request set the marker (it was not set before).
    marked: bool


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def round_trip(self, *, get: list[str], count: str, count_timeout: int, mark: str, mark_timeout: int) -> RoundTrip:
        keys = [self.make_and_validate_key(key) for key in get]
        count_key = self.make_and_validate_key(count)
        mark_key = self.make_and_validate_key(mark)
        client = self._cache.get_client(write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.mget(keys)
        pipeline.incr(count_key)
        # The window's expiry is set by its first request only, so the window does not slide.
        pipeline.expire(count_key, count_timeout, nx=True)
        pipeline.set(mark_key, 1, ex=mark_timeout, nx=True)
        values, counted, _, marked = pipeline.execute()
        loads = self._cache._serializer.loads
        found = {key: loads(value) for key, value in zip(get, values, strict=True) if value is not None}
        return RoundTrip(found=found, count=counted, marked=bool(marked))


def cache_round_trip(*, get: list[str], count: str, count_timeout: int, mark: str, mark_timeout: int) -> RoundTrip:
    """Read `get`, count one against `count` and set `mark` if not set, in one round trip where the
    cache can (see the module's docstring)."""
    round_trip = getattr(cache, "round_trip", None)
    if round_trip is not None:
        return round_trip(get=get, count=count, count_timeout=count_timeout, mark=mark, mark_timeout=mark_timeout)
    return RoundTrip(
        found=cache.get_many(get), count=cache_count(count, count_timeout), marked=cache.add(mark, 1, mark_timeout)
    )


def cache_count(key: str, timeout: int) -> int:
    """Count one against `key` (which lives `timeout` seconds from its first count); the count now."""
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # The count expired between the two calls: this one starts it again.
        cache.set(key, 1, timeout)
        return 1
