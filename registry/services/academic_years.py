"""Academic years are reference data: they exist once anything refers to them."""

from collections.abc import Iterable

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
