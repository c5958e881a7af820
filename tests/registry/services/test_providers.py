import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.forms import ProviderForm
from registry.models import AcademicYear, Provider
from registry.models.provider import AccreditationStatus, ProviderType
from registry.services.providers import (
    ACCREDITATION_STATUS_UPDATED,
    PROVIDER_ADDED,
    PROVIDER_ARCHIVED,
    PROVIDER_DELETED,
    PROVIDER_RESTORED,
    PROVIDER_UPDATED,
    ProviderArchivedError,
    ProviderNotArchivedError,
    provider_accreditation_status_sync,
    provider_accreditation_status_sync_all,
    provider_archive,
    provider_create,
    provider_delete,
    provider_restore,
    provider_update,
)
from registry.services.register_ids import RegisterIdsExhausted, is_register_id, register_id_candidates
from tests.factories import (
    AccreditationFactory,
    AccreditedHeiProviderFactory,
    AccreditedProviderFactory,
    ArchivedProviderFactory,
    HeiProviderFactory,
    PartnershipFactory,
    ProviderFactory,
    SchoolProviderFactory,
)

pytestmark = pytest.mark.django_db

MESSAGES = ProviderForm.error_messages
ONBOARDED_ON = datetime.date(2024, 8, 1)


def add(actor, **changes):
    answers = {
        "operating_name": "Abacus Belsize Primary School",
        "provider_type": ProviderType.SCHOOL,
        "accreditation_status": AccreditationStatus.UNACCREDITED,
        "ukprn": "10042333",
        "urn": "139837",
        "code": "4a2",
        "onboarded_on": ONBOARDED_ON,
        **changes,
    }
    return provider_create(actor=actor, **answers)


def errors_of(raised) -> dict[str, list[tuple[str, str]]]:
    """Each field's errors as (code, message), the way a form would show them."""
    return {
        field: [(error.code, error.message % (error.params or {})) for error in errors]
        for field, errors in raised.value.error_dict.items()
    }


class TestProviderCreate:
    def test_adds_the_provider_with_its_code_upper_case_and_a_register_id(self, actor):
        provider = add(actor)

        provider.refresh_from_db()
        assert provider.code == "4A2"
        assert is_register_id(provider.register_id)
        assert provider.register_id == next(
            register_id_candidates(operating_name="Abacus Belsize Primary School", onboarded_on=ONBOARDED_ON)
        )
        assert provider.register_id.startswith("RoTP-24")
        assert provider.register_id.endswith("08")

    def test_a_new_provider_is_active_this_academic_year_unless_told_otherwise(self, actor):
        current = add(actor)
        given = add(actor, code="1Q6", academic_years=[2024, AcademicYear(start_year=2025)])

        assert list(current.academic_years.values_list("start_year", flat=True)) == [AcademicYear.current_start_year()]
        assert sorted(given.academic_years.values_list("start_year", flat=True)) == [2024, 2025]

    def test_writes_one_history_row_by_the_actor_including_its_academic_years(self, actor):
        provider = add(actor, academic_years=[2024, 2025])

        [row] = provider.history.all()
        assert (row.history_type, row.history_user, row.history_change_reason) == ("+", actor, PROVIDER_ADDED)
        assert sorted(link.academicyear_id for link in row.academic_years.all()) == [2024, 2025]

    def test_refuses_missing_answers_with_the_forms_wording(self, actor):
        with pytest.raises(ValidationError) as raised:
            provider_create(
                actor=actor, operating_name=" ", provider_type="", accreditation_status="", code="", academic_years=[]
            )

        assert errors_of(raised) == {
            "operating_name": [("operating_name_required", "Enter operating name")],
            "accreditation_status": [("accreditation_status_required", "Select if the provider is accredited")],
            "provider_type": [("provider_type_required", "Select provider type")],
            "ukprn": [("ukprn_required", "Enter UK provider reference number (UKPRN)")],
            "code": [("code_required", "Enter provider code")],
            "academic_years": [("academic_years_required", "Select academic year")],
        }
        assert not Provider.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "field", "code"),
        [
            ({"ukprn": "1004233"}, "ukprn", "ukprn_invalid"),
            ({"urn": ""}, "urn", "urn_required"),
            ({"urn": "1337"}, "urn", "urn_invalid"),
            ({"code": "4A"}, "code", "code_invalid"),
            ({"provider_type": ProviderType.SCITT}, "provider_type", "provider_type_not_allowed"),
            (
                {"provider_type": ProviderType.SCHOOL, "accreditation_status": AccreditationStatus.ACCREDITED},
                "provider_type",
                "provider_type_not_allowed",
            ),
        ],
    )
    def test_refuses_answers_that_break_a_rule(self, actor, changes, field, code):
        with pytest.raises(ValidationError) as raised:
            add(actor, **changes)

        assert errors_of(raised) == {field: [(code, MESSAGES[code])]}

    def test_a_urn_is_optional_for_an_hei_but_checked_when_given(self, actor):
        hei = add(actor, provider_type=ProviderType.HEI, urn="", code="B20")
        assert hei.urn == ""

        with pytest.raises(ValidationError) as raised:
            add(actor, provider_type=ProviderType.HEI, urn="12", code="B25")
        assert errors_of(raised) == {"urn": [("urn_invalid", MESSAGES["urn_invalid"])]}

    def test_refuses_a_code_another_provider_has_ignoring_case(self, actor):
        ProviderFactory(code="4A2")

        with pytest.raises(ValidationError) as raised:
            add(actor, code="4a2")

        assert errors_of(raised) == {"code": [("code_taken", "Enter a unique provider code")]}

    def test_a_lost_race_for_the_code_is_the_same_error_not_a_server_error(self, actor):
        ProviderFactory(code="4A2")

        # The other provider commits its code after this one checked it was free.
        with (
            mock.patch("registry.services.providers.provider_code_taken", side_effect=[False, True]),
            mock.patch.object(Provider, "validate_constraints"),
            pytest.raises(ValidationError) as raised,
        ):
            add(actor, code="4A2")

        assert errors_of(raised) == {"code": [("code_taken", "Enter a unique provider code")]}
        assert Provider.objects.filter(code="4A2").count() == 1

    def test_a_taken_register_id_is_passed_over_for_the_next_attempt(self, actor):
        first, second = list(
            register_id_candidates(operating_name="Abacus Belsize Primary School", onboarded_on=ONBOARDED_ON)
        )[:2]
        ProviderFactory(register_id=first)

        assert add(actor).register_id == second

    def test_a_register_id_taken_by_a_concurrent_save_is_retried(self, actor):
        first, second = list(
            register_id_candidates(operating_name="Abacus Belsize Primary School", onboarded_on=ONBOARDED_ON)
        )[:2]
        ProviderFactory(register_id=first)
        real_filter = Provider.objects.filter

        def filter_missing_the_first_once(*args, **kwargs):
            # The first check does not see the other provider, which then takes the id first.
            if kwargs == {"register_id": first} and not getattr(filter_missing_the_first_once, "seen", False):
                filter_missing_the_first_once.seen = True
                return Provider.objects.none()
            return real_filter(*args, **kwargs)

        with (
            mock.patch.object(Provider.objects, "filter", side_effect=filter_missing_the_first_once),
            mock.patch.object(Provider, "validate_unique"),
        ):
            provider = add(actor)

        assert provider.register_id == second

    def test_ten_taken_register_ids_are_an_error(self, actor):
        for candidate in register_id_candidates(
            operating_name="Abacus Belsize Primary School", onboarded_on=ONBOARDED_ON
        ):
            ProviderFactory(register_id=candidate)

        with pytest.raises(RegisterIdsExhausted):
            add(actor)


