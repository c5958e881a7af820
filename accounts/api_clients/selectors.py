"""Reading API clients and tokens: an API user's own clients, and who a bearer token belongs to.

Who a token belongs to is kept in the cache for API_TOKEN_CACHE_SECONDS under the token's hash
(never the token), so that an authenticated request usually costs no query for authentication.
Whatever stops a token working clears its entry at once (`api_token_cache_forget`); the time limit
is the backstop for changes made any other way. Expiry and grace periods are checked on every
request, cached or not.
"""

import dataclasses
import datetime
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import router
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.api_clients import tokens
from accounts.models import ApiClient, ApiToken, ApiTokenStatus, User

_CACHE_PREFIX = "api-token:"
# Cached for a token that does not work at all (unknown, revoked, or its client or owner gone).
_INVALID = "invalid"
# What the cache answers when it knows nothing of the token.
MISS = object()
# The user's columns kept in the cache, so that a cached request needs no query to know who it acts
# as. Never the password (unusable for API users in any case).
_USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields if field.attname != "password")


_TOKEN_FIELDS = (
    "id",
    "client_id",
    "token_hash",
    "expires_at",
    "grace_ends_at",
    "client__id",
    "client__owner_id",
    *(f"client__owner__{name}" for name in _USER_FIELDS),
)


@dataclasses.dataclass(frozen=True, slots=True)
class TokenIdentity:
    """Whom a working token authenticates: its owner, through one of their clients."""

    token_id: uuid.UUID
    client_id: uuid.UUID
    user: User
    # Whether the token is stored under an earlier hashing key (and should be hashed again).
    stored_hash: str
    works_until: datetime.datetime


def _cache_key(token_hash: str) -> str:
    return f"{_CACHE_PREFIX}{token_hash}"


def api_token_cache_forget(token_hashes) -> None:
    """Drop what the cache knows of these tokens, so that the next request reads the database."""
    cache.delete_many([_cache_key(token_hash) for token_hash in token_hashes])


def api_token_cache_refuse(token_hashes) -> None:
    """Remember that these tokens no longer work: for a change that has just been committed.

    Written over any entry a request filled in from the database while the change was being made,
    and an entry is only ever filled where there is none, so the refusal cannot be undone by a
    request that read the database before the change.
    """
    cache.set_many({_cache_key(token_hash): _INVALID for token_hash in token_hashes}, settings.API_TOKEN_CACHE_SECONDS)


def _identity(entry, now: datetime.datetime) -> TokenIdentity | None:
    if entry == _INVALID or now >= entry["works_until"]:
        return None
    user = User.from_db(router.db_for_read(User), list(_USER_FIELDS), [entry["user"][name] for name in _USER_FIELDS])
    return TokenIdentity(
        token_id=entry["token_id"],
        client_id=entry["client_id"],
        user=user,
        stored_hash=entry["stored_hash"],
        works_until=entry["works_until"],
    )


def api_token_cache_keys(token: str) -> list[str]:
    """The cache keys what is known of `token` may be under, the current hashing key's first."""
    return [_cache_key(token_hash) for token_hash in tokens.token_hashes(token)]


def api_token_identity_found(keys: list[str], found: dict):
    """Who a token authenticates, given what the cache `found` for its `keys`: a `TokenIdentity`,
    None, or `MISS` if the cache knows nothing of it."""
    for key in keys:
        if key in found:
            return _identity(found[key], timezone.now())
    return MISS


def api_token_refusal_reason(keys: list[str], found: dict) -> str:
    """Why a token that authenticates nobody was refused, for the security log: "expired" if it was
    a working token whose time (its expiry, or its grace period once replaced) has passed, otherwise
    "invalid". Given what the request's round trip `found` in the cache; when that was nothing, the
    cache is asked again (the database read that refused the token has just written its entry), so
    every refusal of a well-formed token costs the same.
    """
    entries = {key: found[key] for key in keys if key in found} or cache.get_many(keys)
    entry = next((entries[key] for key in keys if key in entries), None)
    if isinstance(entry, dict) and timezone.now() >= entry["works_until"]:
        return "expired"
    return "invalid"


def api_token_identity_cached(token: str):
    """Who `token` authenticates, from the cache alone: a `TokenIdentity`, None, or `MISS`.

    Call only with a well-formed token (`tokens.token_is_well_formed`).
    """
    keys = api_token_cache_keys(token)
    return api_token_identity_found(keys, cache.get_many(keys))


