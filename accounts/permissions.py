"""Who may do what to an account: one predicate per rule, asked by the screens and the server alike."""

from accounts.models import User

CHANGEABLE_BEFORE_FIRST_SIGN_IN = frozenset({"first_name", "last_name", "email", "is_api_user", "is_active"})
# Once someone has signed in, their account is tied to their DfE Sign-in account, which owns their
# name and email address.
CHANGEABLE_AFTER_FIRST_SIGN_IN = frozenset({"is_api_user", "is_active"})


def _is_signed_in_person(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active)


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
    return _is_signed_in_person(actor) and actor.has_perm("accounts.view_user")


def user_can_add_user(actor) -> bool:
    return _is_signed_in_person(actor) and actor.has_perm("accounts.add_user")


def user_can_change_user(actor, user: User) -> bool:
    """Nobody changes their own account (nor a deleted one): someone else must do it for them."""
    return (
        _is_signed_in_person(actor)
        and actor.has_perm("accounts.change_user")
        and not user.is_deleted
        and actor.pk != user.pk
    )


def user_can_delete_user(actor, user: User) -> bool:
    return (
        _is_signed_in_person(actor)
        and actor.has_perm("accounts.delete_user")
        and not user.is_deleted
        and actor.pk != user.pk
    )


def user_can_change_role(actor, user: User) -> bool:
    """Giving someone a role hands them its rights, so it needs a right of its own: nobody can raise
    their own rights, and API users, who never use the web pages, have no role."""
    return user_can_change_user(actor, user) and actor.has_perm("accounts.change_user_role") and not user.is_api_user


def user_changeable_fields(actor, user: User) -> frozenset[str]:
    """The answers `actor` may change on `user`'s account; empty when they may change none."""
    if not user_can_change_user(actor, user):
        return frozenset()
    fields = CHANGEABLE_AFTER_FIRST_SIGN_IN if user.has_signed_in else CHANGEABLE_BEFORE_FIRST_SIGN_IN
    if user_can_change_role(actor, user):
        fields |= {"role"}
    return fields
