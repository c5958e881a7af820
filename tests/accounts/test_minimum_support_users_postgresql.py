"""Two deletions at once cannot both pass the "at least 4 active support users" rule, on PostgreSQL.

With five active support users, two administrators each delete a different one at the same moment.
Each deletion takes the active support users' row locks before anything else
(accounts.minimum_support_users.active_support_users_lock), so the second waits for the first to
commit, counts again, and is refused: four remain. Without the locks both would count five, and both
would pass, leaving three; the last test shows that the race here is real.

Run with DATABASE_URL=postgres://…; on SQLite, which takes one writer at a time, they are skipped.
"""

import threading
import time
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import minimum_support_users
from accounts.minimum_support_users import CANNOT_COMPLETE, TooFewSupportUsers, active_support_users
from accounts.models import User
from accounts.services import user_delete
from tests.factories import SupportAdministratorFactory, SupportViewerFactory
from tests.support.html import text

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent writers are PostgreSQL's"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# How long the first deletion holds its locks, so that the second is sure to ask while it does.
HOLD_SECONDS = 0.5


@pytest.fixture(autouse=True)
def minimum_as_in_production(settings):
    settings.MINIMUM_ACTIVE_SUPPORT_USERS = 4


@pytest.fixture
def people():
    """Two administrators and three viewers: five active support users, one more than the minimum."""
    first, second = SupportAdministratorFactory.create_batch(2)
    return first, second, SupportViewerFactory.create_batch(3)


@pytest.fixture
def slow_deletions(monkeypatch):
    """Each deletion waits, inside its transaction and after the rule has been asked, before it commits."""

    def slowly(*, user):
        time.sleep(HOLD_SECONDS)

    monkeypatch.setattr("accounts.services.email_queue_account_removed", slowly)


