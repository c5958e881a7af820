"""Digests and each-time emails: exactly the changes since a person's last email, when they are due."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import ChangeNotifications, Email
from accounts.notifications.sending import change_notifications_send
from accounts.notifications.services import change_notifications_update
from accounts.notifications.wording import settings_url
from registry.models import ProviderChange
from registry.services.changes import last_position
from tests.accounts.notifications.conftest import (
    Frequency,
    Topic,
    a_contact,
    a_day_later,
    an_address,
    changed,
    queued,
    subscriber,
)
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

SERVICE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def service_url(settings):
    settings.SERVICE_URL = SERVICE


def provider_url(provider) -> str:
    return f"{SERVICE}/admin/registry/provider/{provider.pk}/change/"


def covered(notifications: ChangeNotifications) -> int:
    notifications.refresh_from_db()
    return notifications.covered_position


def test_a_daily_digest_lists_exactly_the_changes_since_setting_up_by_provider(editor, providers):
    springfield, ashford, cobham = providers
    changed(springfield, actor=editor, reason="Provider added")  # before: not theirs to be told
    notifications = subscriber(topics=[Topic.DETAILS, Topic.ADDRESSES], first_name="Mary", last_name="Lawson")

    changed(springfield, actor=editor, reason="Provider updated")
    changed(an_address(springfield), actor=editor, reason="Address added")
    changed(ashford, reason="Provider accreditation status updated")
    changed(a_contact(cobham), actor=editor, reason="Contact added")  # not a topic they chose

    sent = change_notifications_send(now=a_day_later())

    assert (sent.digests, sent.provider_emails) == (1, 0)
    [email] = queued()
    assert (email.kind, email.to, email.user) == (
        Email.Kind.CHANGE_DIGEST,
        notifications.user.email,
        notifications.user,
    )
    assert email.personalisation == {
        "first_name": "Mary",
        "last_name": "Lawson",
        "service_url": SERVICE,
        "frequency": "daily",
        "since": email.personalisation["since"],
        "providers_changed": "2 providers",
        "changes": (
            f"Ashford University\n{provider_url(ashford)}\n* Provider accreditation status updated automatically"
            f"\n\nSpringfield SCITT\n{provider_url(springfield)}\n* Provider updated by Anne Wilson"
            "\n* Address added by Anne Wilson"
        ),
        "settings_url": f"{SERVICE}/account/email-notifications/",
    }
    assert covered(notifications) == last_position()


def test_running_again_sends_nothing(providers):
    subscriber()
    changed(providers[0])
    change_notifications_send(now=a_day_later())

    assert change_notifications_send(now=a_day_later()).digests == 0
    assert change_notifications_send(now=a_day_later() + datetime.timedelta(hours=3)).digests == 0
    assert len(queued()) == 1


def uk_time(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_a_daily_digest_is_due_at_the_first_run_after_7am_uk_time(providers):
    notifications = subscriber()
    ChangeNotifications.objects.filter(pk=notifications.pk).update(covered_at=uk_time(2026, 12, 1, 8, 0))
    changed(providers[0])

    assert change_notifications_send(now=uk_time(2026, 12, 2, 6, 59)).digests == 0
    assert covered(notifications) < last_position()
    assert change_notifications_send(now=uk_time(2026, 12, 2, 7, 0)).digests == 1
    assert covered(notifications) == last_position()
    changed(providers[1])
    assert change_notifications_send(now=uk_time(2026, 12, 2, 23, 0)).digests == 0
    assert change_notifications_send(now=uk_time(2026, 12, 3, 7, 1)).digests == 1


def test_nobody_is_told_of_their_own_changes(providers):
    notifications = subscriber()
    changed(providers[0], actor=notifications.user, reason="Provider updated")

    assert change_notifications_send(now=a_day_later()).digests == 0
    # Their place moves on all the same: their own change is never sent later.
    assert covered(notifications) == last_position()
    changed(providers[1], reason="Provider updated")
    change_notifications_send(now=a_day_later() + datetime.timedelta(days=1))
    [email] = queued()
    assert providers[0].operating_name not in email.personalisation["changes"]


def test_a_late_run_covers_everything_since_the_last_digest(providers):
    notifications = subscriber()
    changed(providers[0], reason="Provider updated")
    change_notifications_send(now=a_day_later())
    changed(providers[1], reason="Provider updated")
    changed(an_address(providers[2]), reason="Address added")

    # The job did not run for two days.
    assert change_notifications_send(now=a_day_later() + datetime.timedelta(days=2)).digests == 1

    first, second = queued()
    assert providers[0].operating_name in first.personalisation["changes"]
    assert providers[0].operating_name not in second.personalisation["changes"]
    assert second.personalisation["providers_changed"] == "2 providers"
    assert covered(notifications) == last_position()


def test_a_weekly_digest_is_due_seven_days_after_the_last(providers):
    subscriber(frequency=Frequency.WEEKLY)
    changed(providers[0])

    assert change_notifications_send(now=timezone.now() + datetime.timedelta(days=6)).digests == 0
    assert change_notifications_send(now=timezone.now() + datetime.timedelta(days=7, hours=1)).digests == 1
    [email] = queued()
    assert email.personalisation["frequency"] == "weekly"


def test_no_changes_no_email_but_the_next_digest_is_a_day_later(providers):
    notifications = subscriber()
    assert change_notifications_send(now=a_day_later()).digests == 0
    notifications.refresh_from_db()
    assert notifications.covered_at > timezone.now() + datetime.timedelta(hours=23)
    assert queued() == []


def test_someone_who_can_no_longer_read_the_register_is_sent_nothing(providers):
    notifications = subscriber()
    changed(providers[0])
    notifications.user.is_active = False
    notifications.user.save()

    assert change_notifications_send(now=a_day_later()).digests == 0
    assert queued() == []
    assert covered(notifications) == last_position()


def test_turned_off_sends_nothing_and_turning_on_again_starts_from_then(providers):
    notifications = subscriber()
    user = notifications.user
    change_notifications_update(actor=user, frequency=Frequency.NEVER, topics=[])
    changed(providers[0], reason="While off")

    assert change_notifications_send(now=a_day_later()).digests == 0
    change_notifications_update(actor=user, frequency=Frequency.DAILY, topics=[Topic.DETAILS])
    changed(providers[1], reason="Once on again")
    change_notifications_send(now=a_day_later() + datetime.timedelta(days=1))
    [email] = queued()
    assert "Once on again" in email.personalisation["changes"]
    assert "While off" not in email.personalisation["changes"]


def test_changing_how_often_keeps_a_persons_place(providers):
    notifications = subscriber()
    changed(providers[0], reason="Made while daily")
    change_notifications_update(actor=notifications.user, frequency=Frequency.WEEKLY, topics=[Topic.DETAILS])

    change_notifications_send(now=timezone.now() + datetime.timedelta(days=8))
    [email] = queued()
    assert "Made while daily" in email.personalisation["changes"]


def test_the_same_change_made_again_is_listed_once_with_how_many_times(editor, providers):
    subscriber()
    for _ in range(3):
        changed(providers[0], actor=editor, reason="Provider updated")
    change_notifications_send(now=a_day_later())
    [email] = queued()
    assert email.personalisation["changes"].endswith("* Provider updated by Anne Wilson (3 times)")


def test_a_deleted_provider_is_named_without_a_link(providers):
    subscriber()
    provider = providers[0]
    provider.deleted_at = timezone.now()
    provider.save()
    changed(provider, reason="Provider deleted")
    change_notifications_send(now=a_day_later())
    [email] = queued()
    assert email.personalisation["changes"] == f"{provider.operating_name}\n* Provider deleted automatically"


# --- Each time a provider is updated ----------------------------------------------------------------


def each_time_subscriber(**kwargs):
    return subscriber(frequency=Frequency.EACH_TIME, **kwargs)


def test_each_time_one_email_per_provider_once_left_alone_for_a_minute(editor, providers):
    notifications = each_time_subscriber(topics=[Topic.DETAILS, Topic.ADDRESSES])
    springfield, ashford, _ = providers
    changed(springfield, actor=editor, reason="Provider updated")
    changed(an_address(springfield), actor=editor, reason="Address added")
    changed(ashford, actor=editor, reason="Provider updated")

    # Changed a moment ago: held back, in case more changes follow.
    assert change_notifications_send().provider_emails == 0
    assert covered(notifications) < last_position()

    sent = change_notifications_send(now=timezone.now() + datetime.timedelta(minutes=2))

    assert sent.provider_emails == 2
    first, second = queued()
    assert {first.kind, second.kind} == {Email.Kind.PROVIDER_CHANGED}
    assert first.personalisation | second.personalisation  # both complete
    assert first.personalisation["provider_name"] == "Springfield SCITT"
    assert first.personalisation["provider_url"] == provider_url(springfield)
    assert first.personalisation["changes"] == "* Provider updated by Anne Wilson\n* Address added by Anne Wilson"
    assert first.personalisation["settings_url"] == settings_url()
    assert second.personalisation["provider_name"] == "Ashford University"
    assert covered(notifications) == last_position()
    assert change_notifications_send(now=timezone.now() + datetime.timedelta(minutes=5)).provider_emails == 0


def test_each_time_a_provider_still_changing_waits_and_so_does_one_changed_after_it(providers):
    """A changed 2 minutes ago, B 30 seconds ago, C after B but (its clock says) 2 minutes ago: A goes
    now; B waits for its minute; C, after B's change, waits with it (one position per person)."""
    notifications = each_time_subscriber()
    a, b, c = providers
    now = timezone.now()
    [change_a] = changed(a, reason="A changed")
    [change_b] = changed(b, reason="B changed")
    [change_c] = changed(c, reason="C changed")
    ProviderChange.objects.filter(pk__in=[change_a.pk, change_c.pk]).update(
        recorded_at=now - datetime.timedelta(minutes=2)
    )
    ProviderChange.objects.filter(pk=change_b.pk).update(recorded_at=now - datetime.timedelta(seconds=30))

    assert change_notifications_send(now=now).provider_emails == 1
    assert [email.personalisation["provider_name"] for email in queued()] == [a.operating_name]
    assert covered(notifications) == change_a.position

    assert change_notifications_send(now=now + datetime.timedelta(minutes=1)).provider_emails == 2
    names = [email.personalisation["provider_name"] for email in queued()]
    assert sorted(names) == sorted([a.operating_name, b.operating_name, c.operating_name])
    assert covered(notifications) == last_position()


