"""When a digest is due: after 7am UK time, daily, or on the seventh day."""

import datetime

from django.utils import timezone

from accounts.models import ChangeNotifications
from accounts.notifications.schedule import digest_due_if_covered_before, latest_digest_time

Frequency = ChangeNotifications.Frequency


def uk_time(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_the_latest_digest_time_is_the_last_7am_uk_time():
    assert latest_digest_time(uk_time(2026, 12, 2, 7, 0)) == uk_time(2026, 12, 2, 7, 0)
    assert latest_digest_time(uk_time(2026, 12, 2, 6, 59)) == uk_time(2026, 12, 1, 7, 0)
    assert latest_digest_time(uk_time(2026, 12, 2, 23, 59)) == uk_time(2026, 12, 2, 7, 0)


def test_7am_stays_7am_uk_time_when_the_clocks_change():
    # The clocks go forward on 29 March 2026 and back on 25 October 2026.
    assert latest_digest_time(uk_time(2026, 3, 29, 6, 0)) == uk_time(2026, 3, 28, 7, 0)
    assert latest_digest_time(uk_time(2026, 10, 25, 6, 0)) == uk_time(2026, 10, 24, 7, 0)
    assert latest_digest_time(uk_time(2026, 3, 30, 8, 0)).hour == 6  # 7am BST is 6am UTC


def test_a_weekly_digest_is_due_on_the_seventh_day_at_7am():
    sent = uk_time(2026, 11, 30, 7, 5)  # a Monday, a little after 7am
    assert not sent < digest_due_if_covered_before(Frequency.WEEKLY, uk_time(2026, 12, 7, 6, 59))
    assert sent < digest_due_if_covered_before(Frequency.WEEKLY, uk_time(2026, 12, 7, 7, 0))
    assert not sent < digest_due_if_covered_before(Frequency.DAILY, uk_time(2026, 11, 30, 23, 0))
    assert sent < digest_due_if_covered_before(Frequency.DAILY, uk_time(2026, 12, 1, 7, 0))
