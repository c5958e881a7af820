"""Queueing emails to send through GOV.UK Notify, and queueing a failed one again.

Call these inside the transaction that makes the change the email is about: the outbox row and the
task that sends it are written in that transaction, so both happen or neither does.
"""

import logging

from django.conf import settings
from django.db import transaction

from accounts import permissions
from accounts.models import Email, User

logger = logging.getLogger("accounts.emails")


class EmailNotFailed(Exception):
    """Only a failed email can be retried: any other is sent, or on its way."""


def _personalisation(user: User) -> dict:
    # Only what the templates need: no secrets, nothing that could let someone else sign in.
    return {"first_name": user.first_name, "last_name": user.last_name, "service_url": settings.SERVICE_URL}


def email_queue(*, kind: Email.Kind, user: User, personalisation: dict | None = None) -> Email:
    """Queue one email to `user`; `personalisation` adds what this kind's template needs to the usual."""
    from accounts.emails.tasks import email_send

    email = Email.objects.create(
        kind=kind, to=user.email, user=user, personalisation={**_personalisation(user), **(personalisation or {})}
    )
    email_send.enqueue(email_id=str(email.id))
    return email


def email_queue_sign_in_details(*, user: User) -> Email:
    return email_queue(kind=Email.Kind.SIGN_IN_DETAILS, user=user)


def email_queue_account_removed(*, user: User) -> Email:
    return email_queue(kind=Email.Kind.ACCOUNT_REMOVED, user=user)


@transaction.atomic
def email_retry(*, email: Email, actor: User) -> Email:
    """Put a failed email back in the queue, with a fresh set of attempts, and queue its task.

    The last error stays until the email is sent: it tells the support team what went wrong, and
    tells the worker that an earlier try may have reached Notify, so it asks Notify before sending.
    """
    permissions.permission_required(actor, permissions.user_can_retry_emails(actor))
    from accounts.emails.tasks import email_send

    email = Email.objects.select_for_update().get(pk=email.pk)
    if email.status != Email.Status.FAILED:
        raise EmailNotFailed
    email.status = Email.Status.PENDING
    email.attempts = 0
    email.next_attempt_at = None
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    email_send.enqueue(email_id=str(email.id))
    logger.info(
        "Email %s queued again by user %s.",
        email.pk,
        actor.pk,
        extra={"event": "email_retry", "outcome": "success", "email_id": str(email.pk), "actor_id": str(actor.pk)},
    )
    return email
