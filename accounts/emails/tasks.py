"""The background task that sends one queued email through GOV.UK Notify.

The `Email` row, not the task, is the record of what happened: a task may run twice, late, or after
a worker died half way, and each run reads the row to decide what is left to do. Notify is called
outside any transaction, so a slow Notify holds no locks, and only after the row is claimed
(PENDING → SENDING), so that a run that finds an email SENDING knows an earlier one may have sent it.
Each claim also queues `email_send_if_stalled` for when the claim runs out, so that an email whose
worker died part way is finished without anyone having to notice.

A task itself can be lost: a worker that dies (or loses the database) after taking a task and before
claiming its email leaves the task marked running for ever and the email waiting. Every email
worker, as it starts, queues a new task for each email overdue like that (`emails_overdue_requeue`);
a second task for an email is harmless, since only one run can claim it.
"""

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from accounts.emails.gateway import EmailNotSent, email_gateway
from accounts.models import Email

logger = logging.getLogger("accounts.emails")


@task(queue_name="emails")
def email_send(*, email_id: str) -> str | None:
    """Send one queued email, once. Returns the email's status afterwards, for the task's record.

    Notify's refusals and outages are recorded on the email (and retried when they may pass), so
    they never fail the task; anything else is a bug, and fails the task with its traceback.
    """
    claim = _email_claim(email_id=email_id)
    if claim is None:
        return None
    email = claim.email
    with email_gateway() as gateway:
        try:
            notify_id = gateway.find(email=email) if claim.may_have_gone else None
            if notify_id is None:
                notify_id = gateway.send(email=email)
        except EmailNotSent as error:
            return _email_record_failure(email=email, error=error)
    return _email_record_sent(email=email, notify_id=notify_id)


@task(queue_name="emails")
def email_send_if_stalled(*, email_id: str) -> str | None:
    """Finish sending an email whose worker stopped part way (killed, or crashed by a bug).

    Every claim queues one of these, due when the claim runs out. By then the email is almost always
    sent or back in the queue, and this does nothing; if it is still SENDING, its worker is gone.
    """
    email = Email.objects.filter(pk=email_id).first()
    if email is None or email.status != Email.Status.SENDING or _claim_is_live(email, now=timezone.now()):
        return None
    return email_send.call(email_id=email_id)


def email_backoff_delay(*, attempts: int) -> timedelta:
    """How long to wait before the next try after `attempts` tries: doubling each time up to a cap,
    then a random part of that, so that emails which failed together do not all retry together."""
    exponent = min(max(attempts - 1, 0), 32)
    ceiling = min(settings.EMAIL_RETRY_MAX_SECONDS, settings.EMAIL_RETRY_BASE_SECONDS * 2**exponent)
    # Never less than half the ceiling, so a busy Notify really does get a rest.
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


@dataclass(frozen=True)
class _Claim:
    email: Email
    # An earlier try may have reached Notify without us hearing back, so ask Notify before sending.
    may_have_gone: bool


def _claim_window() -> timedelta:
    """How long a claim lasts: long enough for two calls to Notify, and a grace."""
    return timedelta(seconds=2 * settings.GOVUK_NOTIFY_TIMEOUT_SECONDS + settings.EMAIL_SENDING_GRACE_SECONDS)


def emails_overdue_requeue() -> int:
    """Queue a task again for every email whose own task should have run by now and did not.

    Waiting for a first or later attempt that was due longer than a claim lasts ago (PENDING), or
    claimed by a run that is gone with its rescue (SENDING, the claim run out as long ago). Returns
    how many were queued.
    """
    overdue_since = timezone.now() - _claim_window()
    waiting = Email.objects.filter(status=Email.Status.PENDING).filter(
        Q(next_attempt_at__lt=overdue_since) | Q(next_attempt_at__isnull=True, created_at__lt=overdue_since)
    )
    stalled = Email.objects.filter(status=Email.Status.SENDING, next_attempt_at__lt=overdue_since)
    queued = 0
    for send, emails in ((email_send, waiting), (email_send_if_stalled, stalled)):
        for email_id in emails.values_list("pk", flat=True):
            send.enqueue(email_id=str(email_id))
            queued += 1
    if queued:
        logger.warning("Queued %s overdue email(s) again: their tasks were lost with a worker.", queued)
    return queued


