"""`email_send` when Notify refuses, fails or cannot be reached: a refusal fails the email, anything else
is tried again later, with a growing wait, until its attempts are used up.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.emails.tasks import email_backoff_delay
from accounts.models import Email
from accounts.services import user_create
from tests.accounts.emails.conftest import (
    a_queued_email,
    assert_no_task_failed,
    make_waiting_tasks_due,
    waiting_tasks,
    worker_test,
)
from tests.support.fake_notify import Behaviour


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, "BadRequestError: Can't send to this recipient"), (403, "AuthError: Invalid token")],
)
@worker_test
def test_an_email_notify_refuses_fails_without_retrying(fake_notify, run_worker, status, error):
    fake_notify.respond_next(status)
    email = a_queued_email()

    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.attempts == 1
    assert error in email.last_error
    assert email.next_attempt_at is None
    assert not waiting_tasks().exists()
    assert len(fake_notify.send_requests) == 1
    assert_no_task_failed()


@worker_test
def test_a_wrong_api_key_fails_the_email_and_keeps_the_key_out_of_the_error(fake_notify, run_worker, settings):
    settings.GOVUK_NOTIFY_API_KEY = f"test_key-{fake_notify.service_id}-00000000-0000-4000-8000-000000000000"
    email = a_queued_email()

    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert "AuthError" in email.last_error
    assert "00000000-0000-4000-8000-000000000000" not in email.last_error
    assert fake_notify.emails == []


@pytest.mark.parametrize("status", [429, 500, 503])
@worker_test
def test_a_busy_or_broken_notify_is_tried_again_later(fake_notify, run_worker, settings, status):
    settings.EMAIL_RETRY_BASE_SECONDS = 30
    fake_notify.respond_next(status)
    email = a_queued_email()

    before = timezone.now()
    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.PENDING
    assert email.attempts == 1
    assert str(status) in email.last_error
    assert before + timedelta(seconds=15) <= email.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    [retry] = waiting_tasks()
    assert retry.run_after == email.next_attempt_at
    assert retry.args_kwargs["kwargs"] == {"email_id": str(email.id)}

    run_worker()  # Not due yet: nothing happens.
    assert len(fake_notify.send_requests) == 1

    make_waiting_tasks_due()
    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.attempts == 2
    assert email.last_error == ""
    [received] = fake_notify.emails
    assert email.notify_id == received.id
    assert len(fake_notify.send_requests) == 2
    assert_no_task_failed()


@worker_test
def test_adding_a_user_works_while_notify_is_unreachable_and_the_email_goes_once_it_is_back(
    fake_notify, run_worker, administrator
):
    fake_notify.stop()

    user = user_create(
        actor=administrator,
        first_name="Amara",
        last_name="Okafor",
        email="amara.okafor@education.gov.uk",
        is_api_user=False,
    )
    run_worker()

    email = Email.objects.get(user=user)
    assert email.status == Email.Status.PENDING
    assert email.last_error.startswith("Could not reach GOV.UK Notify")
    assert waiting_tasks().count() == 1

    fake_notify.start()
    make_waiting_tasks_due()
    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert [received.email_address for received in fake_notify.emails] == ["amara.okafor@education.gov.uk"]
    assert_no_task_failed()


@pytest.mark.parametrize("behaviour", [Behaviour.ACCEPT_THEN_DROP, Behaviour.ACCEPT_THEN_HANG])
@worker_test
def test_an_email_notify_took_without_answering_is_not_sent_again(fake_notify, run_worker, settings, behaviour):
    settings.GOVUK_NOTIFY_TIMEOUT_SECONDS = 0.3
    fake_notify.respond_next(behaviour)
    email = a_queued_email()

    run_worker()
    email.refresh_from_db()
    assert email.status == Email.Status.PENDING

    make_waiting_tasks_due()
    run_worker()

    email.refresh_from_db()
    [received] = fake_notify.emails
    assert email.status == Email.Status.SENT
    assert email.notify_id == received.id
    assert len(fake_notify.send_requests) == 1
    assert len(fake_notify.lookup_requests) == 1


@worker_test
def test_an_email_fails_once_its_attempts_are_used_up(fake_notify, run_worker, settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # Every retry is due at once, so one worker run tries them all.
    fake_notify.respond_next(500, 500, 500)
    email = a_queued_email()

    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.attempts == 3
    assert email.last_error.startswith("Gave up after 3 attempts. GOV.UK Notify answered 500")
    assert len(fake_notify.send_requests) == 3
    assert fake_notify.emails == []
    assert not waiting_tasks().exists()
    assert_no_task_failed()


@pytest.mark.parametrize(("attempts", "low", "high"), [(1, 15, 30), (2, 30, 60), (4, 120, 240), (20, 1800, 3600)])
def test_the_wait_before_a_retry_doubles_up_to_a_cap_with_some_randomness(settings, attempts, low, high):
    settings.EMAIL_RETRY_BASE_SECONDS = 30
    settings.EMAIL_RETRY_MAX_SECONDS = 3600

    waits = [email_backoff_delay(attempts=attempts).total_seconds() for _ in range(200)]

    assert all(low <= wait <= high for wait in waits)
    assert len(set(waits)) > 1
