"""Two runs of send_change_digests at once never both email the same person: on PostgreSQL.

Each run locks a person's settings row, skipping it if the other run has it, and asks again whether
they are due once it has the lock. So with the first run slow to queue its email (holding the lock),
the second passes the person by; and a run that gets the lock after the first has committed finds
the person's digest already made. On SQLite, which takes one writer at a time, skipped.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.emails import services as email_services
from accounts.models import ChangeNotifications, Email
from accounts.notifications.sending import change_notifications_send
from registry.services.changes import last_position
from tests.accounts.notifications.conftest import changed, subscriber
from tests.factories import ProviderFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent runs are PostgreSQL's"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOLD_SECONDS = 0.5


@pytest.fixture
def slow_queueing(monkeypatch):
    """Each email takes a while to queue, inside the run's transaction, holding the person's lock."""
    queue = email_services.email_queue

    def slowly(**kwargs):
        time.sleep(HOLD_SECONDS)
        return queue(**kwargs)

    monkeypatch.setattr("accounts.notifications.sending.email_queue", slowly)


def _run_at_once(count: int, *, now) -> list:
    start = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        start.wait()
        try:
            outcomes[index] = change_notifications_send(now=now)
        except Exception as error:  # the test reports whatever else happened
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_runs_at_once_send_each_digest_once(slow_queueing):
    people = [subscriber() for _ in range(3)]
    changed(ProviderFactory(), reason="Provider updated")
    ChangeNotifications.objects.update(covered_at=timezone.now() - datetime.timedelta(days=1))

    outcomes = _run_at_once(2, now=timezone.now())

    assert sum(outcome.digests for outcome in outcomes) == 3, outcomes
    assert sorted(Email.objects.values_list("user_id", flat=True)) == sorted(person.user_id for person in people)
    assert set(ChangeNotifications.objects.values_list("covered_position", flat=True)) == {last_position()}


def test_two_runs_at_once_send_each_provider_email_once(slow_queueing):
    subscriber(frequency=ChangeNotifications.Frequency.EACH_TIME)
    for provider in ProviderFactory.create_batch(2):
        changed(provider, reason="Provider updated")

    outcomes = _run_at_once(2, now=timezone.now() + datetime.timedelta(minutes=2))

    assert sum(outcome.provider_emails for outcome in outcomes) == 2, outcomes
    assert Email.objects.count() == 2


def test_a_run_that_waited_for_another_finds_the_digest_made(slow_queueing):
    """Without skip_locked the second run would wait, then must not send again: the due check after
    the lock sees the first run's covered_at."""
    subscriber()
    changed(ProviderFactory(), reason="Provider updated")
    ChangeNotifications.objects.update(covered_at=timezone.now() - datetime.timedelta(days=1))
    now = timezone.now()

    first = change_notifications_send(now=now)
    second = change_notifications_send(now=now)

    assert (first.digests, second.digests) == (1, 0)
    assert Email.objects.count() == 1
