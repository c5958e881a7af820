"""Queueing emails to send through GOV.UK Notify.

Call these inside the transaction that makes the change the email is about: the outbox row and the
task that sends it are written in that transaction, so both happen or neither does.
"""

from django.conf import settings

from accounts.models import Email, User


def _personalisation(user: User) -> dict:
    # Only what the templates need: no secrets, nothing that could let someone else sign in.
    return {"first_name": user.first_name, "last_name": user.last_name, "service_url": settings.SERVICE_URL}


def email_queue(*, kind: Email.Kind, user: User) -> Email:
    from accounts.emails.tasks import email_send

    email = Email.objects.create(kind=kind, to=user.email, user=user, personalisation=_personalisation(user))
    email_send.enqueue(email_id=str(email.id))
    return email


def email_queue_sign_in_details(*, user: User) -> Email:
    return email_queue(kind=Email.Kind.SIGN_IN_DETAILS, user=user)


def email_queue_account_removed(*, user: User) -> Email:
    return email_queue(kind=Email.Kind.ACCOUNT_REMOVED, user=user)
