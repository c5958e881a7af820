"""Bearer-token authentication for the API.

A token is read from the `Authorization: Bearer …` header and nowhere else: one in the query string
or a cookie is ignored. Every refusal is the same 401, whatever was wrong with the token, and a
malformed one is refused before the cache or the database is asked.
"""

import re

from django.conf import settings
from django.core.cache import cache

from accounts import api_access
from accounts.api_clients import selectors, services, tokens
from accounts.permissions import user_can_use_api
from registry import register_version
from registry.api import ratelimit
from registry.api.errors import ApiSwitchedOff, Unauthorized
from registry.cache import cache_round_trip
from registry.security_events import security_event

_BEARER = re.compile(r"Bearer +(\S+) *", re.IGNORECASE)


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is None:
        return None
    match = _BEARER.fullmatch(header)
    return match.group(1) if match else ""


def _refuse(request, reason: str):
    # While the API is switched off everyone is told so, if the cache knows it (no query for a refusal).
    if api_access.api_known_off():
        raise ApiSwitchedOff
    ratelimit.address_hit(request)
    security_event("api_authentication_failed", outcome="failure", request=request, reason=reason)
    raise Unauthorized


def authenticate(request) -> selectors.TokenIdentity:
    """Who the request's token authenticates, counted against that token's rate limit.

    Refused (Unauthorized, counted against the address's limit) unless the token works. Sets
    `request.user` to the token's owner, so that whatever the request changes is recorded as theirs,
    and `request.register_version` to the register's version (registry.register_version), read in
    the same round trip to the cache. While the API is switched off (accounts.api_access, read in the
    same round trip) every request is refused with ApiSwitchedOff, a 503.
    """
    token = bearer_token(request)
    if token is None:
        _refuse(request, "missing")
    if not tokens.token_is_well_formed(token):
        _refuse(request, "malformed")
    token_keys = selectors.api_token_cache_keys(token)
    token_hash = tokens.token_hash(token)
    window = ratelimit.token_window(token_hash)
    used_key = services.api_token_used_key(token_hash)
    trip = cache_round_trip(
        get=[*token_keys, register_version.CACHE_KEY, api_access.CACHE_KEY],
        count=window.key,
        count_timeout=window.timeout,
        mark=used_key,
        mark_timeout=settings.API_TOKEN_LAST_USED_INTERVAL_SECONDS,
    )
    if not api_access.api_is_on_from(trip.found.get(api_access.CACHE_KEY)):
        if trip.marked:
            # Not a use of the token: its first use once the API is back on records it.
            cache.delete(used_key)
        raise ApiSwitchedOff
    identity = selectors.api_token_identity_found(token_keys, trip.found)
    if identity is selectors.MISS:
        # Not limited by address first: behind a shared address (a proxy, an office), one client's
        # made-up tokens would otherwise lock out everyone else's real ones. A made-up token costs
        # one indexed query, and is then counted against its address and remembered as refused.
        identity = selectors.api_token_identity(token)
    if identity is None:
        _refuse(request, selectors.api_token_refusal_reason(token_keys, trip.found))
    if not user_can_use_api(identity.user):
        _refuse(request, "invalid")
    request.user = identity.user
    request.register_version = register_version.register_version_from(trip.found.get(register_version.CACHE_KEY))
    ratelimit.token_counted(request, window, trip.count)
    services.api_token_mark_used(identity=identity, token=token, first_use=trip.marked)
    return identity
