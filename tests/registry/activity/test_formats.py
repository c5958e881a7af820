import datetime

import pytest
from django.db import models

from accounts.models import User
from registry.activity.days import day_heading
from registry.activity.formats import display_value

TODAY = datetime.date(2025, 5, 23)
WINTER_AFTERNOON = datetime.datetime(2025, 12, 11, 14, 13, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("day", "heading"),
    [
        (TODAY, "Today"),
        (datetime.date(2025, 5, 22), "Yesterday"),
        (datetime.date(2025, 5, 21), "21 May 2025"),
        (datetime.date(2024, 12, 1), "1 December 2024"),
    ],
)
def test_day_headings(day, heading):
    assert day_heading(day, today=TODAY) == heading


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        (User._meta.get_field("is_active"), True, "Yes"),
        (User._meta.get_field("is_active"), False, "No"),
        (User._meta.get_field("role"), "Auditor", "Auditor"),
        (User._meta.get_field("role"), "", ""),
        (User._meta.get_field("dfe_sign_in_uid"), None, ""),
        (models.CharField(choices=[("open", "Open to applications")]), "open", "Open to applications"),
        (models.DateField(), datetime.date(2025, 5, 1), "1 May 2025"),
        (
            models.DateTimeField(),
            datetime.datetime(2025, 12, 11, 14, 13, tzinfo=datetime.UTC),
            "11 December 2025 at 2:13pm",
        ),
        (models.IntegerField(), 0, "0"),
    ],
)
def test_values_are_written_as_people_read_them(field, value, shown):
    assert display_value(field, value) == shown