def test_each_time_leaves_out_topics_not_chosen_and_their_own_changes(providers):
    notifications = each_time_subscriber(topics=[Topic.CONTACTS])
    changed(providers[0])
    changed(a_contact(providers[1]), actor=notifications.user, reason="Contact added")
    assert change_notifications_send(now=timezone.now() + datetime.timedelta(minutes=2)).provider_emails == 0
    assert covered(notifications) == last_position()


def test_a_partnership_is_a_change_to_both_its_providers(providers):
    subscriber(topics=[Topic.PARTNERSHIPS])
    partnership = PartnershipFactory(training_partner=providers[0])
    changed(partnership, reason="Partnership added")
    change_notifications_send(now=a_day_later())
    [email] = queued()
    assert email.personalisation["providers_changed"] == "2 providers"


def test_each_time_a_provider_changed_without_a_pause_is_sent_after_ten_minutes(providers):
    each_time_subscriber()
    now = timezone.now()
    [first] = changed(providers[0], reason="Provider updated")
    ProviderChange.objects.filter(pk=first.pk).update(recorded_at=now - datetime.timedelta(minutes=11))
    changed(providers[0], reason="Provider updated again")  # a moment ago

    assert change_notifications_send(now=now).provider_emails == 1
    [email] = queued()
    assert email.personalisation["changes"] == (
        "* Provider updated automatically\n* Provider updated again automatically"
    )
