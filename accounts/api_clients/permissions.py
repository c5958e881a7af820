"""Who may use the API and manage API clients: one predicate per rule.

API users hold no role (the database refuses one), so their rights are not a role's. What every
active API user may do is the fixed set `accounts.roles.API_USER_PERMISSIONS`, read here from code
as the roles' permissions are, at no cost in queries.
"""

from accounts.models import ApiClient
from accounts.roles import API_USER_PERMISSIONS, MANAGE_OWN_API_CLIENTS


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
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and not actor.is_api_user
        and actor.has_perm("accounts.change_user")
    )


def user_can_add_api_client_for(actor, owner) -> bool:
    """A support user who manages accounts may add an API user's client for them (their first,
    which they need before they can use the API at all); nobody else adds clients for others."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and not actor.is_api_user
        and actor.has_perm("accounts.change_user")
        and user_can_use_api(owner)
    )