class TestProviderUpdate:
    def test_changes_the_answers_given_with_one_history_row_by_the_actor(self, actor):
        provider = ProviderFactory(operating_name="Abacus", legal_name="")

        provider_update(actor=actor, provider=provider, changes={"operating_name": "Abacus Belsize", "code": "zz9"})

        provider.refresh_from_db()
        assert (provider.operating_name, provider.code) == ("Abacus Belsize", "ZZ9")
        latest = provider.history.first()
        assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
            "~",
            actor,
            PROVIDER_UPDATED,
        )
        assert provider.history.count() == 2

    def test_changing_nothing_writes_nothing(self, actor):
        provider = ProviderFactory(operating_name="Abacus")

        provider_update(actor=actor, provider=provider, changes={"operating_name": "Abacus"})

        assert provider.history.count() == 1

    def test_the_register_id_never_changes(self, actor):
        provider = ProviderFactory()
        register_id = provider.register_id

        provider_update(actor=actor, provider=provider, changes={"operating_name": "Another name"})
        with pytest.raises(ValueError, match="register_id"):
            provider_update(actor=actor, provider=provider, changes={"register_id": "RoTP-26V6KK09"})

        provider.refresh_from_db()
        assert provider.register_id == register_id

    @pytest.mark.parametrize("field", ["provider_type", "accreditation_status", "archived_at", "deleted_at"])
    def test_type_status_and_lifecycle_are_not_changed_here(self, actor, field):
        with pytest.raises(ValueError, match=field):
            provider_update(actor=actor, provider=ProviderFactory(), changes={field: None})

    def test_checks_only_the_answers_changed(self, actor):
        # Imported without a UKPRN: that gap does not stop a change to something else.
        provider = ProviderFactory(ukprn="", import_notes=[{"field": "ukprn", "note": "No UKPRN in providers.csv"}])

        provider_update(actor=actor, provider=provider, changes={"legal_name": "Oakthorpe Primary School"})

        provider.refresh_from_db()
        assert provider.legal_name == "Oakthorpe Primary School"
        assert provider.import_notes == [{"field": "ukprn", "note": "No UKPRN in providers.csv"}]

    def test_filling_a_gap_removes_its_import_note(self, actor):
        notes = [{"field": "ukprn", "note": "No UKPRN in providers.csv"}, {"field": "urn", "note": "No URN"}]
        provider = ProviderFactory(ukprn="", urn="", import_notes=notes)

        provider_update(actor=actor, provider=provider, changes={"ukprn": "10042333"})

        provider.refresh_from_db()
        assert provider.import_notes == [{"field": "urn", "note": "No URN"}]

    def test_refuses_answers_that_break_a_rule(self, actor):
        ProviderFactory(code="4A2")
        provider = SchoolProviderFactory()

        with pytest.raises(ValidationError) as raised:
            provider_update(actor=actor, provider=provider, changes={"code": "4a2", "urn": "", "ukprn": "1"})

        assert errors_of(raised) == {
            "ukprn": [("ukprn_invalid", MESSAGES["ukprn_invalid"])],
            "urn": [("urn_required", MESSAGES["urn_required"])],
            "code": [("code_taken", MESSAGES["code_taken"])],
        }

    def test_changing_academic_years_is_one_history_row_with_the_new_years(self, actor):
        provider = ProviderFactory(academic_years=[2023])

        provider_update(actor=actor, provider=provider, changes={"academic_years": [2024, 2025]})

        assert sorted(provider.academic_years.values_list("start_year", flat=True)) == [2024, 2025]
        assert provider.history.count() == 2
        latest = provider.history.first()
        assert latest.history_change_reason == PROVIDER_UPDATED
        assert sorted(link.academicyear_id for link in latest.academic_years.all()) == [2024, 2025]

    def test_an_archived_provider_cannot_be_changed(self, actor):
        provider = ArchivedProviderFactory(operating_name="Abacus")

        with pytest.raises(ProviderArchivedError) as raised:
            provider_update(actor=actor, provider=provider, changes={"operating_name": "Changed"})

        assert raised.value.code == "provider_archived"
        provider.refresh_from_db()
        assert provider.operating_name == "Abacus"

    def test_a_deleted_provider_is_not_found(self, actor):
        with pytest.raises(Provider.DoesNotExist):
            provider_update(actor=actor, provider=ProviderFactory(deleted=True), changes={"operating_name": "X"})