def api_token_identity(token: str) -> TokenIdentity | None:
    """Who `token` authenticates, from the database (one query), remembered in the cache.

    It authenticates its client's owner only while the token has not expired, is not revoked and
    is within its grace period if replaced, its client is kept, and the owner is an active,
    undeleted API user. Call only with a well-formed token.
    """
    hashes = tokens.token_hashes(token)
    row = (
        ApiToken.objects.filter(
            token_hash__in=hashes,
            revoked_at__isnull=True,
            client__deleted_at__isnull=True,
            client__owner__is_api_user=True,
            client__owner__is_active=True,
            client__owner__deleted_at__isnull=True,
        )
        .select_related("client__owner")
        .only(*_TOKEN_FIELDS)
        .first()
    )
    if row is None:
        cache.add(_cache_key(hashes[0]), _INVALID, settings.API_TOKEN_CACHE_SECONDS)
        return None
    owner = row.client.owner
    entry = {
        "token_id": row.id,
        "client_id": row.client_id,
        "stored_hash": row.token_hash,
        "works_until": row.works_until(),
        "user": {name: getattr(owner, name) for name in _USER_FIELDS},
    }
    # Only where there is no entry: a refusal written by a revocation must win over this read.
    cache.add(_cache_key(row.token_hash), entry, settings.API_TOKEN_CACHE_SECONDS)
    return _identity(entry, timezone.now())


def api_clients_of(owner: User):
    """The kept clients `owner` holds the object permission to see (their own), oldest first, each
    with its tokens, newest first (two queries: guardian's direct-FK table is a subquery)."""
    visible = get_objects_for_user(
        owner,
        "accounts.view_apiclient",
        klass=ApiClient.objects.kept(),
        use_groups=False,
        accept_global_perms=False,
        with_superuser=False,
    )
    return visible.order_by("created_at", "id").prefetch_related(
        Prefetch("tokens", queryset=ApiToken.objects.defer("token_hash").order_by("-created_at"))
    )


def api_client_of(owner: User, client_id) -> ApiClient:
    """One of `owner`'s kept clients, with its tokens. Anyone else's is `ApiClient.DoesNotExist`."""
    return api_clients_of(owner).get(pk=client_id)


def api_client_list(*, search: str = "", statuses=(), owner_ids=()):
    """Every API user's clients, newest first, revoked and expired ones too, for the support team.

    Each has its `status` (an `ApiTokenStatus`: revoked once revoked, active while a token works,
    otherwise expired) and `token_expires_at`, its newest token's expiry. `search` looks in the
    client's name and its owner's name and email address.
    """
    now = timezone.now()
    tokens_of = ApiToken.objects.filter(client=OuterRef("pk"))
    newest = tokens_of.order_by("-created_at", "-id")
    working = tokens_of.filter(revoked_at__isnull=True, expires_at__gt=now).filter(
        Q(grace_ends_at__isnull=True) | Q(grace_ends_at__gt=now)
    )
    clients = (
        ApiClient.objects.select_related("owner")
        .annotate(
            token_expires_at=Subquery(newest.values("expires_at")[:1]),
            newest_revoked_at=Subquery(newest.values("revoked_at")[:1]),
        )
        .annotate(
            status=Case(
                When(deleted_at__isnull=False, then=Value(ApiTokenStatus.REVOKED)),
                When(Exists(working), then=Value(ApiTokenStatus.ACTIVE)),
                When(newest_revoked_at__isnull=False, then=Value(ApiTokenStatus.REVOKED)),
                default=Value(ApiTokenStatus.EXPIRED),
            )
        )
        .order_by("-created_at", "id")
    )
    if statuses:
        clients = clients.filter(status__in=statuses)
    if owner_ids:
        clients = clients.filter(owner_id__in=owner_ids)
    for word in search.split():
        clients = clients.filter(
            Q(name__icontains=word)
            | Q(owner__first_name__icontains=word)
            | Q(owner__last_name__icontains=word)
            | Q(owner__email__icontains=word)
        )
    return clients


def api_client_get(*, client_id) -> ApiClient | None:
    """One client, revoked or not, with its status and its tokens, newest first."""
    return (
        api_client_list()
        .prefetch_related(Prefetch("tokens", queryset=ApiToken.objects.defer("token_hash").order_by("-created_at")))
        .filter(pk=client_id)
        .first()
    )


def api_client_owners():
    """The API users who hold a client, by name: whom the clients list may be filtered by."""
    return User.objects.filter(api_clients__isnull=False).distinct().order_by("first_name", "last_name", "email")
