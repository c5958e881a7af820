"""Academic years are reference data: they exist once anything refers to them."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from registry.models import AcademicYear
from registry.validators import start_years


def academic_years_ensure(years: Iterable) -> list[AcademicYear]:
    """The academic years given (as start years or rows), adding any the register does not have yet."""
    wanted = start_years(years)
    existing = set(AcademicYear.objects.filter(start_year__in=wanted).values_list("start_year", flat=True))
    AcademicYear.objects.bulk_create(
        [AcademicYear(start_year=year) for year in wanted if year not in existing], ignore_conflicts=True
    )
    return list(AcademicYear.objects.filter(start_year__in=wanted).order_by("start_year"))


def academic_years_active_since(first_active_on: datetime.date, *, today: datetime.date | None = None) -> list[int]:
    """The start years of the academic years a provider first active on `first_active_on` has been
    active in: from the one that date falls in to the current one (by `today`).

    A provider not yet active (first active in a later year) is active in that year alone. Years
    before the register's first (2019 to 2020) are left out, as nobody is asked about them.
    """
    current = AcademicYear.start_year_of(today or timezone.localdate())
    first = AcademicYear.start_year_of(first_active_on)
    if first > current:
        return [first]
    return list(range(max(first, AcademicYear.FIRST_START_YEAR), current + 1))
