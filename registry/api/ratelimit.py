"""Rate limits for the API, counted in the cache so that every process shares them.

Each limit counts requests in fixed windows of API_RATE_LIMIT_WINDOW_SECONDS: per token for
requests with a working token (API_RATE_LIMIT_PER_TOKEN), and per client address for everything
else (API_RATE_LIMIT_PER_ADDRESS). The address is the one the server sees (REMOTE_ADDR), never a
header the client can set. Counting is atomic: `add` starts a window's count only if it is not
there, and `incr` is atomic in Redis (and under a lock in local memory).

A token's count is kept under its hash, so that it can be counted in the same round trip to the
cache as the token is looked up in (registry.cache), before anyone knows whose it is.
"""

import dataclasses
import math
import time

from django.conf import settings

from registry.api.errors import TooManyRequests
from registry.cache import cache_count
from registry.security_events import client_ip, security_event


def _now() -> float:
    return time.time()


def _window() -> tuple[int, float]:
    length = settings.API_RATE_LIMIT_WINDOW_SECONDS
    now = _now()
    return int(now // length) * length, now


def _retry_after(start: int, now: float) -> int:
    return max(1, math.ceil(start + settings.API_RATE_LIMIT_WINDOW_SECONDS - now))


@dataclasses.dataclass(frozen=True, slots=True)
class Window:
    """One limit's current window for one identifier: the cache key its requests are counted under."""

    scope: str
    key: str
    start: int
    now: float

    @property
    def timeout(self) -> int:
        return settings.API_RATE_LIMIT_WINDOW_SECONDS + 1


def _current(scope: str, identifier: str) -> Window:
    start, now = _window()
    return Window(scope=scope, key=f"ratelimit:{scope}:{identifier}:{start}", start=start, now=now)


def _check(request, window: Window, count: int, limit: int) -> None:
    if count > limit:
        if count == limit + 1:
            # Logged once for each limit and window, so a flood cannot flood the log too.
            security_event("api_rate_limited", outcome="denied", request=request, scope=window.scope, limit=limit)
        raise TooManyRequests(_retry_after(window.start, window.now))


def _hit(request, scope: str, identifier: str, limit: int) -> None:
    """Count one request against `scope`'s limit for `identifier`; TooManyRequests past it."""
    window = _current(scope, identifier)
    _check(request, window, cache_count(window.key, window.timeout), limit)


def address_hit(request) -> None:
    """Count a request without a working token against its address's limit."""
    _hit(request, "address", client_ip(request) or "unknown", settings.API_RATE_LIMIT_PER_ADDRESS)


def token_window(token_hash: str) -> Window:
    """The window a token's requests are counted in now (counted by the caller, in its round trip)."""
    return _current("token", token_hash)


def token_counted(request, window: Window, count: int) -> None:
    """TooManyRequests if a working token's `count` in its `window` is past the token's limit."""
    _check(request, window, count, settings.API_RATE_LIMIT_PER_TOKEN)
