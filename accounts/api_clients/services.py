"""Changing API clients and tokens: every write goes through here, with its history and its log.

A token's plaintext exists only in the `IssuedToken` handed back when it is issued, for showing
once; it is never stored, logged or put in history.
"""

import calendar
import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts import permissions
from accounts.api_clients import selectors, tokens
from accounts.models import ApiClient, ApiToken, ApiTokenStatus, User
from registry.security_events import security_event

CLIENT_NAME_MAX_LENGTH = ApiClient._meta.get_field("name").max_length
MAX_CLIENTS_PER_OWNER = 20
DEFAULT_TOKEN_LIFETIME_MONTHS = 6
MAX_TOKEN_LIFETIME_MONTHS = 12
MAX_GRACE_PERIOD = datetime.timedelta(days=7)

CLIENT_NAME_REQUIRED = "Enter client name"
CLIENT_NAME_TOO_LONG = f"Client name must be {CLIENT_NAME_MAX_LENGTH} characters or fewer"
CLIENT_NAME_TAKEN = "Client name must be unique"
TOO_MANY_CLIENTS = (
    f"You cannot have more than {MAX_CLIENTS_PER_OWNER} API clients. Revoke a client you no longer use first"
)
EXPIRY_NOT_IN_FUTURE = "Expiry date must be in the future"
EXPIRY_TOO_FAR = f"Expiry date must be within the next {MAX_TOKEN_LIFETIME_MONTHS} months"
GRACE_PERIOD_OUT_OF_RANGE = "Grace period must be between 0 and 168 hours (7 days)"

# Validation codes that mean the request conflicts with what exists, rather than being malformed.
CONFLICT_CODES = frozenset({"client_name_taken", "too_many_clients"})


class IssuedToken:
    """A token just issued: its record, and its plaintext, to show once and then forget."""

    __slots__ = ("record", "secret")

    def __init__(self, record: ApiToken, secret: str):
        self.record = record
        self.secret = secret

    def __repr__(self):
        # Never the plaintext, which would otherwise reach logs and error reports.
        return f"<IssuedToken {self.record.hint}>"


