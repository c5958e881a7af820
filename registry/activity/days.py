"""The feed grouped by day in the service's time zone (Europe/London): "Today", "Yesterday", "21 May 2025"."""

import datetime
import itertools

from django.utils import timezone

from registry.formats import format_govuk_date


def day_heading(day: datetime.date, *, today: datetime.date) -> str:
    if day == today:
        return "Today"
    if day == today - datetime.timedelta(days=1):
        return "Yesterday"
    return format_govuk_date(day)


def group_by_day(entries) -> list[tuple[str, list]]:
    """Runs of entries (newest first) that fall on the same local day, each under its heading."""
    today = timezone.localdate()
    return [
        (day_heading(day, today=today), list(day_entries))
        for day, day_entries in itertools.groupby(entries, key=lambda entry: timezone.localdate(entry.changed_at))
    ]