class TestArchiveRestoreDelete:
    def test_archiving_records_when_and_who(self, actor):
        provider = ProviderFactory()

        provider_archive(actor=actor, provider=provider)

        provider.refresh_from_db()
        assert provider.is_archived
        assert provider.archived_at <= timezone.now()
        latest = provider.history.first()
        assert (latest.history_user, latest.history_change_reason) == (actor, PROVIDER_ARCHIVED)

    def test_an_archived_provider_cannot_be_archived_again(self, actor):
        with pytest.raises(ProviderArchivedError):
            provider_archive(actor=actor, provider=ArchivedProviderFactory())

    def test_restoring_clears_the_archive(self, actor):
        provider = ArchivedProviderFactory()

        provider_restore(actor=actor, provider=provider)

        provider.refresh_from_db()
        assert not provider.is_archived
        assert provider.history.first().history_change_reason == PROVIDER_RESTORED
        provider_update(actor=actor, provider=provider, changes={"operating_name": "Changeable again"})

    def test_only_an_archived_provider_can_be_restored(self, actor):
        with pytest.raises(ProviderNotArchivedError) as raised:
            provider_restore(actor=actor, provider=ProviderFactory())

        assert raised.value.code == "provider_not_archived"

    def test_only_an_archived_provider_can_be_deleted(self, actor):
        provider = ProviderFactory()

        with pytest.raises(ProviderNotArchivedError):
            provider_delete(actor=actor, provider=provider)

        provider.refresh_from_db()
        assert not provider.is_deleted

    def test_deleting_is_soft_and_takes_the_providers_partnerships_with_it(self, actor):
        partnership = PartnershipFactory(training_partner=SchoolProviderFactory(archived=True))
        provider = partnership.training_partner

        provider_delete(actor=actor, provider=provider)

        provider.refresh_from_db()
        partnership.refresh_from_db()
        assert provider.is_deleted
        assert partnership.is_deleted
        assert not Provider.objects.kept().filter(pk=provider.pk).exists()
        assert provider.history.first().history_change_reason == PROVIDER_DELETED
        assert partnership.history.first().history_user == actor

    def test_a_deleted_providers_code_is_free_again(self, actor):
        provider_delete(actor=actor, provider=ArchivedProviderFactory(code="4A2"))

        assert add(actor, code="4A2").code == "4A2"

    def test_a_deleted_provider_cannot_be_restored_or_deleted_again(self, actor):
        provider = ArchivedProviderFactory()
        provider_delete(actor=actor, provider=provider)

        with pytest.raises(Provider.DoesNotExist):
            provider_restore(actor=actor, provider=provider)
        with pytest.raises(Provider.DoesNotExist):
            provider_delete(actor=actor, provider=provider)


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
