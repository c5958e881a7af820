"""`provider_accreditation_status_sync` (and its daily run): a provider's status follows its accreditations."""

import datetime

import pytest
from django.utils import timezone

from registry.services.providers import (
    ACCREDITATION_STATUS_UPDATED,
    provider_accreditation_status_sync,
    provider_accreditation_status_sync_all,
)
from tests.factories import (
    AccreditationFactory,
    AccreditedHeiProviderFactory,
    AccreditedProviderFactory,
    HeiProviderFactory,
    SchoolProviderFactory,
)

pytestmark = pytest.mark.django_db


class TestAccreditationStatusSync:
    TODAY = datetime.date(2025, 1, 10)

    def sync(self, provider, actor=None):
        provider_accreditation_status_sync(provider=provider, actor=actor, today=self.TODAY)
        provider.refresh_from_db()
        return provider.accreditation_status, provider.provider_type

    def test_a_school_with_a_current_accreditation_becomes_an_accredited_scitt(self, actor):
        school = SchoolProviderFactory()
        AccreditationFactory(provider=school, number="5606", starts_on=datetime.date(2024, 8, 1))

        assert self.sync(school, actor) == ("accredited", "scitt")
        latest = school.history.first()
        assert (latest.history_user, latest.history_change_reason) == (actor, ACCREDITATION_STATUS_UPDATED)

    @pytest.mark.parametrize(
        ("starts_on", "ends_on"),
        [
            (datetime.date(2025, 1, 11), None),  # Not started yet.
            (datetime.date(2024, 8, 1), datetime.date(2025, 1, 9)),  # Ended.
        ],
    )
    def test_a_scitt_with_no_current_accreditation_becomes_a_school(self, starts_on, ends_on):
        scitt = AccreditedProviderFactory(accreditation=False)
        AccreditationFactory(provider=scitt, starts_on=starts_on, ends_on=ends_on)

        assert self.sync(scitt) == ("unaccredited", "school")

    def test_an_accreditation_is_current_on_its_first_and_last_days(self):
        first_day = AccreditedProviderFactory(accreditation=False)
        AccreditationFactory(provider=first_day, starts_on=self.TODAY)
        last_day = AccreditedProviderFactory(accreditation=False)
        AccreditationFactory(provider=last_day, starts_on=datetime.date(2024, 8, 1), ends_on=self.TODAY)

        assert self.sync(first_day) == ("accredited", "scitt")
        assert self.sync(last_day) == ("accredited", "scitt")

    def test_a_deleted_accreditation_does_not_count(self):
        scitt = AccreditedProviderFactory(accreditation=False)
        AccreditationFactory(provider=scitt, deleted_at=timezone.now())

        assert self.sync(scitt) == ("unaccredited", "school")

    def test_an_hei_keeps_its_type(self):
        hei = AccreditedHeiProviderFactory(accreditation=False)

        assert self.sync(hei) == ("unaccredited", "hei")

    def test_an_unchanged_status_writes_nothing(self):
        scitt = AccreditedProviderFactory()

        assert self.sync(scitt) == ("accredited", "scitt")
        assert scitt.history.count() == 1

    def test_the_daily_sync_changes_only_providers_that_are_out_of_date_with_no_actor(self):
        ended = AccreditedProviderFactory(accreditation=False)
        AccreditationFactory(provider=ended, ends_on=datetime.date(2025, 1, 9))
        starting = SchoolProviderFactory()
        AccreditationFactory(provider=starting, starts_on=self.TODAY)
        unchanged = [AccreditedProviderFactory(), SchoolProviderFactory(), HeiProviderFactory()]
        archived = AccreditedProviderFactory(accreditation=False, archived=True)

        assert provider_accreditation_status_sync_all(today=self.TODAY) == 3

        for provider in (ended, starting, archived):
            provider.refresh_from_db()
            latest = provider.history.first()
            assert (latest.history_user, latest.history_change_reason) == (None, ACCREDITATION_STATUS_UPDATED)
        assert (ended.accreditation_status, ended.provider_type) == ("unaccredited", "school")
        assert (starting.accreditation_status, starting.provider_type) == ("accredited", "scitt")
        assert archived.accreditation_status == "unaccredited"
        assert all(provider.history.count() == 1 for provider in unchanged)
        assert provider_accreditation_status_sync_all(today=self.TODAY) == 0
