import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.forms import AccreditationForm
from registry.services.accreditations import (
    ACCREDITATION_ADDED,
    ACCREDITATION_DELETED,
    ACCREDITATION_UPDATED,
    accreditation_change_outcome,
    accreditation_create,
    accreditation_delete,
    accreditation_update,
)
from registry.services.providers import ACCREDITATION_STATUS_UPDATED, ProviderArchivedError
from tests.factories import (
    AccreditationFactory,
    AccreditedProviderFactory,
    ArchivedProviderFactory,
    HeiProviderFactory,
    SchoolProviderFactory,
)

pytestmark = pytest.mark.django_db

MESSAGES = AccreditationForm.error_messages
A_YEAR_AGO = timezone.localdate() - datetime.timedelta(days=365)


def status_of(provider):
    provider.refresh_from_db()
    return provider.accreditation_status, provider.provider_type


def test_adding_a_current_accreditation_to_a_school_makes_it_an_accredited_scitt(actor):
    school = SchoolProviderFactory()

    accreditation = accreditation_create(actor=actor, provider=school, number=" 5606 ", starts_on=A_YEAR_AGO)

    assert accreditation.number == "5606"
    assert status_of(school) == ("accredited", "scitt")
    [row] = accreditation.history.all()
    assert (row.history_type, row.history_user, row.history_change_reason) == ("+", actor, ACCREDITATION_ADDED)
    assert school.history.first().history_change_reason == ACCREDITATION_STATUS_UPDATED
    assert school.history.first().history_user == actor


def test_an_accreditation_starting_later_does_not_accredit_yet(actor):
    school = SchoolProviderFactory()

    accreditation_create(
        actor=actor, provider=school, number="5606", starts_on=timezone.localdate() + datetime.timedelta(days=1)
    )

    assert status_of(school) == ("unaccredited", "school")


@pytest.mark.parametrize(
    ("factory", "number", "code"),
    [
        (HeiProviderFactory, "5606", "number_invalid_hei"),
        (SchoolProviderFactory, "1502", "number_invalid_school"),
        (SchoolProviderFactory, "", "number_required"),
    ],
)
def test_the_number_must_fit_the_provider_type(actor, factory, number, code):
    with pytest.raises(ValidationError) as raised:
        accreditation_create(actor=actor, provider=factory(), number=number, starts_on=A_YEAR_AGO)

    assert raised.value.message_dict == {"number": [MESSAGES[code]]}


def test_the_start_date_is_needed_and_the_end_cannot_be_before_it(actor):
    with pytest.raises(ValidationError) as raised:
        accreditation_create(actor=actor, provider=SchoolProviderFactory(), number="5606", starts_on=None)
    assert raised.value.message_dict == {"starts_on": ["Enter accreditation start date"]}

    with pytest.raises(ValidationError) as raised:
        accreditation_create(
            actor=actor,
            provider=SchoolProviderFactory(),
            number="5606",
            starts_on=datetime.date(2024, 9, 1),
            ends_on=datetime.date(2024, 8, 31),
        )
    assert raised.value.message_dict == {
        "ends_on": [
            "The accreditation end date must be the same as or after 1 September 2024 when the accreditation starts"
        ]
    }


def test_ending_the_only_accreditation_makes_a_scitt_a_school_again(actor):
    scitt = AccreditedProviderFactory(accreditation=False)
    accreditation = AccreditationFactory(provider=scitt, starts_on=A_YEAR_AGO)

    accreditation_update(
        actor=actor, accreditation=accreditation, changes={"ends_on": timezone.localdate() - datetime.timedelta(days=1)}
    )

    assert status_of(scitt) == ("unaccredited", "school")
    assert accreditation.history.first().history_change_reason == ACCREDITATION_UPDATED


def test_changing_the_end_date_is_checked_against_the_start_date(actor):
    accreditation = AccreditationFactory(starts_on=datetime.date(2024, 9, 1))

    with pytest.raises(ValidationError) as raised:
        accreditation_update(actor=actor, accreditation=accreditation, changes={"ends_on": datetime.date(2024, 8, 1)})

    assert "1 September 2024" in raised.value.message_dict["ends_on"][0]


