"""Emails a worker left part way: `email_send_if_stalled` finishes an email whose worker died while
sending it, once, and `emails_overdue_requeue` queues again the emails whose tasks were lost.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.emails.gateway import NotifyGateway
from accounts.emails.services import email_queue_sign_in_details
from accounts.emails.tasks import email_send_if_stalled, emails_overdue_requeue
from accounts.models import Email
from tests.accounts.emails.conftest import a_queued_email, make_waiting_tasks_due, waiting_tasks, worker_test
from tests.factories import UserFactory


def a_stuck_email(*, claimed_until) -> Email:
    """An email left SENDING, as by a worker that claimed it and died."""
    email = a_queued_email()
    Email.objects.filter(pk=email.pk).update(status=Email.Status.SENDING, attempts=1, next_attempt_at=claimed_until)
    email.refresh_from_db()
    return email


@worker_test
def test_an_email_left_sending_that_notify_has_is_marked_sent_without_sending_again(fake_notify, run_worker, settings):
    email = a_stuck_email(claimed_until=timezone.now() - timedelta(seconds=1))
    earlier = fake_notify.add_email(
        email_address=email.to,
        template_id=settings.GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS,
        personalisation=email.personalisation,
        reference=email.reference,
    )

    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.notify_id == earlier.id
    assert fake_notify.send_requests == []


@worker_test
def test_an_email_left_sending_that_notify_does_not_have_is_sent(fake_notify, run_worker):
    email = a_stuck_email(claimed_until=timezone.now() - timedelta(seconds=1))

    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.attempts == 2
    assert len(fake_notify.lookup_requests) == 1
    assert len(fake_notify.emails) == 1


@worker_test
def test_an_email_another_worker_is_sending_is_left_to_it(fake_notify, run_worker):
    email = a_stuck_email(claimed_until=timezone.now() + timedelta(minutes=1))

    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENDING
    assert email.attempts == 1
    assert fake_notify.requests == []


class WorkerKilled(BaseException):
    """Stands in for the worker process dying: nothing in the task may catch it."""


@pytest.mark.parametrize("dies", ["before Notify has the email", "after Notify has the email"])
@worker_test
def test_an_email_whose_worker_dies_while_sending_is_finished_later_and_sent_once(
    fake_notify, run_worker, monkeypatch, dies
):
    real_send = NotifyGateway.send

    def send_then_die(self, *, email):
        if dies == "after Notify has the email":
            real_send(self, email=email)
        raise WorkerKilled

    monkeypatch.setattr(NotifyGateway, "send", send_then_die)
    email = a_queued_email()
    run_worker()
    monkeypatch.undo()

    email.refresh_from_db()
    assert email.status == Email.Status.SENDING
    [rescue] = waiting_tasks(email_send_if_stalled)
    assert rescue.run_after == email.next_attempt_at

    # The dead worker's time runs out.
    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    make_waiting_tasks_due(email_send_if_stalled)
    run_worker()

    email.refresh_from_db()
    [received] = fake_notify.emails
    assert email.status == Email.Status.SENT
    assert email.notify_id == received.id
    assert len(fake_notify.send_requests) == 1
    assert len(fake_notify.lookup_requests) == 1


@worker_test
def test_a_finished_email_is_left_alone_when_its_claim_runs_out(fake_notify, run_worker):
    email = a_queued_email()
    run_worker()

    make_waiting_tasks_due(email_send_if_stalled)
    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert len(fake_notify.requests) == 1
    assert not waiting_tasks(email_send_if_stalled).exists()


@worker_test
def test_an_email_waiting_to_retry_is_not_sent_early_when_its_claim_runs_out(fake_notify, run_worker, settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 600
    fake_notify.respond_next(429)
    email = a_queued_email()
    run_worker()

    make_waiting_tasks_due(email_send_if_stalled)
    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.PENDING
    assert len(fake_notify.send_requests) == 1


@worker_test
def test_an_email_left_sending_with_no_attempts_left_fails_without_calling_notify(fake_notify, run_worker, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    email = a_stuck_email(claimed_until=timezone.now() - timedelta(seconds=1))

    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.last_error == "Gave up after 1 attempts: the last one stopped part way through."
    assert fake_notify.requests == []


# ---------------------------------------------------------------------------------------------------
# Tasks lost with a worker
# ---------------------------------------------------------------------------------------------------


@worker_test
def test_only_emails_overdue_past_a_claims_length_are_queued_again(settings):
    settings.GOVUK_NOTIFY_TIMEOUT_SECONDS = 10
    settings.EMAIL_SENDING_GRACE_SECONDS = 60
    now = timezone.now()
    overdue, recent = now - timedelta(seconds=81), now - timedelta(seconds=79)
    DBTaskResult.objects.all().delete()
    made = {}
    for name, status, created_at, next_attempt_at in [
        ("first attempt overdue", Email.Status.PENDING, overdue, None),
        ("first attempt just queued", Email.Status.PENDING, recent, None),
        ("retry overdue", Email.Status.PENDING, now - timedelta(hours=1), overdue),
        ("retry not yet due", Email.Status.PENDING, now - timedelta(hours=1), now + timedelta(minutes=5)),
        ("claim run out, rescue lost", Email.Status.SENDING, now - timedelta(hours=1), overdue),
        ("claim still live", Email.Status.SENDING, now - timedelta(hours=1), now + timedelta(seconds=30)),
        ("sent", Email.Status.SENT, now - timedelta(hours=1), None),
        ("failed", Email.Status.FAILED, now - timedelta(hours=1), None),
    ]:
        user = UserFactory(email=f"{name.replace(' ', '.').replace(',', '')}@education.gov.uk")
        with transaction.atomic():
            email = email_queue_sign_in_details(user=user)
        Email.objects.filter(pk=email.pk).update(status=status, created_at=created_at, next_attempt_at=next_attempt_at)
        made[str(email.pk)] = name
    DBTaskResult.objects.all().delete()

    assert emails_overdue_requeue() == 3

    queued = {
        (made[task.args_kwargs["kwargs"]["email_id"]], task.task_path.rsplit(".", 1)[-1])
        for task in DBTaskResult.objects.all()
    }
    assert queued == {
        ("first attempt overdue", "email_send"),
        ("retry overdue", "email_send"),
        ("claim run out, rescue lost", "email_send_if_stalled"),
    }
