"""At most 3 tries a person in 3 minutes at the actions DfE's service limits: deleting a user,
archiving a provider, deleting a provider (its Rails `rate_limit to: 3, within: 3.minutes`).

A page that does one of them takes `RateLimitedAction` and names its `rate_limit_scope`. Each POST of
the page counts, once the person has been let in (so a refusal of someone without the right does
not), whether or not the action then succeeds: DfE's counts requests, and so does this. The fourth
POST in a window is answered with the service's 429 page, "Sorry, there’s a problem completing
this action" (`registry.views.TooManyRequests`), with `Retry-After` giving the seconds left in the
window, and changes nothing. Showing the pages (GET) is never limited.

The counts are kept in the shared cache (Redis in production), as the API's are
(`registry.api.ratelimit`), so every process counts the same tries. A person's window for a scope
starts at their first try and lasts PAGE_ACTION_RATE_LIMIT_WINDOW_SECONDS (180); the start is kept
under one key and the count under a key named by the start, so a window that is over is never
counted into, even by a cache that has not yet let its key expire, and `_now` (the clock) can be
moved in tests.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

from registry.cache import cache_count
from registry.security_events import security_event
from registry.views import TooManyRequests


def _now() -> float:
    return time.time()


def action_hit(request, scope: str) -> None:
    """Count one try at `scope` by the signed-in person; TooManyRequests once past the limit."""
    limit, length = settings.PAGE_ACTION_RATE_LIMIT, settings.PAGE_ACTION_RATE_LIMIT_WINDOW_SECONDS
    start_key = f"ratelimit:page:{scope}:{request.user.pk}"
    now = _now()
    cache.add(start_key, now, length)
    start = cache.get(start_key)
    if start is None or now >= start + length:
        # The window is over (or its key was lost between the two calls): this try starts a new one.
        start = now
        cache.set(start_key, start, length)
    count = cache_count(f"{start_key}:{start!r}", length + 1)
    if count > limit:
        if count == limit + 1:
            # Logged once a window, so that trying again and again does not flood the log.
            security_event("page_rate_limited", outcome="denied", request=request, scope=scope, limit=limit)
        raise TooManyRequests(retry_after=max(1, math.ceil(start + length - now)))


class RateLimitedAction:
    """For a page whose POST does a limited action; put it before the page's classes."""

    rate_limit_scope = ""

    def post(self, request, *args, **kwargs):
        action_hit(request, self.rate_limit_scope)
        return super().post(request, *args, **kwargs)
