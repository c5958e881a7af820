"""Changing a person's email notification settings: the one write to them, with its history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import ChangeNotifications, User
from accounts.notifications.messages import FREQUENCY_REQUIRED, TOPICS_REQUIRED
from accounts.notifications.permissions import user_can_get_change_notifications
from registry.models import ProviderChange
from registry.services.changes import last_position

Frequency = ChangeNotifications.Frequency

# The history rows' reasons, as a person's history and the Activity page show them.
NOTIFICATIONS_SET_UP = "Email notifications set up"
NOTIFICATIONS_CHANGED = "Email notifications changed"
NOTIFICATIONS_TURNED_OFF = "Email notifications turned off"


@transaction.atomic
def change_notifications_update(*, actor: User, frequency: str, topics: list[str]) -> ChangeNotifications:
    """Set how often `actor` is emailed the register's changes, and about what.

    Only ever one's own settings, so nobody acts for anyone else here (the service itself neither).
    Setting them up, or turning them on again, starts from the register as it is now: the first
    email holds the changes made after this, not the whole history. Changing how often or about
    what keeps the person's place, so nothing made meanwhile is missed.
    """
    if not user_can_get_change_notifications(actor):
        raise PermissionDenied
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": ValidationError(FREQUENCY_REQUIRED, code="required")})
    is_on = frequency != Frequency.NEVER
    topics = [topic for topic in ProviderChange.Topic.values if topic in set(topics)] if is_on else []
    if is_on and not topics:
        raise ValidationError({"topics": ValidationError(TOPICS_REQUIRED, code="required")})

    # Locked, so that a digest being made for this person finishes first, and its position is kept.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    notifications = ChangeNotifications.objects.select_for_update().filter(user_id=actor.pk).first()
    now = timezone.now()
    if notifications is None:
        notifications = ChangeNotifications(user_id=actor.pk, created_at=now)
        reason = NOTIFICATIONS_SET_UP if is_on else NOTIFICATIONS_TURNED_OFF
        starting = is_on
    elif (notifications.frequency, notifications.topics) == (frequency, topics):
        return notifications
    else:
        starting = is_on and not notifications.is_on
        reason = NOTIFICATIONS_SET_UP if starting else NOTIFICATIONS_CHANGED if is_on else NOTIFICATIONS_TURNED_OFF
    if starting:
        notifications.covered_position = last_position()
        notifications.covered_at = now
    notifications.frequency = frequency
    notifications.topics = topics
    notifications.updated_at = now
    notifications._history_user = actor
    notifications._change_reason = reason
    notifications.save()
    return notifications
