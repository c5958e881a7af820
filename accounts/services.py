"""Changing accounts: every write to a user goes through here, with its history and its emails."""

import datetime

from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import permissions
from accounts.api_clients.services import api_tokens_revoke_for_user
from accounts.emails.services import email_queue_account_removed, email_queue_sign_in_details
from accounts.minimum_support_users import active_support_users_lock, support_users_remain
from accounts.models import User
from accounts.models.user import normalise_email
from accounts.roles import Role
from accounts.sessions import LAST_ACTIVE_AT, SIGNED_IN_AT, session_timestamp, user_sessions_end
from registry.security_events import security_event, security_event_on_commit

USER_EMAIL_TAKEN = "Email address already in use"
USER_CHANGED_ELSEWHERE = (
    "Someone else changed this user while you were making your changes, so your changes have not "
    "been saved. Check the user's details and make your changes again."
)


# Who an account is: changing any of these is a security event (role and access have events of their own).
DETAILS_LOGGED = frozenset({"first_name", "last_name", "email"})


class UserChangedElsewhere(Exception):
    """The account changed after the support user started their edit: their save would overwrite it."""

    def __init__(self, message: str = USER_CHANGED_ELSEWHERE):
        super().__init__(message)


def _email_in_use(email: str, *, exclude: User | None = None) -> bool:
    users = User.objects.kept().filter(email__iexact=email)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def _save(user: User, *, actor: User, reason: str) -> None:
    """Save with its history row attributed to `actor`; a lost race for the email is a form error."""
    user._history_user = actor
    user._change_reason = reason
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if _email_in_use(user.email, exclude=user):
            raise ValidationError({"email": ValidationError(USER_EMAIL_TAKEN, code="email_taken")}) from None
        raise


@transaction.atomic
def user_create(*, actor: User, first_name: str, last_name: str, email: str, is_api_user: bool, role: str = "") -> User:
    """Add an account (always active) and email its sign-in details to the new user.

    A support user may be given their `role` at once, by someone who may give roles; an API user
    never has one.
    """
    if not permissions.user_can_add_user(actor):
        raise PermissionDenied
    if role and (is_api_user or not permissions.user_can_give_roles(actor)):
        raise PermissionDenied
    if role and role not in Role:
        raise ValidationError({"role": ValidationError("Select a role", code="role_required")})
    email = normalise_email(email)
    if _email_in_use(email):
        raise ValidationError({"email": ValidationError(USER_EMAIL_TAKEN, code="email_taken")})
    user = User(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        is_api_user=is_api_user,
        is_active=True,
        is_staff=not is_api_user,
        role=role,
    )
    user.set_unusable_password()
    _save(user, actor=actor, reason="User added")
    # Who the account is for stays in its history: the log names it by its id alone.
    security_event_on_commit("user_created", actor=actor, target=user.pk, is_api_user=is_api_user)
    if role:
        _user_groups_sync(user)
        security_event_on_commit("role_changed", actor=actor, target=user.pk, role=role)
    email_queue_sign_in_details(user=user)
    return user


