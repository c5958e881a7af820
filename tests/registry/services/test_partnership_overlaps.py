"""No two partnerships between the same two providers over overlapping dates ("Preventing duplicate
partnerships based on partnership dates"): the services refuse, with PartnershipDatesOverlap.

The pages' stop page: tests/registry/admin/test_partnership_overlaps.py; two at once on PostgreSQL:
test_partnership_overlaps_postgresql.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registry.models import Partnership
from registry.services.partnerships import (
    PartnershipDatesOverlap,
    partnership_create,
    partnership_delete,
    partnership_overlapping,
    partnership_update,
)
from tests.factories import AccreditedProviderFactory, PartnershipFactory, SchoolProviderFactory

pytestmark = pytest.mark.django_db

AUGUST_2024, JULY_2025, AUGUST_2025 = datetime.date(2024, 8, 1), datetime.date(2025, 7, 31), datetime.date(2025, 8, 1)


@pytest.fixture
def accredited():
    return AccreditedProviderFactory(operating_name="Ash Tree SCITT")


@pytest.fixture
def school():
    return SchoolProviderFactory(operating_name="Birch School")


@pytest.fixture
def existing(accredited, school):
    """Ash Tree SCITT and Birch School, from 1 August 2024 to 31 July 2025."""
    return PartnershipFactory(
        accredited_provider=accredited, training_partner=school, starts_on=AUGUST_2024, ends_on=JULY_2025
    )


def _add(actor, accredited, school, starts_on, ends_on=None, years=None):
    return partnership_create(
        actor=actor,
        accredited_provider=accredited,
        training_partner=school,
        starts_on=starts_on,
        ends_on=ends_on,
        academic_years=years or [starts_on.year if starts_on.month >= 8 else starts_on.year - 1],
    )


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (AUGUST_2024, JULY_2025),  # the same dates
        (datetime.date(2025, 1, 1), None),  # starting during it, open-ended
        (datetime.date(2023, 8, 1), AUGUST_2024),  # ending on its first day
        (JULY_2025, datetime.date(2026, 7, 31)),  # starting on its last day
        (datetime.date(2023, 8, 1), None),  # around it
    ],
)
def test_overlapping_dates_are_refused_with_the_existing_partnership(
    actor, accredited, school, existing, starts_on, ends_on
):
    with pytest.raises(PartnershipDatesOverlap) as refused:
        _add(actor, accredited, school, starts_on, ends_on, years=[2024])

    assert refused.value.existing == existing
    assert refused.value.message_dict == {
        "starts_on": ["Birch School already has a partnership with Ash Tree SCITT for these dates"]
    }
    assert isinstance(refused.value, ValidationError)
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(AUGUST_2025, None), (datetime.date(2023, 8, 1), datetime.date(2024, 7, 31))],
    ids=["the-day-after-it-ends", "ending-the-day-before-it-starts"],
)
def test_dates_next_to_it_are_allowed(actor, accredited, school, existing, starts_on, ends_on):
    added = _add(actor, accredited, school, starts_on, ends_on)

    assert Partnership.objects.kept().filter(accredited_provider=accredited, training_partner=school).count() == 2
    assert added.pk != existing.pk


def test_an_open_ended_partnership_overlaps_everything_after_its_start(actor, accredited, school):
    PartnershipFactory(accredited_provider=accredited, training_partner=school, starts_on=AUGUST_2024, ends_on=None)

    with pytest.raises(PartnershipDatesOverlap):
        _add(actor, accredited, school, datetime.date(2030, 8, 1))
    _add(actor, accredited, school, datetime.date(2023, 8, 1), datetime.date(2024, 7, 31))


def test_other_pairs_and_deleted_partnerships_do_not_count(actor, accredited, school, existing):
    _add(actor, accredited, SchoolProviderFactory(), AUGUST_2024, JULY_2025, years=[2024])
    _add(actor, AccreditedProviderFactory(), school, AUGUST_2024, JULY_2025, years=[2024])
    partnership_delete(actor=actor, partnership=existing)

    _add(actor, accredited, school, AUGUST_2024, JULY_2025, years=[2024])


def test_the_same_two_providers_either_way_round_are_the_same_pair(accredited, school):
    # A partnership recorded the other way round (an import, or before a provider's status changed).
    PartnershipFactory(accredited_provider=school, training_partner=accredited, starts_on=AUGUST_2024, ends_on=None)

    found = partnership_overlapping(
        accredited_provider=accredited, training_partner=school, starts_on=AUGUST_2025, ends_on=None
    )

    assert found is not None


def test_a_partnership_without_a_start_date_is_open_at_its_start(actor, accredited, school):
    PartnershipFactory(accredited_provider=accredited, training_partner=school, starts_on=None, ends_on=JULY_2025)

    with pytest.raises(PartnershipDatesOverlap):
        _add(actor, accredited, school, datetime.date(2020, 8, 1), datetime.date(2021, 7, 31), years=[2020])


def test_changing_the_dates_onto_another_partnerships_is_refused(actor, accredited, school, existing):
    later = _add(actor, accredited, school, AUGUST_2025)

    with pytest.raises(PartnershipDatesOverlap) as refused:
        partnership_update(actor=actor, partnership=later, changes={"starts_on": datetime.date(2025, 7, 1)})

    assert refused.value.existing == existing
    later.refresh_from_db()
    assert later.starts_on == AUGUST_2025


def test_a_partnerships_own_dates_never_overlap_it_and_other_changes_are_not_asked(actor, accredited, school):
    first = PartnershipFactory(
        accredited_provider=accredited, training_partner=school, starts_on=AUGUST_2024, academic_years=[2024]
    )
    # Two that overlap already (recorded before the rule): changing only the academic years is allowed.
    second = PartnershipFactory(
        accredited_provider=accredited, training_partner=school, starts_on=AUGUST_2025, academic_years=[2025]
    )

    partnership_update(actor=actor, partnership=first, changes={"ends_on": datetime.date(2025, 7, 31)})
    partnership_update(actor=actor, partnership=second, changes={"academic_years": [2025, 2026]})

    first.refresh_from_db()
    assert first.ends_on == datetime.date(2025, 7, 31)
    assert sorted(second.academic_years.values_list("start_year", flat=True)) == [2025, 2026]
