import datetime

import pytest
from django.core.exceptions import ValidationError

from registry.forms import PartnershipForm
from registry.models import AcademicYear
from registry.services.partnerships import (
    PARTNERSHIP_ADDED,
    PARTNERSHIP_DELETED,
    PARTNERSHIP_UPDATED,
    partnership_create,
    partnership_delete,
    partnership_update,
)
from registry.services.providers import ProviderArchivedError
from tests.factories import AccreditedProviderFactory, PartnershipFactory, SchoolProviderFactory

pytestmark = pytest.mark.django_db

MESSAGES = PartnershipForm.error_messages
START = datetime.date(2024, 8, 1)


def add(actor, **changes):
    answers = {
        "accredited_provider": AccreditedProviderFactory(),
        "training_partner": SchoolProviderFactory(),
        "starts_on": START,
        "academic_years": [2024, 2025],
        **changes,
    }
    return partnership_create(actor=actor, **answers)


def test_adds_a_partnership_with_one_history_row_holding_its_academic_years(actor):
    partnership = add(actor)

    assert sorted(partnership.academic_years.values_list("start_year", flat=True)) == [2024, 2025]
    [row] = partnership.history.all()
    assert (row.history_type, row.history_user, row.history_change_reason) == ("+", actor, PARTNERSHIP_ADDED)
    assert sorted(link.academicyear_id for link in row.academic_years.all()) == [2024, 2025]


def test_adds_the_academic_years_the_register_does_not_have_yet(actor):
    add(actor, academic_years=[2030], starts_on=datetime.date(2030, 8, 1))

    assert AcademicYear.objects.filter(start_year=2030).exists()


def test_the_accredited_provider_must_be_accredited_and_the_training_partner_not(actor):
    school, other_school = SchoolProviderFactory(), SchoolProviderFactory()
    accredited, other_accredited = AccreditedProviderFactory(), AccreditedProviderFactory()

    with pytest.raises(ValidationError) as raised:
        add(actor, accredited_provider=school, training_partner=other_school)
    assert raised.value.message_dict == {"accredited_provider": [MESSAGES["accredited_provider_not_accredited"]]}

    with pytest.raises(ValidationError) as raised:
        add(actor, accredited_provider=accredited, training_partner=other_accredited)
    assert raised.value.message_dict == {"training_partner": [MESSAGES["training_partner_accredited"]]}


def test_needs_a_start_date_and_academic_years_within_its_dates(actor):
    with pytest.raises(ValidationError) as raised:
        add(actor, starts_on=None, academic_years=[])
    assert raised.value.message_dict == {
        "starts_on": ["Enter date the partnership started"],
        "academic_years": ["Select academic year"],
    }

    with pytest.raises(ValidationError) as raised:
        add(actor, ends_on=datetime.date(2025, 7, 31), academic_years=[2024, 2025])
    assert raised.value.message_dict == {"academic_years": [MESSAGES["academic_years_outside_dates"]]}

    with pytest.raises(ValidationError) as raised:
        add(actor, ends_on=datetime.date(2024, 7, 31))
    assert raised.value.message_dict["ends_on"] == [
        "The partnership end date must be the same as or after 1 August 2024 when the partnership starts"
    ]


def test_changing_dates_and_years_is_one_history_row(actor):
    partnership = PartnershipFactory(academic_years=[2024, 2025])

    partnership_update(
        actor=actor,
        partnership=partnership,
        changes={"ends_on": datetime.date(2025, 7, 31), "academic_years": [2024]},
    )

    partnership.refresh_from_db()
    assert partnership.ends_on == datetime.date(2025, 7, 31)
    assert list(partnership.academic_years.values_list("start_year", flat=True)) == [2024]
    assert partnership.history.count() == 2
    latest = partnership.history.first()
    assert (latest.history_user, latest.history_change_reason) == (actor, PARTNERSHIP_UPDATED)
    assert [link.academicyear_id for link in latest.academic_years.all()] == [2024]


def test_changing_the_end_date_checks_the_years_already_chosen(actor):
    partnership = PartnershipFactory(academic_years=[2024, 2025])

    with pytest.raises(ValidationError) as raised:
        partnership_update(actor=actor, partnership=partnership, changes={"ends_on": datetime.date(2025, 7, 31)})

    assert raised.value.message_dict == {"academic_years": [MESSAGES["academic_years_outside_dates"]]}


def test_the_partners_never_change(actor):
    with pytest.raises(ValueError, match="training_partner"):
        partnership_update(
            actor=actor, partnership=PartnershipFactory(), changes={"training_partner": SchoolProviderFactory()}
        )


def test_a_partnership_between_providers_that_are_no_longer_on_their_sides_can_still_change(actor):
    partnership = PartnershipFactory(accredited_provider=AccreditedProviderFactory(), academic_years=[2024])
    provider = partnership.accredited_provider
    type(provider).objects.filter(pk=provider.pk).update(accreditation_status="unaccredited", provider_type="school")

    partnership_update(actor=actor, partnership=partnership, changes={"academic_years": [2024, 2025]})


def test_deleting_is_soft(actor):
    partnership = PartnershipFactory()

    partnership_delete(actor=actor, partnership=partnership)

    partnership.refresh_from_db()
    assert partnership.is_deleted
    assert partnership.history.first().history_change_reason == PARTNERSHIP_DELETED


def test_nothing_changes_when_either_provider_is_archived(actor):
    archived_school = SchoolProviderFactory(archived=True)
    partnership = PartnershipFactory(training_partner=SchoolProviderFactory(archived=True))

    with pytest.raises(ProviderArchivedError):
        add(actor, training_partner=archived_school)
    with pytest.raises(ProviderArchivedError):
        partnership_update(actor=actor, partnership=partnership, changes={"ends_on": datetime.date(2030, 7, 31)})
    with pytest.raises(ProviderArchivedError):
        partnership_delete(actor=actor, partnership=partnership)
