"""`manage.py email_worker`: the emails queue's worker, which first queues again what a dead worker lost."""

from datetime import timedelta

from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.emails.tasks import email_send
from accounts.models import Email
from tests.accounts.emails.conftest import a_queued_email, worker_test


def _lose_its_task(email: Email, *, minutes_ago: int = 10) -> None:
    """As a worker leaves things when it dies between taking the email's task and claiming the email."""
    DBTaskResult.objects.filter(task_path=email_send.module_path).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    Email.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))


@worker_test
def test_an_email_whose_task_was_lost_is_sent_once_a_worker_starts(fake_notify):
    email = a_queued_email()
    _lose_its_task(email)

    call_command("email_worker", "--batch", "--no-startup-delay", "--interval", "0")

    [received] = fake_notify.emails
    assert received.reference == str(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.notify_id) == (Email.Status.SENT, 1, received.id)


@worker_test
def test_an_email_queued_a_moment_ago_is_left_to_its_own_task(fake_notify):
    email = a_queued_email()

    call_command("email_worker", "--batch", "--no-startup-delay", "--interval", "0")

    assert [received.reference for received in fake_notify.emails] == [str(email.pk)]
    # One task: the one queued with the email.
    assert DBTaskResult.objects.filter(task_path=email_send.module_path).count() == 1
