"""The email worker, end to end: the real database worker runs `email_send` against a fake Notify."""

import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.emails.gateway import NotifyGateway
from accounts.emails.services import email_queue_sign_in_details
from accounts.emails.tasks import email_backoff_delay, email_send, email_send_if_stalled, emails_overdue_requeue
from accounts.models import Email, User
from accounts.services import user_create, user_delete
from tests.factories import UserFactory
from tests.support.fake_notify import Behaviour

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


@worker_test
def test_a_queued_email_is_sent_once_through_notify(fake_notify, run_worker, settings):
    email = a_queued_email()

    run_worker()

    [received] = fake_notify.emails
    assert received.email_address == "priya.shah@education.gov.uk"
    assert received.template_id == settings.GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS
    assert received.personalisation == {
        "first_name": "Priya",
        "last_name": "Shah",
        "service_url": settings.SERVICE_URL,
    }
    assert received.reference == str(email.id)
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.notify_id == received.id
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.last_error == ""
    assert not waiting_tasks().exists()
    assert_no_task_failed()


@worker_test
def test_adding_a_user_emails_them_their_sign_in_details(fake_notify, run_worker, administrator, settings):
    user = user_create(
        actor=administrator,
        first_name="Tomasz",
        last_name="Nowak",
        email="Tomasz.Nowak@education.gov.uk",
        is_api_user=False,
    )

    run_worker()

    [received] = fake_notify.emails
    assert received.email_address == "tomasz.nowak@education.gov.uk"
    assert received.template_id == settings.GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS
    assert received.personalisation["first_name"] == "Tomasz"
    assert received.personalisation["last_name"] == "Nowak"
    email = Email.objects.get(user=user)
    assert email.status == Email.Status.SENT
    assert received.reference == email.reference


@worker_test
def test_deleting_a_user_emails_them_that_their_account_is_removed(fake_notify, run_worker, administrator, settings):
    user = UserFactory(email="leaving@education.gov.uk")

    user_delete(actor=administrator, user_id=user.pk)
    run_worker()

    [received] = fake_notify.emails
    assert received.email_address == "leaving@education.gov.uk"
    assert received.template_id == settings.GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED
    assert Email.objects.get(user=user).status == Email.Status.SENT


@worker_test
def test_a_rolled_back_change_queues_no_email(fake_notify, run_worker, administrator):
    def add_user_then_fail():
        with transaction.atomic():
            user_create(
                actor=administrator,
                first_name="Rolled",
                last_name="Back",
                email="rolled.back@education.gov.uk",
                is_api_user=False,
            )
            raise RuntimeError("a later step of the change failed")

    with pytest.raises(RuntimeError):
        add_user_then_fail()

    run_worker()

    assert not User.objects.filter(email="rolled.back@education.gov.uk").exists()
    assert not Email.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert fake_notify.send_requests == []


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


@worker_test
def test_running_the_task_twice_for_one_email_sends_it_once(fake_notify, run_worker):
    email = a_queued_email()
    email_send.enqueue(email_id=str(email.id))

    run_worker()

    assert (
        DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, task_path=email_send.module_path).count() == 2
    )
    assert len(fake_notify.send_requests) == 1
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.attempts == 1


@worker_test
def test_without_a_notify_key_the_email_goes_to_the_log_and_counts_as_sent(run_worker, settings, caplog):
    settings.GOVUK_NOTIFY_API_KEY = ""
    email = a_queued_email()

    with caplog.at_level(logging.INFO, logger="accounts.emails"):
        run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.notify_id == ""
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "accounts.emails")
    assert "To: priya.shah@education.gov.uk" in logged
    assert "Dear Priya Shah," in logged
    assert settings.SERVICE_URL in logged


@pytest.mark.parametrize(("attempts", "low", "high"), [(1, 15, 30), (2, 30, 60), (4, 120, 240), (20, 1800, 3600)])
def test_the_wait_before_a_retry_doubles_up_to_a_cap_with_some_randomness(settings, attempts, low, high):
    settings.EMAIL_RETRY_BASE_SECONDS = 30
    settings.EMAIL_RETRY_MAX_SECONDS = 3600

    waits = [email_backoff_delay(attempts=attempts).total_seconds() for _ in range(200)]

    assert all(low <= wait <= high for wait in waits)
    assert len(set(waits)) > 1


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
