"""Giving someone access to one provider, and taking it away, recorded.

Access to one provider is a guardian object permission on it (`registry.models.permissions`, the
direct-FK tables): `change_provider` to change the provider and its records, or `view_provider` to
read it; `registry.permissions` reads them. Only support administrators give or remove access
(`user_can_manage_provider_permissions`), as only they give roles: an editor who could share a
provider could give anyone the right to change it.

Only an active support user may be given access: never an API user, an inactive or deleted
account, nor the person giving it (who could otherwise keep, through one provider, a right their
role later loses). A person holds one kind of access to a provider at a time: giving the other
kind replaces it.

Each change writes a `ProviderAccessChange` row, with its history row naming the actor and the
reason ("Access given to Mary Lawson: change this provider"), which the Activity page and the
provider's history list; and, once it commits, a security event (`provider_access_granted`,
`provider_access_removed`). The API does not show who has access, so the register's version is
left alone.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import Truncator
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from accounts.permissions import SYSTEM, permission_required
from registry import permissions
from registry.models import Provider, ProviderAccessChange, ProviderGroupObjectPermission, ProviderUserObjectPermission
from registry.security_events import security_event_on_commit
from registry.services.history import save_with_history

Access = ProviderAccessChange.Access

# The permission on the provider that each kind of access is, strongest first.
ACCESS_PERMISSIONS = {Access.CHANGE: "change_provider", Access.VIEW: "view_provider"}
_ACCESS_BY_CODENAME = {codename: access for access, codename in ACCESS_PERMISSIONS.items()}

# What the pages and the services say, in one place (the form's `error_messages` too).
PROVIDER_ACCESS_MESSAGES = {
    "user_required": "Select the person you want to give access to",
    "user_ineligible": "Select an active support user",
    "user_is_actor": "Select someone other than yourself",
    "access_required": "Select what they can do",
    "access_held": "{name} can already {access}",
    "access_not_held": "{name} does not have access to this provider",
}
ACCESS_GIVEN = "Access given to {name}"
ACCESS_REMOVED = "Access removed from {name}"


class ProviderAccessNotHeld(ValidationError):
    """Removing access from someone who has none (someone else removed it meanwhile)."""

    def __init__(self, user: User):
        message = PROVIDER_ACCESS_MESSAGES["access_not_held"].format(name=user.full_name)
        super().__init__(message, code="access_not_held")


# ---------------------------------------------------------------------------------------------------
# Reading who has access
# ---------------------------------------------------------------------------------------------------


def provider_access_recipients(*, actor) -> models.QuerySet:
    """Who may be given access to a provider by `actor`: active support users, never themselves."""
    people = User.objects.kept().filter(is_active=True, is_api_user=False)
    if getattr(actor, "pk", None) is not None:
        people = people.exclude(pk=actor.pk)
    return people.order_by("first_name", "last_name", "email")


def provider_access_recipient_search(*, actor, search: str, limit: int = 25) -> list[User]:
    """Recipients whose name or email address has every word of `search` in it, by name."""
    words = search.split()
    if not words:
        return []
    people = provider_access_recipients(actor=actor)
    for word in words:
        people = people.filter(
            models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word) | models.Q(email__icontains=word)
        )
    return list(people[:limit])


def _strongest(codenames) -> Access | None:
    held = {_ACCESS_BY_CODENAME[codename] for codename in codenames if codename in _ACCESS_BY_CODENAME}
    return next((access for access in ACCESS_PERMISSIONS if access in held), None)


def provider_access_holders(*, provider: Provider) -> list[tuple[User, Access]]:
    """Everyone given access to `provider` alone, by name, with the access they hold.

    Accounts that can no longer sign in (inactive, deleted, made API users) are listed too, until
    their access is removed: what they hold would apply again if they could.
    """
    rows = ProviderUserObjectPermission.objects.filter(
        content_object=provider, permission__codename__in=_ACCESS_BY_CODENAME
    ).values_list("user_id", "permission__codename")
    held: dict = {}
    for user_id, codename in rows:
        held.setdefault(user_id, set()).add(codename)
    people = User.objects.filter(pk__in=held).order_by("first_name", "last_name", "email")
    return [(person, _strongest(held[person.pk])) for person in people]


def provider_access_groups(*, provider: Provider) -> list[tuple[str, Access]]:
    """Groups holding access to `provider` (given on guardian's old pages; the service gives none)."""
    rows = ProviderGroupObjectPermission.objects.filter(
        content_object=provider, permission__codename__in=_ACCESS_BY_CODENAME
    ).values_list("group__name", "permission__codename")
    held: dict = {}
    for name, codename in rows:
        held.setdefault(name, set()).add(codename)
    return [(name, _strongest(codenames)) for name, codenames in sorted(held.items())]


def provider_access_of(*, provider: Provider, user: User) -> Access | None:
    """The access `user` has been given to `provider` alone, if any."""
    return _strongest(_held_codenames(provider, user))


def _held_codenames(provider: Provider, user: User) -> set[str]:
    return set(
        ProviderUserObjectPermission.objects.filter(
            content_object=provider, user=user, permission__codename__in=_ACCESS_BY_CODENAME
        ).values_list("permission__codename", flat=True)
    )


# ---------------------------------------------------------------------------------------------------
# Giving and removing access
# ---------------------------------------------------------------------------------------------------


def _locked_provider(provider: Provider) -> Provider:
    """The provider, locked until the change commits, so that changes to its access go one at a time."""
    locked = Provider.objects.kept().select_for_update().filter(pk=provider.pk).first()
    if locked is None:
        raise Provider.DoesNotExist
    return locked


def _error(field: str, code: str, **params) -> ValidationError:
    return ValidationError({field: ValidationError(PROVIDER_ACCESS_MESSAGES[code].format(**params), code=code)})


def _record(*, actor, provider: Provider, user: User, access: Access, change, reason: str) -> ProviderAccessChange:
    record = ProviderAccessChange(
        provider=provider,
        user=user,
        access=access,
        change=change,
        changed_by=None if actor is SYSTEM else actor,
    )
    record.full_clean()
    save_with_history(record, actor=actor, reason=reason)
    return record


def _log_after_commit(event: str, *, actor, provider: Provider, user: User, access: Access) -> None:
    security_event_on_commit(event, actor=actor, target=provider.pk, user_id=str(user.pk), access=str(access))


@transaction.atomic
def provider_access_grant(*, actor, provider: Provider, user: User, access: str) -> ProviderAccessChange:
    """Give `user` the `access` ("change" or "view") to `provider` alone, replacing any they had.

    Refuses, as a ValidationError on `user`, anyone but an active support user other than `actor`,
    and, on `access`, the access they already have.
    """
    provider = _locked_provider(provider)
    permission_required(actor, permissions.user_can_manage_provider_permissions(actor))
    if access not in ACCESS_PERMISSIONS:
        raise _error("access", "access_required")
    access = Access(access)
    # The account as it is now, locked: deactivating it meanwhile waits for this change, or is seen.
    user = User.objects.select_for_update().filter(pk=getattr(user, "pk", None)).first()
    if user is None or not user.can_use_web_interface:
        raise _error("user", "user_ineligible")
    if actor is not SYSTEM and user.pk == actor.pk:
        raise _error("user", "user_is_actor")
    held = _held_codenames(provider, user)
    wanted = ACCESS_PERMISSIONS[access]
    if held == {wanted}:
        raise _error("access", "access_held", name=user.full_name, access=access_in_words(access))
    assign_perm(f"registry.{wanted}", user, provider)
    for codename in held - {wanted}:
        remove_perm(f"registry.{codename}", user, provider)
    record = _record(
        actor=actor,
        provider=provider,
        user=user,
        access=access,
        change=ProviderAccessChange.Change.GIVEN,
        reason=_reason(ACCESS_GIVEN, user, access),
    )
    _log_after_commit("provider_access_granted", actor=actor, provider=provider, user=user, access=access)
    return record


@transaction.atomic
def provider_access_remove(*, actor, provider: Provider, user: User) -> ProviderAccessChange:
    """Take away whatever access `user` has been given to `provider` alone.

    Anyone's access may be removed, whatever their account has become since it was given.
    """
    provider = _locked_provider(provider)
    permission_required(actor, permissions.user_can_manage_provider_permissions(actor))
    held = _held_codenames(provider, user)
    access = _strongest(held)
    if access is None:
        raise ProviderAccessNotHeld(user)
    for codename in held:
        remove_perm(f"registry.{codename}", user, provider)
    record = _record(
        actor=actor,
        provider=provider,
        user=user,
        access=access,
        change=ProviderAccessChange.Change.REMOVED,
        reason=_reason(ACCESS_REMOVED, user, access),
    )
    _log_after_commit("provider_access_removed", actor=actor, provider=provider, user=user, access=access)
    return record


def access_in_words(access: Access) -> str:
    """ "change this provider and its records": the access, within a sentence."""
    return access.label[:1].lower() + access.label[1:]


# How a change's reason names the access: "Access given to Mary Lawson: change this provider".
_REASON_WORDS = {Access.CHANGE: "change this provider", Access.VIEW: "view this provider"}


def _reason(words: str, user: User, access: Access) -> str:
    """The change's reason, in the length history keeps (100 characters): a very long name is shortened."""
    length = ProviderAccessChange.history.model._meta.get_field("history_change_reason").max_length
    ending = f": {_REASON_WORDS[access]}"
    room = length - len(words.format(name="")) - len(ending)
    return words.format(name=Truncator(user.full_name).chars(room)) + ending
