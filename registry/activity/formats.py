"""Values and times as the Activity page and its export write them."""

import datetime

from django.db import models

from accounts.models import User
from registry.formats import format_govuk_date, format_govuk_datetime


def display_value(model_field: models.Field, value) -> str:
    """ "Yes"/"No" for booleans, a choice's label, GOV.UK dates; empty for no value."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return format_govuk_datetime(value)
    if isinstance(value, datetime.date):
        return format_govuk_date(value)
    return str(value)


def actor_name(actor: User) -> str:
    """A deleted person's name is not shown again; their id still tells auditors who it was."""
    return "Deleted user" if actor.is_deleted else actor.full_name
