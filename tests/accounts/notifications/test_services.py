"""Setting up and changing email notifications: who may, what is checked, and the history kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import ChangeNotifications
from accounts.notifications.messages import FREQUENCY_REQUIRED, TOPICS_REQUIRED
from accounts.notifications.services import (
    NOTIFICATIONS_CHANGED,
    NOTIFICATIONS_SET_UP,
    NOTIFICATIONS_TURNED_OFF,
    change_notifications_update,
)
from accounts.permissions import SYSTEM
from registry.services.changes import last_position
from tests.accounts.notifications.conftest import ALL_TOPICS, Frequency, Topic, changed
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    ProviderFactory,
    SupportAdministratorFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def history(notifications):
    return [(row.history_change_reason, row.history_user_id) for row in notifications.history.order_by("history_id")]


@pytest.mark.parametrize("factory", [SupportViewerFactory, SupportEditorFactory, SupportAdministratorFactory])
def test_support_users_who_read_the_register_may_set_them_up(factory):
    user = factory()
    notifications = change_notifications_update(actor=user, frequency=Frequency.DAILY, topics=ALL_TOPICS)
    assert (notifications.user, notifications.frequency, notifications.topics) == (user, "daily", ALL_TOPICS)


@pytest.mark.parametrize(
    "make_actor", [ApiUserFactory, AuditorFactory, UserFactory, lambda: SYSTEM, lambda: None], ids=str
)
def test_nobody_else_may(make_actor):
    with pytest.raises(PermissionDenied):
        change_notifications_update(actor=make_actor(), frequency=Frequency.DAILY, topics=ALL_TOPICS)
    assert not ChangeNotifications.objects.exists()


def test_setting_up_starts_from_the_register_as_it_is_now():
    changed(ProviderFactory())
    notifications = change_notifications_update(
        actor=SupportViewerFactory(), frequency=Frequency.WEEKLY, topics=[Topic.ADDRESSES]
    )
    assert notifications.covered_position == last_position() > 0


def test_how_often_and_what_about_are_both_needed():
    user = SupportViewerFactory()
    with pytest.raises(ValidationError) as missing_frequency:
        change_notifications_update(actor=user, frequency="", topics=ALL_TOPICS)
    assert missing_frequency.value.message_dict == {"frequency": [FREQUENCY_REQUIRED]}
    with pytest.raises(ValidationError) as missing_topics:
        change_notifications_update(actor=user, frequency=Frequency.EACH_TIME, topics=[])
    assert missing_topics.value.message_dict == {"topics": [TOPICS_REQUIRED]}
    with pytest.raises(ValidationError):
        change_notifications_update(actor=user, frequency=Frequency.DAILY, topics=["gossip"])


def test_topics_are_kept_in_the_questions_order_and_dropped_with_no_emails():
    user = SupportViewerFactory()
    notifications = change_notifications_update(
        actor=user, frequency=Frequency.DAILY, topics=[Topic.USERS, Topic.DETAILS, Topic.USERS]
    )
    assert notifications.topics == [Topic.DETAILS, Topic.USERS]
    notifications = change_notifications_update(actor=user, frequency=Frequency.NEVER, topics=[Topic.DETAILS])
    assert notifications.topics == []


def test_every_change_is_in_the_history_with_who_made_it_and_why():
    user = SupportViewerFactory()
    notifications = change_notifications_update(actor=user, frequency=Frequency.DAILY, topics=[Topic.DETAILS])
    change_notifications_update(actor=user, frequency=Frequency.DAILY, topics=[Topic.DETAILS])  # no change
    change_notifications_update(actor=user, frequency=Frequency.WEEKLY, topics=[Topic.DETAILS])
    change_notifications_update(actor=user, frequency=Frequency.NEVER, topics=[])
    change_notifications_update(actor=user, frequency=Frequency.EACH_TIME, topics=ALL_TOPICS)

    assert history(notifications) == [
        (NOTIFICATIONS_SET_UP, user.pk),
        (NOTIFICATIONS_CHANGED, user.pk),
        (NOTIFICATIONS_TURNED_OFF, user.pk),
        (NOTIFICATIONS_SET_UP, user.pk),
    ]


def test_saying_no_emails_first_is_recorded_too():
    user = SupportViewerFactory()
    notifications = change_notifications_update(actor=user, frequency=Frequency.NEVER, topics=[])
    assert not notifications.is_on
    assert history(notifications) == [(NOTIFICATIONS_TURNED_OFF, user.pk)]
