"""Making the notification emails: daily and weekly digests, and an email each time a provider is updated.

Run by `manage.py send_change_digests`, every minute. Each person is dealt with in a transaction of
their own, which:

1. locks their settings row, skipping it if another run has it (`skip_locked`), so two runs at once
   never both email the same person, and asks again whether they are due (a run that has just
   finished with them has moved their `covered_at` and `covered_position` on);
2. reads the changes after their `covered_position`, up to the last position committed when this
   run began, about the topics they chose, leaving out their own;
3. queues the emails in the outbox (`accounts.emails`), and moves their `covered_position` on.

So each change is in exactly one email: the position moves in the transaction that queues the email,
and the outbox sends each email once, however long Notify is down. A late run covers everything
since the last one.

"Each time a provider is updated": one email per provider, holding a provider back until a minute has
passed since its latest change, so that changes made together (a provider and its address) go in one
email (ten minutes at most). A person's position cannot pass a change still held back, so a provider
changed after that one waits with it (see `_held_back`).
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.emails.services import email_queue
from accounts.models import ChangeNotifications, Email
from accounts.notifications.permissions import user_can_get_change_notifications
from accounts.notifications.schedule import digest_is_due
from accounts.notifications.selectors import change_notifications_due, provider_changes_to_tell, providers_named
from accounts.notifications.wording import ProviderChanges, digest_personalisation, provider_changed_personalisation
from registry.models import ProviderChange
from registry.services.changes import last_position

logger = logging.getLogger("accounts.notifications")

Frequency = ChangeNotifications.Frequency

# A provider's changes are emailed (to those who want each one) once it has been left alone this long,
# or once its first change not yet emailed is this old, so that one provider changed without a
# minute's pause (a script, a long import) cannot hold back everyone's emails for ever.
QUIET_PERIOD = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(minutes=10)


@dataclass
class Sent:
    """How many emails a run queued: digests, and emails about one provider."""

    digests: int = 0
    provider_emails: int = 0


def change_notifications_send(*, now: datetime.datetime | None = None) -> Sent:
    """Queue every notification email due now; each person in a transaction of their own."""
    now = now or timezone.now()
    # Read once, at the start: positions commit in order, so nothing at or below it is still to come.
    up_to = last_position()
    sent = Sent()
    for notifications_id in change_notifications_due(now=now, up_to=up_to):
        with transaction.atomic():
            notifications = (
                ChangeNotifications.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(pk=notifications_id)
                .first()
            )
            if notifications is None:
                continue  # Another run has them now.
            if notifications.frequency == Frequency.EACH_TIME:
                sent.provider_emails += _provider_emails_queue(notifications, up_to=up_to, now=now)
            elif digest_is_due(notifications, now):
                sent.digests += _digest_queue(notifications, up_to=up_to, now=now)
    if sent.digests or sent.provider_emails:
        logger.info(
            "Queued %s change digest(s) and %s provider email(s).",
            sent.digests,
            sent.provider_emails,
            extra={"event": "change_notifications", "digests": sent.digests, "provider_emails": sent.provider_emails},
        )
    return sent


def _digest_queue(notifications: ChangeNotifications, *, up_to: int, now) -> int:
    """Queue the person's digest of every change since their last, if there is any; how many queued."""
    groups = _changes_to_tell(notifications, up_to=up_to)
    if groups:
        email_queue(
            kind=Email.Kind.CHANGE_DIGEST,
            user=notifications.user,
            personalisation=digest_personalisation(
                notifications=notifications, groups=groups, since=notifications.covered_at
            ),
        )
    _covered(notifications, position=up_to, at=now)
    return 1 if groups else 0


def _provider_emails_queue(notifications: ChangeNotifications, *, up_to: int, now) -> int:
    """Queue an email for each provider changed and then left alone for a minute; how many queued."""
    groups = _changes_to_tell(notifications, up_to=up_to)
    held = _held_back(groups, now=now)
    covered = up_to
    if held:
        covered = min(group.changes[0].position for group in groups if group.provider_id in held) - 1
    ready = [group for group in groups if group.provider_id not in held]
    for group in ready:
        email_queue(
            kind=Email.Kind.PROVIDER_CHANGED,
            user=notifications.user,
            personalisation=provider_changed_personalisation(group=group),
        )
    _covered(notifications, position=covered, at=now)
    return len(ready)


def _held_back(groups: list[ProviderChanges], *, now) -> set:
    """The providers to wait for: changed in the last minute (for ten minutes at most), or changed
    after a change held back.

    A person's position is one number, so it cannot pass the first change held back; a provider with
    a change after that position waits too, or the email sent now would leave part of its changes
    to be sent again later. Every change before the position is then in an email sent now.
    """
    held = {
        group.provider_id
        for group in groups
        if group.changes[-1].recorded_at > now - QUIET_PERIOD and group.changes[0].recorded_at > now - LONGEST_WAIT
    }
    while held:
        first_held = min(group.changes[0].position for group in groups if group.provider_id in held)
        also = {
            group.provider_id
            for group in groups
            if group.provider_id not in held and group.changes[-1].position >= first_held
        }
        if not also:
            break
        held |= also
    return held


def _changes_to_tell(notifications: ChangeNotifications, *, up_to: int) -> list[ProviderChanges]:
    """The person's changes still to tell, by provider, in the order each provider first changed.

    None for someone who may no longer be told (their role or account gone): their position still
    moves on, so that they are not sent the changes of that time if they are given a role again.
    """
    if notifications.covered_position >= up_to or not user_can_get_change_notifications(notifications.user):
        return []
    changes = provider_changes_to_tell(
        after=notifications.covered_position,
        up_to=up_to,
        topics=notifications.topics,
        leaving_out_actor_id=notifications.user_id,
    )
    by_provider: dict[object, list[ProviderChange]] = {}
    for change in changes:
        by_provider.setdefault(change.provider_id, []).append(change)
    providers = providers_named(by_provider)
    return [ProviderChanges(pk, providers.get(pk), provider_changes) for pk, provider_changes in by_provider.items()]


def _covered(notifications: ChangeNotifications, *, position: int, at) -> None:
    """Their emails have dealt with everything up to `position`. Never moves back: a run that began
    before another finished with this person has a lower `up_to`."""
    ChangeNotifications.objects.filter(pk=notifications.pk).update(
        covered_position=max(notifications.covered_position, position), covered_at=at
    )
