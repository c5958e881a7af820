"""What the email tests share: the real database worker, a fake Notify, and queued emails to send."""

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.emails.services import email_queue_sign_in_details
from accounts.emails.tasks import email_send
from accounts.models import Email
from tests.factories import UserFactory
from tests.support.fake_notify import fake_notify  # noqa: F401  (a fixture)


@pytest.fixture
def run_worker():
    """Run the real database worker, as `manage.py db_worker --batch` does, until no task is due.

    Tests that use it need `@pytest.mark.django_db(transaction=True)`: the worker commits.
    """

    def run() -> None:
        Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
        ).run()

    return run


# The worker commits, so these tests need real transactions. Each starts from the migrated data
# (the roles' groups), which the flush after a transactional test would otherwise remove.
worker_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def a_queued_email(**user_fields) -> Email:
    user = UserFactory(first_name="Priya", last_name="Shah", email="priya.shah@education.gov.uk", **user_fields)
    with transaction.atomic():
        return email_queue_sign_in_details(user=user)


def waiting_tasks(task=email_send):
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)


def make_waiting_tasks_due(task=email_send):
    # Instead of waiting out the backoff.
    waiting_tasks(task).update(run_after=timezone.now())


def assert_no_task_failed():
    # Notify's refusals are recorded on the email, never as a failed (crashed) task.
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
