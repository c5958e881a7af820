"""Dates and times the way GOV.UK writes them, for every page, email, export and error message.

"1 September 2024", "11 December 2025 at 2:13pm", "midday". One place, so the register and the
accounts pages, the Activity page and the rules' wording never write the same moment two ways.
"""

import datetime

from django.utils import timezone


def format_govuk_date(value: datetime.date) -> str:
    """A date the way GOV.UK writes it: "1 September 2024"."""
    return f"{value.day} {value:%B %Y}"


def format_govuk_time(value: datetime.datetime) -> str:
    """ "2:13pm", "midday", "midnight", in the service's time zone (UK time)."""
    local = timezone.localtime(value)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def format_govuk_datetime(value: datetime.datetime) -> str:
    """ "11 December 2025 at 2:13pm", in UK time."""
    return f"{format_govuk_date(timezone.localtime(value))} at {format_govuk_time(value)}"
