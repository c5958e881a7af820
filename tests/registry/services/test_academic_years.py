"""`academic_years_active_since`: the academic years a provider has been active in, worked out from
the date it first became active, as Add provider shows and saves them."""

import datetime

import pytest

from registry.services.academic_years import academic_years_active_since

TODAY = datetime.date(2026, 12, 5)  # in 2026 to 2027


@pytest.mark.parametrize(
    ("first_active_on", "years"),
    [
        (datetime.date(2026, 9, 1), [2026]),  # this year
        (datetime.date(2026, 8, 1), [2026]),  # a year starts on 1 August…
        (datetime.date(2026, 7, 31), [2025, 2026]),  # …and ends on 31 July
        (datetime.date(2023, 9, 4), [2023, 2024, 2025, 2026]),
    ],
)
def test_each_year_from_the_one_the_date_falls_in_to_the_current_one(first_active_on, years):
    assert academic_years_active_since(first_active_on, today=TODAY) == years


def test_a_provider_not_yet_active_is_active_in_the_year_it_starts():
    assert academic_years_active_since(datetime.date(2027, 9, 1), today=TODAY) == [2027]


def test_years_before_the_registers_first_are_left_out():
    assert academic_years_active_since(datetime.date(2001, 9, 1), today=TODAY) == list(range(2019, 2027))
