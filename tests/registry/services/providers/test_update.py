"""`provider_update`: only the answers given are checked and changed, with one history row."""

import pytest
from django.core.exceptions import ValidationError

from registry.models import Provider
from registry.services.providers import PROVIDER_UPDATED, ProviderArchivedError, provider_update
from tests.factories import ArchivedProviderFactory, ProviderFactory, SchoolProviderFactory
from tests.registry.services.providers.conftest import MESSAGES, errors_of

pytestmark = pytest.mark.django_db


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
