"""Rate limits for the API, counted in the cache so that every process shares them.

Each limit counts requests in fixed windows of API_RATE_LIMIT_WINDOW_SECONDS: per token for
requests with a working token (API_RATE_LIMIT_PER_TOKEN), and per client address for everything
else (API_RATE_LIMIT_PER_ADDRESS). The address is the one the server sees (REMOTE_ADDR), never a
header the client can set. Counting is atomic: `add` starts a window's count only if it is not
there, and `incr` is atomic in Redis (and under a lock in local memory).
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

from registry.api.errors import TooManyRequests
from registry.security_events import client_ip, security_event


def _now() -> float:
    return time.time()


def _window() -> tuple[int, float]:
    length = settings.API_RATE_LIMIT_WINDOW_SECONDS
    now = _now()
    return int(now // length) * length, now


def _retry_after(start: int, now: float) -> int:
    return max(1, math.ceil(start + settings.API_RATE_LIMIT_WINDOW_SECONDS - now))


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # The window's count expired between the two calls: this request starts it again.
        cache.set(key, 1, timeout)
        return 1


def _hit(request, scope: str, identifier: str, limit: int) -> None:
    """Count one request against `scope`'s limit for `identifier`; TooManyRequests past it."""
    start, now = _window()
    count = _count(f"ratelimit:{scope}:{identifier}:{start}", settings.API_RATE_LIMIT_WINDOW_SECONDS + 1)
    if count > limit:
        if count == limit + 1:
            # Logged once for each limit and window, so a flood cannot flood the log too.
            security_event("api_rate_limited", outcome="denied", request=request, scope=scope, limit=limit)
        raise TooManyRequests(_retry_after(start, now))


def address_hit(request) -> None:
    """Count a request without a working token against its address's limit."""
    _hit(request, "address", client_ip(request) or "unknown", settings.API_RATE_LIMIT_PER_ADDRESS)


def token_hit(request, token_id) -> None:
    """Count a request with a working token against that token's limit."""
    _hit(request, "token", str(token_id), settings.API_RATE_LIMIT_PER_TOKEN)