def months_ahead(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same time `months` calendar months later (the 31st becomes the month's last day)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _clean_name(name) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(CLIENT_NAME_REQUIRED, code="required")
    if len(name) > CLIENT_NAME_MAX_LENGTH:
        raise ValidationError(CLIENT_NAME_TOO_LONG, code="max_length")
    return name


def _expiry(expires_at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    """When a new token expires: as asked, within the next 12 months, or in 6 months by default."""
    if expires_at is None:
        return months_ahead(now, DEFAULT_TOKEN_LIFETIME_MONTHS)
    if timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if expires_at <= now:
        raise ValidationError(EXPIRY_NOT_IN_FUTURE, code="expiry_not_in_future")
    if expires_at > months_ahead(now, MAX_TOKEN_LIFETIME_MONTHS):
        raise ValidationError(EXPIRY_TOO_FAR, code="expiry_too_far")
    return expires_at


def _grace_period(grace_period: datetime.timedelta | None) -> datetime.timedelta:
    if grace_period is None:
        return datetime.timedelta(hours=settings.API_TOKEN_ROTATION_GRACE_HOURS)
    if not datetime.timedelta(0) <= grace_period <= MAX_GRACE_PERIOD:
        raise ValidationError(GRACE_PERIOD_OUT_OF_RANGE, code="grace_period_out_of_range")
    return grace_period


def _validated(**checks) -> dict:
    """Run each (check, argument) pair, gathering every field's error before refusing any."""
    values, errors = {}, {}
    for field, (check, *args) in checks.items():
        try:
            values[field] = check(*args)
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    return values


def _name_taken(owner: User, name: str, *, exclude: ApiClient | None = None) -> bool:
    clients = ApiClient.objects.kept().filter(owner=owner, name__iexact=name)
    if exclude is not None:
        clients = clients.exclude(pk=exclude.pk)
    return clients.exists()


def _name_taken_error() -> ValidationError:
    return ValidationError({"name": ValidationError(CLIENT_NAME_TAKEN, code="client_name_taken")})


def _save(record, *, actor: User, reason: str) -> None:
    record._history_user = actor
    record._change_reason = reason
    record.save()


def _save_client(client: ApiClient, *, actor: User, reason: str) -> None:
    """Save with history; a name taken by a concurrent request is the same error as one taken before."""
    try:
        with transaction.atomic():
            _save(client, actor=actor, reason=reason)
    except IntegrityError:
        if _name_taken(client.owner, client.name, exclude=client):
            raise _name_taken_error() from None
        raise


def _own_client_for_update(actor: User, client_id) -> ApiClient:
    """`actor`'s kept client, locked; anyone else's, like a missing one, is `ApiClient.DoesNotExist`."""
    if not permissions.api_user_can_manage_own_api_clients(actor):
        raise PermissionDenied
    client = ApiClient.objects.kept().select_for_update().filter(owner_id=actor.pk, pk=client_id).first()
    if client is None or not permissions.api_user_can_change_api_client(actor, client):
        raise ApiClient.DoesNotExist
    return client


def _issue(*, client: ApiClient, actor: User, expires_at: datetime.datetime, now, reason: str) -> IssuedToken:
    secret = tokens.token_generate()
    record = ApiToken(
        client=client,
        token_hash=tokens.token_hash(secret),
        hint=tokens.token_hint(secret),
        created_at=now,
        created_by=actor,
        expires_at=expires_at,
    )
    _save(record, actor=actor, reason=reason)
    return IssuedToken(record, secret)


def _after_commit_refuse(token_hashes: list[str]) -> None:
    """Tokens that have stopped working stop at once: now in this process, and everywhere on commit."""
    selectors.api_token_cache_forget(token_hashes)
    transaction.on_commit(lambda: selectors.api_token_cache_refuse(token_hashes))


def _after_commit_forget(token_hashes: list[str]) -> None:
    selectors.api_token_cache_forget(token_hashes)
    transaction.on_commit(lambda: selectors.api_token_cache_forget(token_hashes))


def _log_after_commit(event: str, *, actor: User, target, request=None, **details) -> None:
    transaction.on_commit(
        lambda: security_event(event, outcome="success", request=request, actor=actor, target=target, **details)
    )


@transaction.atomic
def api_client_create(
    *,
    actor: User,
    name: str,
    expires_at: datetime.datetime | None = None,
    owner: User | None = None,
    request=None,
) -> tuple[ApiClient, IssuedToken]:
    """Add a client and issue its first token (6 months unless `expires_at` says otherwise).

    The client is `actor`'s own, or, when a support user who manages accounts adds it for an API
    user, `owner`'s.
    """
    owner = actor if owner is None else owner
    if owner.pk == actor.pk:
        allowed = permissions.api_user_can_manage_own_api_clients(actor)
    else:
        allowed = permissions.user_can_add_api_client_for(actor, owner)
    if not allowed:
        raise PermissionDenied
    now = timezone.now()
    values = _validated(name=(_clean_name, name), expires_at=(_expiry, expires_at, now))
    # Locking the owner makes one owner's additions wait for each other, so the limit and the
    # name check cannot both be passed by two requests at once.
    owner = User.objects.select_for_update().get(pk=owner.pk)
    if ApiClient.objects.kept().filter(owner=owner).count() >= MAX_CLIENTS_PER_OWNER:
        raise ValidationError(TOO_MANY_CLIENTS, code="too_many_clients")
    if _name_taken(owner, values["name"]):
        raise _name_taken_error()
    client = ApiClient(owner=owner, name=values["name"], created_at=now)
    _save_client(client, actor=actor, reason="API client added")
    for perm in permissions.OWNER_OBJECT_PERMISSIONS:
        assign_perm(perm, owner, client)
    issued = _issue(client=client, actor=actor, expires_at=values["expires_at"], now=now, reason="API token created")
    _log_after_commit("api_token_created", actor=actor, target=issued.record.pk, request=request, client=str(client.pk))
    return client, issued


@transaction.atomic
def api_client_rename(*, actor: User, client_id, name: str) -> ApiClient:
    client = _own_client_for_update(actor, client_id)
    name = _validated(name=(_clean_name, name))["name"]
    if name == client.name:
        return client
    if _name_taken(client.owner, name, exclude=client):
        raise _name_taken_error()
    client.name = name
    _save_client(client, actor=actor, reason="API client renamed")
    return client


@transaction.atomic
def api_client_token_rotate(
    *,
    actor: User,
    client_id,
    expires_at: datetime.datetime | None = None,
    grace_period: datetime.timedelta | None = None,
    request=None,
) -> IssuedToken:
    """Issue a new token for a client; the one it replaces keeps working for the grace period.

    The grace period (at most 7 days; API_TOKEN_ROTATION_GRACE_HOURS unless asked) lets the client's
    systems move to the new token without a gap. A token already in its grace period stops at once,
    so a client never has more than two working tokens.
    """
    client = _own_client_for_update(actor, client_id)
    now = timezone.now()
    values = _validated(expires_at=(_expiry, expires_at, now), grace_period=(_grace_period, grace_period))
    changed = []
    for token in client.tokens.filter(revoked_at__isnull=True).select_for_update():
        status = token.status(now)
        if status == ApiTokenStatus.ACTIVE:
            token.replaced_at = now
            token.grace_ends_at = min(now + values["grace_period"], token.expires_at)
            _save(token, actor=actor, reason="API token replaced")
            changed.append(token)
        elif status == ApiTokenStatus.REPLACED:
            token.grace_ends_at = now
            _save(token, actor=actor, reason="API token grace period ended")
            changed.append(token)
    issued = _issue(client=client, actor=actor, expires_at=values["expires_at"], now=now, reason="API token rotated")
    _after_commit_forget([token.token_hash for token in changed])
    _log_after_commit(
        "api_token_rotated",
        actor=actor,
        target=issued.record.pk,
        request=request,
        client=str(client.pk),
        replaced=[str(token.pk) for token in changed],
    )
    return issued


def _revoke(tokens_to_revoke, *, actor: User | None, now, reason: str) -> list[ApiToken]:
    revoked = []
    for token in tokens_to_revoke:
        token.revoked_at = now
        token.revoked_by = actor
        _save(token, actor=actor, reason=reason)
        revoked.append(token)
    _after_commit_refuse([token.token_hash for token in revoked])
    return revoked


@transaction.atomic
def api_client_revoke(*, actor: User, client_id, request=None) -> ApiClient:
    """Revoke a client: every token of it stops working at once, for good, and the client is deleted.

    Its owner may, and so may a support user who manages accounts (from the admin).
    """
    if permissions.user_can_manage_api_clients(actor):
        client = ApiClient.objects.kept().select_for_update().filter(pk=client_id).first()
        if client is None:
            raise ApiClient.DoesNotExist
    else:
        client = _own_client_for_update(actor, client_id)
    now = timezone.now()
    revoked = _revoke(
        client.tokens.filter(revoked_at__isnull=True).select_for_update(),
        actor=actor,
        now=now,
        reason="API token revoked",
    )
    client.deleted_at = now
    _save(client, actor=actor, reason="API client revoked")
    _log_after_commit(
        "api_client_revoked", actor=actor, target=client.pk, request=request, tokens=[str(t.pk) for t in revoked]
    )
    return client


@transaction.atomic
def api_tokens_revoke_for_user(*, user: User, actor: User | None) -> int:
    """Revoke every token of every client of `user`, at once. Returns how many were revoked.

    For when `user` stops being able to use the API: deactivated, deleted, or no longer an API user.
    Their tokens would be refused anyway; revoking them makes that final and immediate everywhere.
    """
    revoked = _revoke(
        ApiToken.objects.filter(client__owner=user, revoked_at__isnull=True).select_for_update(of=("self",)),
        actor=actor,
        now=timezone.now(),
        reason="API token revoked: its owner can no longer use the API",
    )
    if revoked:
        _log_after_commit(
            "api_tokens_revoked", actor=actor, target=user.pk, tokens=[str(token.pk) for token in revoked]
        )
    return len(revoked)


def api_token_used_key(token_hash: str) -> str:
    """The cache key set by a token's first use in each API_TOKEN_LAST_USED_INTERVAL_SECONDS."""
    return f"api-token-used:{token_hash}"


def api_token_mark_used(*, identity: selectors.TokenIdentity, token: str, first_use: bool | None = None) -> bool:
    """Record that a token was used, at most once per API_TOKEN_LAST_USED_INTERVAL_SECONDS.

    Not on every request: only the first use in each interval writes, the one that sets the
    token's `api_token_used_key` in the cache; `first_use` says whether the caller has set it (in
    a round trip of its own), None to set it here. Using a token is not a change to it, so no
    history is written. A token still stored under an earlier hashing key is stored under the
    current one at the same time. Returns whether anything was written.
    """
    current_hash = tokens.token_hash(token)
    if first_use is None:
        first_use = cache.add(api_token_used_key(current_hash), 1, settings.API_TOKEN_LAST_USED_INTERVAL_SECONDS)
    if not first_use:
        return False
    changes = {"last_used_at": timezone.now()}
    if current_hash != identity.stored_hash:
        changes["token_hash"] = current_hash
    ApiToken.objects.filter(pk=identity.token_id).update(**changes)
    if "token_hash" in changes:
        selectors.api_token_cache_forget([identity.stored_hash])
    return True
