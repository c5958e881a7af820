"""Reading and taking partnership rows: their providers and academic years, matched again on a re-import."""

import datetime

import pytest
from django.utils import timezone

from registry.models import Partnership, Provider
from tests.registry.importing.conftest import run_import, years

pytestmark = pytest.mark.django_db


def test_partnerships_link_their_providers_and_academic_years(imported):
    partnership = Partnership.objects.get(accredited_provider__code="T92", training_partner__code="151")
    ended = Partnership.objects.get(accredited_provider__code="C76")

    assert (partnership.starts_on, partnership.ends_on) == (datetime.date(2019, 8, 1), None)
    assert years(partnership) == list(range(2019, 2027))
    assert ended.ends_on == datetime.date(2025, 7, 31)
    assert years(ended) == [2019, 2020, 2023, 2024]


def test_academic_years_outside_a_partnerships_dates_are_left_out(imported):
    partnership = Partnership.objects.get(accredited_provider__code="2A2", training_partner__code="1Q6")

    assert years(partnership) == [2025, 2026]


def test_a_partnership_whose_start_date_the_register_changed_is_still_matched(imported):
    partnership = Partnership.objects.get(accredited_provider__code="T92", training_partner__code="151")
    Partnership.objects.filter(pk=partnership.pk).update(starts_on=datetime.date(2019, 9, 1))

    run_import()

    assert Partnership.objects.filter(accredited_provider__code="T92", training_partner__code="151").count() == 1


def test_a_partnership_with_an_archived_provider_is_reported_only_when_it_would_change(imported):
    Provider.objects.filter(code="151").update(archived_at=timezone.now())

    _, unchanged = run_import()
    Partnership.objects.filter(training_partner__code="151").update(ends_on=datetime.date(2030, 7, 31))
    _, changed = run_import()

    assert "151 is archived" not in unchanged
    assert "provider-partnerships.csv row 2: row not taken: 151 is archived, so it was not changed" in changed
    assert Partnership.objects.get(training_partner__code="151").ends_on == datetime.date(2030, 7, 31)
