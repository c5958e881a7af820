"""`email_send` run by the real database worker against a fake Notify: each email queued by a change
that commits is sent, once; none for a change that rolls back.
"""

import logging

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.emails.tasks import email_send
from accounts.models import Email, User
from accounts.services import user_create, user_delete
from tests.accounts.emails.conftest import a_queued_email, assert_no_task_failed, waiting_tasks, worker_test
from tests.factories import UserFactory


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
