"""The API switch: support administrators turn the API off and on, and every process knows at once.

DfE's own service has a feature flag for its API, and a "deadman switch" to turn it off; here the
switch is a page (`registry.admin.api_access`) and one row (`accounts.models.ApiAccess`), written only
by `api_access_switch`, whose history row names who turned it and which the Activity page lists.

How the API knows. A request never reads the row: it reads `CACHE_KEY` in the shared cache (Redis in
production, so every process reads the same), in the same round trip to the cache as its token
(`registry.api.authentication`), and a request whose token is refused without a database query asks
the cache alone (`api_known_off`). The key holds "on" or "off". When the cache has lost it (a
restart, an eviction, a flush) the row is read once and the key written again with `add`, so a
reader can never overwrite a newer value with an older one.

How a change gets there. Switching empties the key at once, and writes the new value when the
change commits: until then, readers read the row as it was, and a change rolled back leaves nothing
behind. So the API stops within the moment the switch's transaction takes, in every process, and
nothing waits for a cached value to expire.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiAccess
from accounts.models.api_access import SINGLE_ROW_ID
from accounts.permissions import permission_required, user_can_switch_api
from registry.security_events import security_event_on_commit

CACHE_KEY = "api-access"
ON, OFF = "on", "off"

# The history row's reason, which the Activity page shows as the entry's summary.
API_SWITCHED_ON = "API access switched on"
API_SWITCHED_OFF = "API access switched off"


# --- Reading: what the API asks on every request -----------------------------------------------------


def api_is_on_from(cached: str | None) -> bool:
    """Whether the API is on, given what the cache held for CACHE_KEY (None if nothing)."""
    if cached == ON:
        return True
    if cached == OFF:
        return False
    is_on = ApiAccess.load().is_on
    cache.add(CACHE_KEY, ON if is_on else OFF, timeout=None)
    return is_on


def api_is_on() -> bool:
    return api_is_on_from(cache.get(CACHE_KEY))


def api_known_off() -> bool:
    """Whether the cache says the API is off, asking the database nothing.

    For a request the API refuses anyway (no token, a malformed one): it is told the API is off when
    the cache knows it, and is otherwise refused as it would be with the API on.
    """
    return cache.get(CACHE_KEY) == OFF


# --- Switching -----------------------------------------------------------------------------------------


def _locked() -> ApiAccess:
    """The row, locked until the transaction ends; made first (with no history) if nobody has switched yet."""
    access = ApiAccess.objects.select_for_update().filter(pk=SINGLE_ROW_ID).first()
    if access is None:
        ApiAccess.objects.bulk_create([ApiAccess(pk=SINGLE_ROW_ID)], ignore_conflicts=True)
        access = ApiAccess.objects.select_for_update().get(pk=SINGLE_ROW_ID)
    return access


def _cache_changed(is_on: bool) -> None:
    cache.delete(CACHE_KEY)
    value = ON if is_on else OFF
    transaction.on_commit(lambda: cache.set(CACHE_KEY, value, timeout=None))


@transaction.atomic
def api_access_switch(*, actor, is_on: bool) -> ApiAccess:
    """Turn the API on (`is_on`) or off for every API client, recorded as `actor`'s change.

    Turning it to what it already is changes nothing and records nothing.
    """
    permission_required(actor, user_can_switch_api(actor))
    access = _locked()
    if access.is_on == is_on:
        return access
    access.is_on = is_on
    access.updated_at = timezone.now()
    access._history_user = actor if getattr(actor, "pk", None) else None
    access._change_reason = API_SWITCHED_ON if is_on else API_SWITCHED_OFF
    access.save()
    _cache_changed(is_on)
    security_event_on_commit("api_access_changed", actor=actor, is_on=is_on)
    return access


def api_access_last_change():
    """The switch's latest history row (with its actor), or None if it has never been switched."""
    return ApiAccess.history.select_related("history_user").order_by("-history_date", "-history_id").first()
