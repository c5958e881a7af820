"""`manage.py send_change_digests`: queues what is due, says how much, refuses without its templates."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ChangeNotifications, Email
from tests.accounts.notifications.conftest import changed, subscriber
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("send_change_digests", stdout=out)
    return out.getvalue().strip()


def test_it_queues_the_digests_due_once():
    notifications = subscriber()
    changed(ProviderFactory())
    ChangeNotifications.objects.filter(pk=notifications.pk).update(
        covered_at=timezone.now() - datetime.timedelta(days=2)
    )

    assert run() == "1 digest(s) and 0 provider email(s) queued."
    assert run() == "0 digest(s) and 0 provider email(s) queued."
    assert Email.objects.filter(kind=Email.Kind.CHANGE_DIGEST).count() == 1


def test_it_refuses_to_send_through_notify_without_its_templates(settings):
    settings.GOVUK_NOTIFY_API_KEY = "test_key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000"
    settings.GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST = ""
    notifications = subscriber()
    changed(ProviderFactory())
    ChangeNotifications.objects.filter(pk=notifications.pk).update(
        covered_at=timezone.now() - datetime.timedelta(days=2)
    )
    position = ChangeNotifications.objects.get().covered_position

    with pytest.raises(CommandError, match="GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST"):
        run()
    assert not Email.objects.exists()
    assert ChangeNotifications.objects.get().covered_position == position


def test_without_a_notify_key_the_emails_go_to_the_log(caplog, settings):
    from accounts.emails.gateway import LogGateway
    from accounts.notifications.sending import change_notifications_send

    settings.GOVUK_NOTIFY_API_KEY = ""
    notifications = subscriber(frequency=ChangeNotifications.Frequency.EACH_TIME)
    changed(ProviderFactory(operating_name="Springfield SCITT"), reason="Provider updated")
    change_notifications_send(now=timezone.now() + datetime.timedelta(minutes=2))
    ChangeNotifications.objects.filter(pk=notifications.pk).update(frequency=ChangeNotifications.Frequency.DAILY)
    changed(ProviderFactory(operating_name="Ashford University"), reason="Provider updated")
    change_notifications_send(now=timezone.now() + datetime.timedelta(days=1))

    with caplog.at_level("INFO", logger="accounts.emails"):
        for email in Email.objects.order_by("created_at"):
            LogGateway().send(email=email)

    provider_email, digest = [message for message in caplog.messages if message.startswith("Email not sent")]
    assert "Springfield SCITT has changed in the Register of training providers." in provider_email
    assert "* Provider updated automatically" in provider_email
    assert "1 provider changed since" in digest
    assert "Ashford University" in digest
    assert "To change or stop these emails: http" in digest
