"""A digest goes out through the outbox and GOV.UK Notify: once, however long Notify is down."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from accounts.models import ChangeNotifications, Email
from registry.models import ProviderChange
from tests.accounts.emails.conftest import assert_no_task_failed, make_waiting_tasks_due, worker_test
from tests.accounts.notifications.conftest import changed, subscriber
from tests.factories import ProviderFactory


def a_day_passes(notifications) -> None:
    ChangeNotifications.objects.filter(pk=notifications.pk).update(
        covered_at=timezone.now() - datetime.timedelta(days=1)
    )


@worker_test
def test_notify_down_then_back_the_digest_is_sent_once(fake_notify, run_worker, settings):
    notifications = subscriber(first_name="Mary", last_name="Lawson")
    changed(ProviderFactory(operating_name="Springfield SCITT"), reason="Provider updated")
    a_day_passes(notifications)
    fake_notify.respond_next(503, 500)

    call_command("send_change_digests")
    run_worker()

    [email] = Email.objects.all()
    assert (email.kind, email.status, email.attempts) == (Email.Kind.CHANGE_DIGEST, Email.Status.PENDING, 1)
    assert fake_notify.emails == []

    # The job runs again while the email waits: the digest is not made again.
    call_command("send_change_digests")
    assert Email.objects.count() == 1

    make_waiting_tasks_due()
    run_worker()  # Notify answers 500: still waiting
    make_waiting_tasks_due()
    run_worker()  # Notify is back

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    [received] = fake_notify.emails
    assert received.template_id == settings.GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST
    assert received.email_address == notifications.user.email
    assert "Springfield SCITT" in received.body
    assert received.subject == "Your daily email: 1 provider changed"
    assert_no_task_failed()


@worker_test
def test_each_time_emails_are_sent_through_notify(fake_notify, run_worker, settings):
    subscriber(frequency=ChangeNotifications.Frequency.EACH_TIME)
    changed(ProviderFactory(operating_name="Springfield SCITT"), reason="Provider updated")
    ProviderChange.objects.update(recorded_at=timezone.now() - datetime.timedelta(minutes=2))

    call_command("send_change_digests")
    run_worker()

    [received] = fake_notify.emails
    assert received.template_id == settings.GOVUK_NOTIFY_TEMPLATE_PROVIDER_CHANGED
    assert received.subject == "Springfield SCITT has changed"
    assert "* Provider updated automatically" in received.body
