"""Who may do what to an account, its emails and the API: one predicate per rule.

The screens ask a predicate before they offer something, and the service that does it asks the same
predicate again and raises PermissionDenied (`permission_required`), so the server never does what
the screen would not offer, whoever calls it. Work the service does itself, with no person behind
it (the daily job, a management command), acts as `SYSTEM`, which no predicate allows and which
`permission_required` lets through on purpose. See "Who checks permissions" in docs/architecture.md.

API users hold no role (the database refuses one), so their rights are not a role's. What every
active API user may do is the fixed set `accounts.roles.API_USER_PERMISSIONS`, read here from code
as the roles' permissions are, at no cost in queries.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import ApiClient, User
from accounts.roles import API_USER_PERMISSIONS, MANAGE_OWN_API_CLIENTS

CHANGEABLE_BEFORE_FIRST_SIGN_IN = frozenset({"first_name", "last_name", "email", "is_api_user", "is_active"})
# Once someone has signed in, their account is tied to their DfE Sign-in account, which owns their
# name and email address.
CHANGEABLE_AFTER_FIRST_SIGN_IN = frozenset({"is_api_user", "is_active"})


class SystemActor:
    """The service itself, acting with no person behind it: a management command, the daily job.

    It is not a person, so every predicate refuses it; a service lets it through only by saying so
    (`permission_required`). Its changes are recorded with no user, as the register's own.
    """

    is_authenticated = False
    is_active = False
    is_api_user = False
    pk = None

    def __repr__(self):
        return "SYSTEM"


SYSTEM = SystemActor()


def permission_required(actor, allowed: bool) -> None:
    """Raise PermissionDenied unless `allowed` (the predicate's answer) or the actor is `SYSTEM`."""
    if actor is not SYSTEM and not allowed:
        raise PermissionDenied


def is_signed_in_person(actor) -> bool:
    """Someone signed in whose account is active: the first thing every predicate asks."""
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


# ---------------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------------


def user_web_access_refusal(user: User) -> str | None:
    """Why `user` may not use the web pages, for the security log; None when they may."""
    if user.is_api_user:
        return "api_user_web_denied"
    if user.is_deleted:
        return "deleted"
    if not user.is_active:
        return "inactive"
    return None


def user_can_view_users(actor) -> bool:
    return is_signed_in_person(actor) and actor.has_perm("accounts.view_user")


def user_can_add_user(actor) -> bool:
    return is_signed_in_person(actor) and actor.has_perm("accounts.add_user")


def user_can_change_user(actor, user: User) -> bool:
    """Nobody changes their own account (nor a deleted one): someone else must do it for them."""
    return (
        is_signed_in_person(actor)
        and actor.has_perm("accounts.change_user")
        and not user.is_deleted
        and actor.pk != user.pk
    )


def user_can_delete_user(actor, user: User) -> bool:
    return (
        is_signed_in_person(actor)
        and actor.has_perm("accounts.delete_user")
        and not user.is_deleted
        and actor.pk != user.pk
    )


def user_can_give_roles(actor) -> bool:
    """Giving someone a role hands them its rights, so it needs a right of its own."""
    return is_signed_in_person(actor) and actor.has_perm("accounts.change_user_role")


def user_can_change_role(actor, user: User) -> bool:
    """Nobody can raise their own rights, and API users, who never use the web pages, have no role."""
    return user_can_change_user(actor, user) and user_can_give_roles(actor) and not user.is_api_user


def user_changeable_fields(actor, user: User) -> frozenset[str]:
    """The answers `actor` may change on `user`'s account; empty when they may change none."""
    if not user_can_change_user(actor, user):
        return frozenset()
    fields = CHANGEABLE_AFTER_FIRST_SIGN_IN if user.has_signed_in else CHANGEABLE_BEFORE_FIRST_SIGN_IN
    if user_can_change_role(actor, user):
        fields |= {"role"}
    return fields


def user_can_view_emails(actor) -> bool:
    """See the emails the service has sent, or failed to send (the Emails pages)."""
    return is_signed_in_person(actor) and actor.has_perm("accounts.view_email")


def user_can_view_user_history(actor) -> bool:
    """What changed on an account and who changed it: for auditors and administrators."""
    return is_signed_in_person(actor) and actor.has_perm("accounts.view_historicaluser")


def user_can_retry_emails(actor) -> bool:
    """Put a failed email back in the queue (the Emails page's Retry)."""
    return is_signed_in_person(actor) and actor.has_perm("accounts.change_email")


# ---------------------------------------------------------------------------------------------------
# The API and API clients
# ---------------------------------------------------------------------------------------------------


def user_can_use_api(user) -> bool:
    """Only an active, undeleted API user may use the API (their tokens work only while this holds)."""
    return bool(
        user is not None and user.is_authenticated and user.is_api_user and user.is_active and user.deleted_at is None
    )


def api_user_permissions(user) -> frozenset[str]:
    """The permissions `user` holds as an API user: none unless they may use the API at all."""
    return API_USER_PERMISSIONS if user_can_use_api(user) else frozenset()


def api_user_can_manage_own_api_clients(user) -> bool:
    """List, add, rename, rotate and revoke their own clients."""
    return MANAGE_OWN_API_CLIENTS in api_user_permissions(user)


# What a client's owner holds on it, as guardian object permissions given when the client is added.
OWNER_OBJECT_PERMISSIONS = ("accounts.view_apiclient", "accounts.change_apiclient", "accounts.delete_apiclient")


def api_user_can_view_api_client(user, client: ApiClient) -> bool:
    """Only whoever holds the client's object permission (its owner) sees it, and a deleted client is
    gone: for anyone else it does not exist."""
    return (
        api_user_can_manage_own_api_clients(user)
        and client.deleted_at is None
        and user.has_perm("accounts.view_apiclient", client)
    )


def api_user_can_change_api_client(user, client: ApiClient) -> bool:
    """Renaming, rotating and revoking follow seeing: the owner may do each while the client is kept."""
    return api_user_can_view_api_client(user, client)


def user_can_manage_api_clients(actor) -> bool:
    """Support users who manage accounts see and revoke every API user's clients in the admin."""
    return is_signed_in_person(actor) and not actor.is_api_user and actor.has_perm("accounts.change_user")


def user_can_switch_api(actor) -> bool:
    """Turn the API off and on for every API client at once: support administrators only."""
    return is_signed_in_person(actor) and not actor.is_api_user and actor.has_perm("accounts.change_apiaccess")


def user_can_add_api_client_for(actor, owner) -> bool:
    """A support user who manages accounts may add an API user's client for them (their first,
    which they need before they can use the API at all); nobody else adds clients for others."""
    return user_can_manage_api_clients(actor) and user_can_use_api(owner)
