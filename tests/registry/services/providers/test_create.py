"""`provider_create`: a provider added with its code and a register id, or refused with the form's words."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from registry.models import AcademicYear, Provider
from registry.models.provider import AccreditationStatus, ProviderType
from registry.services.providers import PROVIDER_ADDED, provider_create
from registry.services.register_ids import RegisterIdsExhausted, is_register_id, register_id_candidates
from tests.factories import ProviderFactory
from tests.registry.services.providers.conftest import MESSAGES, ONBOARDED_ON, add, errors_of

pytestmark = pytest.mark.django_db


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