def _delete_at_once(pairs) -> list:
    """Run each (actor, user) deletion in a thread of its own, all starting together: what each ended with."""
    start = threading.Barrier(len(pairs))
    outcomes = [None] * len(pairs)

    def delete(index, actor, user):
        start.wait()
        try:
            user_delete(actor=actor, user_id=user.pk)
            outcomes[index] = "deleted"
        except TooFewSupportUsers:
            outcomes[index] = "refused"
        except PermissionDenied:
            outcomes[index] = "no longer allowed"
        except Exception as error:  # the test reports whatever else happened
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=delete, args=(index, *pair)) for index, pair in enumerate(pairs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_of_two_deletions_at_once_one_passes_and_the_other_is_refused(people, slow_deletions):
    first, second, (ann, bea, _) = people

    outcomes = _delete_at_once([(first, ann), (second, bea)])

    assert sorted(outcomes) == ["deleted", "refused"]
    assert active_support_users().count() == 4
    assert User.objects.filter(pk__in=[ann.pk, bea.pk], deleted_at__isnull=False).count() == 1


def test_deletions_of_each_other_at_once_neither_deadlock_nor_both_pass(people, slow_deletions):
    first, second, _ = people

    outcomes = _delete_at_once([(first, second), (second, first)])

    # The locks are taken in one order, so the second waits for the first rather than deadlocking;
    # then it acts as someone just deleted, and is refused as such (before the rule is even asked).
    assert sorted(outcomes) == ["deleted", "no longer allowed"]
    assert active_support_users().count() == 4


def test_the_rows_are_locked_before_the_account_itself(people):
    first, _, (ann, _, _) = people

    with CaptureQueriesContext(connection) as queries:
        user_delete(actor=first, user_id=ann.pk)

    locks = [query["sql"] for query in queries if query["sql"].endswith("FOR UPDATE")]
    # First every active support user, in order; then the account itself.
    assert '"accounts_user"."is_active"' in locks[0]
    assert "ORDER BY" in locks[0]
    assert str(ann.pk) in locks[1] or ann.pk.hex in locks[1]


def test_without_the_locks_both_would_pass(people, slow_deletions, monkeypatch):
    """The race above is real: counting without locking lets both deletions through."""
    first, second, (ann, bea, _) = people

    def unlocked(*, changes=None, deleting=False):
        return frozenset(active_support_users().values_list("pk", flat=True))

    monkeypatch.setattr("accounts.services.active_support_users_lock", unlocked)
    assert minimum_support_users.active_support_users_lock is not unlocked

    outcomes = _delete_at_once([(first, ann), (second, bea)])

    assert outcomes == ["deleted", "deleted"]
    assert active_support_users().count() == 3


# --- Through the pages: two administrators in two browsers press their buttons at the same moment ------


def _browser(administrator) -> Client:
    client = Client()
    client.force_login(administrator, backend="accounts.backends.ServiceAccountBackend")
    return client


@pytest.fixture
def slow_after_the_rule(monkeypatch):
    """Deleting and making inactive both revoke the account's tokens after asking the rule, inside their
    transaction: each waits there, holding the locks, before it commits."""
    from accounts import services

    revoke = services.api_tokens_revoke_for_user

    def slowly(**kwargs):
        time.sleep(HOLD_SECONDS)
        return revoke(**kwargs)

    monkeypatch.setattr("accounts.services.api_tokens_revoke_for_user", slowly)


def _post_at_once(posts) -> list:
    """Send each (client, url, data) post in a thread of its own, all starting together: the responses."""
    start = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def post(index, client, url, data):
        start.wait()
        try:
            responses[index] = client.post(url, data)
        except Exception as error:  # the test reports whatever else happened
            responses[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(index, *each)) for index, each in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return responses


def test_two_deletions_at_once_through_the_pages_one_is_done_and_the_other_gets_the_stop_page(
    people, slow_after_the_rule
):
    first, second, (ann, bea, _) = people

    responses = _post_at_once(
        [
            (_browser(first), reverse("admin:accounts_user_delete", args=[ann.pk]), {}),
            (_browser(second), reverse("admin:accounts_user_delete", args=[bea.pk]), {}),
        ]
    )

    assert sorted(response.status_code for response in responses) == [302, 409]
    (stopped,) = [response for response in responses if response.status_code == 409]
    assert CANNOT_COMPLETE in text(stopped)
    assert active_support_users().count() == 4


def _after(seconds: float, work):
    def later(*args, **kwargs):
        time.sleep(seconds)
        return work(*args, **kwargs)

    return later


def test_a_deletion_and_a_deactivation_at_once_through_the_pages_neither_deadlock_nor_leave_fewer(
    slow_after_the_rule, monkeypatch
):
    # The ids set the order in which every change locks the active support users: the account made
    # inactive comes last, so the deletion has locked all the others by the time it reaches it.
    first, second = (SupportAdministratorFactory(id=uuid.UUID(int=number)) for number in (1, 2))
    ann, _, bea = (SupportViewerFactory(id=uuid.UUID(int=number)) for number in (3, 4, 5))
    deactivating = _browser(second)
    edit_url = reverse("admin:accounts_user_edit", args=[bea.pk])
    deactivating.get(f"{edit_url}?new")
    answers = {"first_name": bea.first_name, "last_name": bea.last_name, "email": bea.email}
    answers |= {"is_api_user": "no", "is_active": "no", "role": bea.role}
    assert deactivating.post(edit_url, answers).status_code == 302
    # Each page takes a moment before its service, as on a busy server: the deletion a little, the
    # deactivation (which has got past its page's own checks by then) longer.
    from accounts.admin import user_flows, user_pages

    monkeypatch.setattr("accounts.admin.user_pages.user_delete", _after(HOLD_SECONDS / 2, user_pages.user_delete))
    monkeypatch.setattr(
        "accounts.admin.user_flows.user_update_or_stop", _after(HOLD_SECONDS, user_flows.user_update_or_stop)
    )

    responses = _post_at_once(
        [
            (_browser(first), reverse("admin:accounts_user_delete", args=[ann.pk]), {}),
            (deactivating, reverse("admin:accounts_user_edit_check", args=[bea.pk]), {}),
        ]
    )

    # Neither waits for the other for ever (PostgreSQL would end one of them as a deadlock, a 503): the
    # first to lock is done (the deletion, almost always), the other gets the stop page.
    statuses = sorted(getattr(response, "status_code", 0) for response in responses)
    assert statuses == [302, 409], responses
    (stopped,) = [response for response in responses if response.status_code == 409]
    assert CANNOT_COMPLETE in text(stopped)
    assert active_support_users().count() == 4
