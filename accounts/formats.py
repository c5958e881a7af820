"""Dates and times the way GOV.UK writes them: "11 December 2025 at 2:13pm"."""

import datetime

from django.utils import timezone


def format_govuk_datetime(value: datetime.datetime) -> str:
    local = timezone.localtime(value)
    if (local.hour, local.minute) == (12, 0):
        time = "midday"
    elif (local.hour, local.minute) == (0, 0):
        time = "midnight"
    else:
        hour = local.hour % 12 or 12
        time = f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    return f"{local.day} {local:%B %Y} at {time}"
