"""The register's rules for the dates a provider is given: when it onboarded and first became active.

Kept beside `registry.validators` (whose `provider_problems` asks them) to keep each module small;
worded, like every rule, by `registry.messages`.
"""

import datetime

from registry.models import AcademicYear
from registry.validators import Problem


def latest_first_active_on(today: datetime.date) -> datetime.date:
    """The last day a provider may be said to first become active: the end of next academic year,
    the last year anyone is asked about."""
    return AcademicYear(start_year=AcademicYear.start_year_of(today) + 1).ends_on


def provider_date_problems(values: dict, today: datetime.date) -> list[Problem]:
    """A provider onboards onto the register by today. It may first become active before it
    onboarded (it trained teachers before the register knew it) or after, up to the end of next
    academic year. Only the dates `values` gives are checked."""
    problems = []
    if (onboarded_on := values.get("onboarded_on")) and onboarded_on > today:
        problems.append(Problem.of("onboarded_on", "onboarded_on_in_future"))
    latest = latest_first_active_on(today)
    if (first_active_on := values.get("first_active_on")) and first_active_on > latest:
        problems.append(Problem.of("first_active_on", "first_active_on_too_late", latest=latest))
    return problems
