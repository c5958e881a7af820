import datetime

import pytest
from django.utils import timezone

from accounts.formats import format_govuk_datetime


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime.datetime(2025, 12, 11, 14, 13), "11 December 2025 at 2:13pm"),
        (datetime.datetime(2025, 12, 1, 9, 5), "1 December 2025 at 9:05am"),
        (datetime.datetime(2026, 7, 4, 12, 0), "4 July 2026 at midday"),
        (datetime.datetime(2026, 7, 4, 0, 0), "4 July 2026 at midnight"),
        (datetime.datetime(2026, 7, 4, 0, 30), "4 July 2026 at 12:30am"),
    ],
)
def test_datetimes_are_written_the_gov_uk_way_in_uk_time(local, expected):
    assert format_govuk_datetime(timezone.make_aware(local)) == expected
