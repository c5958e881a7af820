"""At least 4 active support users remain: a rule DfE's own service keeps (`User.ensure_minimum_active_users!`).

An active support user is an account that is kept (not deleted), active and not an API user:
someone who can sign in and look after the service. Deleting one, making one inactive, or making
one an API user is refused when it would leave fewer than `settings.MINIMUM_ACTIVE_SUPPORT_USERS`
(4), and changes nothing. DfE's service answers with a 409 page, "Sorry, you cannot complete this
action"; the pages here say the same, with why (`TooFewSupportUsers.message`).

Both the pages and the services ask. The pages ask `support_user_removal_refusal` before anyone
saves, so the person is told on the page they are on; the services (`accounts.services.user_update`,
`user_delete`) ask again with the active support users' rows locked (`active_support_users_lock`,
taken before the account's own row, always in the same order), so that two changes at once cannot
both pass: the second waits for the first to commit, then counts again without it.
"""

from django.conf import settings

from accounts.models import User

DELETE = "delete"
DEACTIVATE = "deactivate"
MAKE_API_USER = "make_api_user"

CANNOT_COMPLETE = "Sorry, you cannot complete this action"
_WHAT = {
    DELETE: "delete this user",
    DEACTIVATE: "make this user inactive",
    MAKE_API_USER: "make this user an API user",
}


def minimum() -> int:
    return settings.MINIMUM_ACTIVE_SUPPORT_USERS


def refusal_message(removal: str) -> str:
    return (
        f"There must be at least {minimum()} active support users. Add a support user, or make an inactive "
        f"one active, before you {_WHAT[removal]}."
    )


class TooFewSupportUsers(Exception):
    """Refused: the change would leave fewer active support users than the minimum."""

    def __init__(self, removal: str):
        self.removal = removal
        self.message = refusal_message(removal)
        super().__init__(self.message)


def active_support_users():
    return User.objects.kept().filter(is_active=True, is_api_user=False)


def is_active_support_user(user: User) -> bool:
    return user.deleted_at is None and user.is_active and not user.is_api_user


def removal_of(*, changes: dict | None = None, deleting: bool = False) -> str | None:
    """What the change would do to an active support user that may take them out of the count, or None."""
    if deleting:
        return DELETE
    changes = changes or {}
    if changes.get("is_active") is False:
        return DEACTIVATE
    if changes.get("is_api_user") is True:
        return MAKE_API_USER
    return None


def support_user_removal_refusal(user: User, *, changes: dict | None = None, deleting: bool = False) -> str | None:
    """Why the change to `user` would be refused by this rule (the message), or None if it would not.

    For the pages, before anyone saves: read without a lock, so the service asks again when it saves.
    """
    removal = removal_of(changes=changes, deleting=deleting)
    if removal is None or not is_active_support_user(user):
        return None
    if active_support_users().exclude(pk=user.pk).count() >= minimum():
        return None
    return refusal_message(removal)


def active_support_users_lock(*, changes: dict | None = None, deleting: bool = False) -> frozenset | None:
    """Lock the active support users' rows, if the change may take one out of the count: their ids.

    Call it in the change's transaction before locking the account changed, so that every change
    takes the locks in the same order (the ids') and two never wait on each other.
    """
    if removal_of(changes=changes, deleting=deleting) is None:
        return None
    locked = active_support_users().select_for_update().order_by("pk").values_list("pk", flat=True)
    return frozenset(locked)


def support_users_remain(locked: frozenset | None, user: User, *, changes: dict | None = None, deleting=False):
    """Raise TooFewSupportUsers if the change to `user` (locked) would leave too few active support users.

    `locked` is what `active_support_users_lock` returned in the same transaction. A user outside it
    was not an active support user when the rows were locked, so changing them takes nobody out.
    """
    removal = removal_of(changes=changes, deleting=deleting)
    if removal is None or locked is None or user.pk not in locked or not is_active_support_user(user):
        return
    if len(locked) - 1 < minimum():
        raise TooFewSupportUsers(removal)
