"""Which account a DfE Sign-in identity signs in to, and keeping that account in line with DfE Sign-in.

People are matched to accounts by their DfE Sign-in id (`sub`); an email address only links a
DfE Sign-in id to an account that has none yet. Nobody gets an account by signing in. Once signed
in, the account takes the person's name and email address from DfE Sign-in, recorded in its history
as their own change.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.dfe_sign_in.errors import DfESignInIdentityMismatch, DfESignInNoAccount
from accounts.dfe_sign_in.flow import DfESignInIdentity
from accounts.models import User
from accounts.models.user import normalise_email
from registry.security_events import security_event

CHANGE_REASON = "Updated from DfE Sign-in"
UID_RELEASED_REASON = "DfE Sign-in id moved to the person's new account"


def dfe_sign_in_user_resolve(*, identity: DfESignInIdentity, request=None) -> User:
    """The kept account this identity signs in to, whatever its access.

    An account is found by its DfE Sign-in id. Failing that, an account with no DfE Sign-in id yet
    is found by email address (the id is stored when the person signs in). An email address on an
    account already linked to another DfE Sign-in id is a different person, or a takeover attempt:
    it is refused and logged.
    """
    user = User.objects.kept().filter(dfe_sign_in_uid=identity.sub).first()
    if user is not None:
        return user
    email = normalise_email(identity.email)
    if not email or identity.email_verified is False:
        raise DfESignInNoAccount
    user = User.objects.kept().filter(email__iexact=email).first()
    if user is None:
        raise DfESignInNoAccount
    if user.dfe_sign_in_uid:
        security_event(
            "dfe_sign_in_identity_mismatch",
            outcome="denied",
            request=request,
            target=user.pk,
            dfe_sign_in_uid=identity.sub,
        )
        raise DfESignInIdentityMismatch
    return user


@transaction.atomic
def dfe_sign_in_user_update(*, user: User, identity: DfESignInIdentity, request=None) -> User:
    """Bring the account up to date with DfE Sign-in: its DfE Sign-in id, name and email address.

    Recorded in the account's history as a change by the person themself, and only when something
    changed. An email address that another account uses is left unchanged, and logged.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.dfe_sign_in_uid and user.dfe_sign_in_uid != identity.sub:
        raise DfESignInIdentityMismatch

    changes = {}
    if not user.dfe_sign_in_uid:
        changes["dfe_sign_in_uid"] = identity.sub
    for field, value in (("first_name", identity.given_name), ("last_name", identity.family_name)):
        value = value[: User._meta.get_field(field).max_length].strip()
        if value and value != getattr(user, field):
            changes[field] = value
    email = _usable_email(identity.email)
    if email and email != user.email:
        if User.objects.kept().filter(email__iexact=email).exclude(pk=user.pk).exists():
            security_event("dfe_sign_in_email_conflict", outcome="denied", request=request, actor=user, target=user.pk)
        else:
            changes["email"] = email
    if not changes:
        return user

    if "dfe_sign_in_uid" in changes:
        _uid_release_from_deleted_accounts(uid=identity.sub, to=user)
    for field, value in changes.items():
        setattr(user, field, value)
    user._history_user = user
    user._change_reason = CHANGE_REASON
    user.save()
    return user


def _usable_email(value: str) -> str:
    email = normalise_email(value)
    if not email or len(email) > User._meta.get_field("email").max_length:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _uid_release_from_deleted_accounts(*, uid: str, to: User) -> None:
    """A person whose account was deleted, and who was given a new one, keeps their DfE Sign-in id:
    it moves from the deleted account (where it must be unique) to the new one."""
    for deleted in User.objects.filter(dfe_sign_in_uid=uid, deleted_at__isnull=False).select_for_update():
        deleted.dfe_sign_in_uid = None
        deleted._history_user = to
        deleted._change_reason = UID_RELEASED_REASON
        deleted.save()