def _email_claim(*, email_id: str) -> _Claim | None:
    """Take the email for this run, or None when there is nothing for this run to do."""
    now = timezone.now()
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            logger.warning("Email %s does not exist, so there is nothing to send.", email_id)
            return None
        if email.status in {Email.Status.SENT, Email.Status.FAILED}:
            return None
        if email.status == Email.Status.SENDING:
            if _claim_is_live(email, now=now):
                # Another worker is sending it now; if that worker dies, its email_send_if_stalled
                # task finishes the job.
                return None
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                # Stop a bug that kills every run from trying for ever. Retrying from the admin asks
                # Notify first, since the run that stopped may have sent it.
                message = f"Gave up after {email.attempts} attempts: the last one stopped part way through."
                email.status = Email.Status.FAILED
                email.last_error = message
                email.next_attempt_at = None
                email.save(update_fields=["status", "last_error", "next_attempt_at"])
                logger.error("Email %s failed: %s", email.pk, message, extra=_log_fields(email, outcome="failed"))
                return None

        may_have_gone = email.status == Email.Status.SENDING or email.attempts > 0 or bool(email.last_error)
        email.status = Email.Status.SENDING
        email.attempts += 1
        # While SENDING, next_attempt_at is when another run may decide this one died.
        email.next_attempt_at = now + _claim_window()
        email.save(update_fields=["status", "attempts", "next_attempt_at"])
        email_send_if_stalled.using(run_after=email.next_attempt_at).enqueue(email_id=str(email.pk))
    return _Claim(email=email, may_have_gone=may_have_gone)


def _claim_is_live(email: Email, *, now) -> bool:
    return email.next_attempt_at is not None and email.next_attempt_at > now


def _this_claim(email: Email):
    # Only the run that claimed the email records its outcome: a later run that took it over (after
    # deciding this one died) has a higher attempt count.
    return Email.objects.filter(pk=email.pk, status=Email.Status.SENDING, attempts=email.attempts)


def _log_fields(email: Email, *, outcome: str) -> dict:
    # For the JSON logs: which email, how it ended this time, and never its address or names.
    return {"event": "email_send", "outcome": outcome, "email_id": str(email.pk), "attempt": email.attempts}


def _email_record_sent(*, email: Email, notify_id: str) -> str | None:
    updated = _this_claim(email).update(
        status=Email.Status.SENT,
        notify_id=notify_id,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    if not updated:
        logger.warning("Email %s was sent, but another run had taken it over meanwhile.", email.pk)
        return None
    logger.info("Email %s sent (attempt %s).", email.pk, email.attempts, extra=_log_fields(email, outcome="sent"))
    return Email.Status.SENT.value


def _email_record_failure(*, email: Email, error: EmailNotSent) -> str | None:
    if error.retryable and email.attempts < settings.EMAIL_MAX_ATTEMPTS:
        run_after = timezone.now() + email_backoff_delay(attempts=email.attempts)
        with transaction.atomic():
            updated = _this_claim(email).update(
                status=Email.Status.PENDING, last_error=error.message, next_attempt_at=run_after
            )
            if updated:
                email_send.using(run_after=run_after).enqueue(email_id=str(email.pk))
        if updated:
            logger.warning(
                "Email %s not sent (attempt %s of %s), trying again at %s: %s",
                email.pk,
                email.attempts,
                settings.EMAIL_MAX_ATTEMPTS,
                run_after.isoformat(),
                error.message,
                extra=_log_fields(email, outcome="retry"),
            )
            return Email.Status.PENDING.value
    else:
        message = error.message
        if error.retryable:
            message = f"Gave up after {email.attempts} attempts. {message}"
        updated = _this_claim(email).update(status=Email.Status.FAILED, last_error=message, next_attempt_at=None)
        if updated:
            # An error, so that alerting picks it up: the support team has to look at this email.
            logger.error(
                "Email %s failed and will not be retried: %s",
                email.pk,
                message,
                extra=_log_fields(email, outcome="failed"),
            )
            return Email.Status.FAILED.value
    logger.warning("Email %s: another run had taken it over, so this run's failure is not recorded.", email.pk)
    return None
