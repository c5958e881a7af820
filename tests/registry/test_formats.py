import datetime

import pytest
from django.utils import timezone

from registry.formats import format_govuk_date, format_govuk_datetime, format_govuk_time


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


def test_a_time_is_the_time_part_of_its_date_and_time():
    moment = timezone.make_aware(datetime.datetime(2025, 12, 11, 14, 13))
    assert format_govuk_time(moment) == "2:13pm"
    assert format_govuk_datetime(moment).endswith(f" at {format_govuk_time(moment)}")


def test_a_moment_is_written_on_its_uk_day():
    # 11:30pm UTC on 30 June is already 1 July in London (BST): the date is the one people in the UK saw.
    late = datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert format_govuk_datetime(late) == "1 July 2025 at 12:30am"


def test_dates_are_written_without_a_leading_zero():
    assert format_govuk_date(datetime.date(2024, 9, 1)) == "1 September 2024"