@transaction.atomic
def user_update(*, actor: User, user_id, changes: dict, seen_updated_at: datetime.datetime) -> User:
    """Change the answers in `changes` on an account.

    `seen_updated_at` is when the account was last changed as the support user saw it; if it has
    changed since, nothing is saved. Answers that `actor` may not change are refused outright, and
    TooFewSupportUsers refuses making inactive, or an API user, one of the last 4 active support users.
    """
    support_users = active_support_users_lock(changes=changes)
    actor = _actor_as_now(actor)
    user = User.objects.kept().select_for_update().filter(pk=user_id).first()
    if user is None:
        raise User.DoesNotExist
    changeable = permissions.user_changeable_fields(actor, user)
    if not changeable or not set(changes) <= changeable:
        raise PermissionDenied
    if user.updated_at != seen_updated_at:
        raise UserChangedElsewhere
    support_users_remain(support_users, user, changes=changes)

    if "email" in changes:
        changes["email"] = normalise_email(changes["email"])
        if _email_in_use(changes["email"], exclude=user):
            raise ValidationError({"email": ValidationError(USER_EMAIL_TAKEN, code="email_taken")})
    for field in ("first_name", "last_name"):
        if field in changes:
            changes[field] = changes[field].strip()

    if changes.get("is_api_user"):
        # API users never use the web pages, so a role would give them nothing but risk.
        changes["role"] = ""

    changed = {field: value for field, value in changes.items() if getattr(user, field) != value}
    if not changed:
        return user
    previous = {field: getattr(user, field) for field in changed}
    could_use_web_interface = user.can_use_web_interface
    for field, value in changed.items():
        setattr(user, field, value)
    user.is_staff = not user.is_api_user
    _save(user, actor=actor, reason="User updated")
    if details := sorted(DETAILS_LOGGED & set(changed)):
        # Which answers changed, never what they were or are: the history has those.
        security_event_on_commit("user_details_changed", actor=actor, target=user.pk, fields=details)
    if "role" in changed:
        _user_groups_sync(user)
        security_event_on_commit("role_changed", actor=actor, target=user.pk, role=user.role or None)
    if could_use_web_interface and not user.can_use_web_interface:
        _user_sessions_end_after_commit(user, actor=actor)
    if not (user.is_active and user.is_api_user):
        # Someone who can no longer use the API loses every token at once, not at their expiry.
        api_tokens_revoke_for_user(user=user, actor=actor)
    if "is_active" in changed or "is_api_user" in changed:
        security_event_on_commit(
            "access_changed",
            actor=actor,
            target=user.pk,
            is_active=user.is_active,
            is_api_user=user.is_api_user,
            was_active=previous.get("is_active", user.is_active),
        )
    if "email" in changed:
        email_queue_sign_in_details(user=user)
    return user


def _user_sessions_end_after_commit(user: User, *, actor: User) -> None:
    """Someone who has just lost access loses it everywhere at once: every session they have ends."""

    def end():
        ended = user_sessions_end(user=user)
        security_event("sessions_ended", outcome="success", actor=actor, target=user.pk, sessions=ended)

    transaction.on_commit(end)


def _user_groups_sync(user: User) -> None:
    """The user's group, which holds the permissions, follows their role."""
    user.groups.set(Group.objects.filter(name=user.role) if user.role else [])


@transaction.atomic
def user_delete(*, actor: User, user_id) -> User:
    """Delete an account: the row stays, so history keeps its actor, but the account is gone.

    A returning person gets a new account, never this one back, so its email address is free again.
    TooFewSupportUsers refuses deleting one of the last 4 active support users.
    """
    support_users = active_support_users_lock(deleting=True)
    actor = _actor_as_now(actor)
    user = User.objects.kept().select_for_update().filter(pk=user_id).first()
    if user is None:
        raise User.DoesNotExist
    if not permissions.user_can_delete_user(actor, user):
        raise PermissionDenied
    support_users_remain(support_users, user, deleting=True)
    user.deleted_at = timezone.now()
    user.is_active = False
    user.is_staff = False
    user.role = ""
    _save(user, actor=actor, reason="User deleted")
    _user_groups_sync(user)
    _user_sessions_end_after_commit(user, actor=actor)
    api_tokens_revoke_for_user(user=user, actor=actor)
    security_event_on_commit("user_deleted", actor=actor, target=user.pk)
    email_queue_account_removed(user=user)
    return user


def _actor_as_now(actor):
    """The acting person's account as it is now, read after the locks are taken.

    Two administrators deleting each other at once: the second to get the locks must be refused,
    since the first has just deleted them, and only their account read now says so.
    """
    if not isinstance(actor, User):
        return actor
    now = User.objects.filter(pk=actor.pk).first()
    if now is None:
        raise PermissionDenied
    return now


def user_sign_in(*, request, user: User) -> bool:
    """Start a web session for `user`, or refuse one to an account that may not use the web pages.

    A refused account gets no session at all. Signing in is not a change to the account, so it
    writes no history.
    """
    if not user.can_use_web_interface:
        return False
    login(request, user, backend="accounts.backends.ServiceAccountBackend")
    user.last_signed_in_at = timezone.now()
    request.session[SIGNED_IN_AT] = request.session[LAST_ACTIVE_AT] = session_timestamp(user.last_signed_in_at)
    User.objects.filter(pk=user.pk).update(last_signed_in_at=user.last_signed_in_at)
    return True
