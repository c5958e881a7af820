"""When a digest is due: once a day after the day's digest time, or once a week.

A digest covers everything since the person's last one (their `covered_position`), so a run that
is late, or missed a day, loses nothing: its digest is simply longer. Times are UK time.
"""

import datetime

from django.utils import timezone

from accounts.models import ChangeNotifications

Frequency = ChangeNotifications.Frequency

# Daily and weekly digests go at the first run of `send_change_digests` after 7am, UK time.
DIGEST_HOUR = 7


def latest_digest_time(now: datetime.datetime) -> datetime.datetime:
    """The most recent 7am (UK time) at or before `now`."""
    local = timezone.localtime(now)
    boundary = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if boundary > local:
        # Wall-clock arithmetic: 7am the day before, whether or not the clocks changed overnight.
        boundary = (boundary.replace(tzinfo=None) - datetime.timedelta(days=1)).replace(tzinfo=local.tzinfo)
    return boundary.astimezone(datetime.UTC)


def digest_due_if_covered_before(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """A daily or weekly digest is due when the person's last one (or setting up) was before this.

    Daily: before the latest 7am. Weekly: before the 7am six days before that, so a digest sent at
    7am on a Monday is next due at 7am the Monday after, however late in the hour the job ran.
    """
    latest = latest_digest_time(now)
    if frequency == Frequency.WEEKLY:
        local = timezone.localtime(latest).replace(tzinfo=None) - datetime.timedelta(days=6)
        return timezone.make_aware(local).astimezone(datetime.UTC)
    return latest


def digest_is_due(notifications: ChangeNotifications, now: datetime.datetime) -> bool:
    if notifications.frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        return False
    return notifications.covered_at < digest_due_if_covered_before(notifications.frequency, now)