def test_changing_nothing_writes_nothing(actor):
    accreditation = AccreditationFactory(number="5606")

    accreditation_update(actor=actor, accreditation=accreditation, changes={"number": "5606"})

    assert accreditation.history.count() == 1


def test_deleting_the_only_current_accreditation_makes_a_scitt_a_school(actor):
    scitt = AccreditedProviderFactory(accreditation=False)
    accreditation = AccreditationFactory(provider=scitt, starts_on=A_YEAR_AGO)

    accreditation_delete(actor=actor, accreditation=accreditation)

    accreditation.refresh_from_db()
    assert accreditation.is_deleted
    assert accreditation.history.first().history_change_reason == ACCREDITATION_DELETED
    assert status_of(scitt) == ("unaccredited", "school")


def test_deleting_one_of_two_current_accreditations_keeps_the_provider_accredited(actor):
    scitt = AccreditedProviderFactory(accreditation=False)
    AccreditationFactory(provider=scitt, starts_on=A_YEAR_AGO)
    second = AccreditationFactory(provider=scitt, starts_on=A_YEAR_AGO)

    accreditation_delete(actor=actor, accreditation=second)

    assert status_of(scitt) == ("accredited", "scitt")


def test_an_archived_providers_accreditations_cannot_change(actor):
    archived = ArchivedProviderFactory()
    accreditation = AccreditationFactory(provider=AccreditedProviderFactory(accreditation=False, archived=True))

    with pytest.raises(ProviderArchivedError):
        accreditation_create(actor=actor, provider=archived, number="5606", starts_on=A_YEAR_AGO)
    with pytest.raises(ProviderArchivedError):
        accreditation_update(actor=actor, accreditation=accreditation, changes={"number": "5607"})
    with pytest.raises(ProviderArchivedError):
        accreditation_delete(actor=actor, accreditation=accreditation)


class TestAccreditationChangeOutcome:
    """What a change would do to the provider's status and type: what the sync then does, read without writing."""

    def test_adding_a_current_accreditation_to_a_school_makes_it_an_accredited_scitt(self, administrator):
        school = SchoolProviderFactory()
        adding = {"starts_on": A_YEAR_AGO, "ends_on": None}

        outcome = accreditation_change_outcome(provider=school, adding=adding)

        assert outcome == ("accredited", "scitt")
        assert school.history.count() == 1  # nothing written
        accreditation_create(actor=administrator, provider=school, number="5123", **adding)
        school.refresh_from_db()
        assert (school.accreditation_status, school.provider_type) == outcome

    def test_one_that_starts_later_changes_nothing_yet(self):
        school = SchoolProviderFactory()
        later = timezone.localdate() + datetime.timedelta(days=30)

        assert accreditation_change_outcome(provider=school, adding={"starts_on": later}) == ("unaccredited", "school")

    def test_ending_or_deleting_the_only_current_one_makes_a_scitt_a_school(self):
        scitt = AccreditedProviderFactory(accreditation=False)
        accreditation = AccreditationFactory(provider=scitt, starts_on=A_YEAR_AGO)
        yesterday = timezone.localdate() - datetime.timedelta(days=1)

        ended = accreditation_change_outcome(provider=scitt, changing=(accreditation, {"ends_on": yesterday}))
        deleted = accreditation_change_outcome(provider=scitt, deleting=accreditation)

        assert ended == deleted == ("unaccredited", "school")

    def test_another_current_one_keeps_it_accredited(self):
        hei = HeiProviderFactory(accreditation_status="accredited")
        first = AccreditationFactory(provider=hei, number="1234", starts_on=A_YEAR_AGO)
        AccreditationFactory(provider=hei, number="1235", starts_on=A_YEAR_AGO)

        assert accreditation_change_outcome(provider=hei, deleting=first) == ("accredited", "hei")
