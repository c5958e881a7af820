"""`provider_onboard`: a provider added with its accreditation, address and academic years, all in
one transaction and each in history, or nothing at all."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry.formats import format_govuk_date
from registry.forms import AddressForm, ProviderForm
from registry.models import AcademicYear, Accreditation, Address, Provider
from registry.services.academic_years import academic_years_active_since
from registry.services.accreditations import ACCREDITATION_ADDED
from registry.services.addresses import ADDRESS_ADDED
from registry.services.provider_onboarding import provider_onboard
from registry.services.providers import PROVIDER_ADDED
from registry.services.register_ids import register_id_candidates
from tests.factories import AuditorFactory, SupportViewerFactory

pytestmark = pytest.mark.django_db

ONBOARDED_ON = datetime.date(2025, 9, 3)
FIRST_ACTIVE_ON = datetime.date(2023, 9, 4)
PROVIDER = {
    "operating_name": "Ash Tree SCITT",
    "legal_name": "",
    "provider_type": "scitt",
    "accreditation_status": "accredited",
    "ukprn": "10012345",
    "urn": "123456",
    "code": "a1t",
    "onboarded_on": ONBOARDED_ON,
    "first_active_on": FIRST_ACTIVE_ON,
}
ACCREDITATION = {"number": "5123", "starts_on": datetime.date(2023, 9, 1), "ends_on": None}
ADDRESS = {
    "address_line_1": "1 Tile Kiln Lane",
    "address_line_2": "",
    "address_line_3": "",
    "town_or_city": "London",
    "county": "",
    "postcode": "n13 6by",
}


def onboard(actor, *, provider=None, accreditation=ACCREDITATION, address=ADDRESS):
    return provider_onboard(
        actor=actor, provider={**PROVIDER, **(provider or {})}, accreditation=accreditation, address=address
    )


def test_adds_the_provider_with_its_accreditation_address_and_academic_years(actor):
    provider = onboard(actor)

    assert provider.is_accredited
    assert (provider.onboarded_on, provider.first_active_on) == (ONBOARDED_ON, FIRST_ACTIVE_ON)
    assert provider.accreditations.get().number == "5123"
    address = provider.addresses.get()
    assert (address.address_line_1, address.town_or_city, address.postcode) == ("1 Tile Kiln Lane", "London", "N13 6BY")
    years = sorted(provider.academic_years.values_list("start_year", flat=True))
    assert years[0] == 2023
    assert (
        years
        == academic_years_active_since(FIRST_ACTIVE_ON)
        == list(range(2023, AcademicYear.current_start_year() + 1))
    )


def test_its_rotp_id_is_dated_from_its_onboarding_date(actor):
    provider = onboard(actor)

    assert provider.register_id == next(
        register_id_candidates(operating_name="Ash Tree SCITT", onboarded_on=ONBOARDED_ON)
    )
    assert provider.register_id.startswith("RoTP-25")
    assert provider.register_id.endswith("09")


def test_each_part_is_in_history_by_the_actor(actor):
    provider = onboard(actor)

    [added] = provider.history.filter(history_type="+")
    assert (added.history_user, added.history_change_reason) == (actor, PROVIDER_ADDED)
    assert sorted(link.academicyear_id for link in added.academic_years.all()) == list(
        range(2023, AcademicYear.current_start_year() + 1)
    )
    [accreditation] = provider.accreditations.get().history.all()
    [address] = provider.addresses.get().history.all()
    assert (accreditation.history_user, accreditation.history_change_reason) == (actor, ACCREDITATION_ADDED)
    assert (address.history_user, address.history_change_reason) == (actor, ADDRESS_ADDED)


def test_a_provider_not_accredited_is_added_without_an_accreditation(actor):
    provider = onboard(
        actor, provider={"provider_type": "school", "accreditation_status": "unaccredited"}, accreditation=None
    )

    assert not provider.is_accredited
    assert not provider.accreditations.exists()
    assert provider.addresses.count() == 1


def _nothing_saved():
    assert not Provider.objects.exists()
    assert not Accreditation.objects.exists()
    assert not Address.objects.exists()
    assert not Provider.history.exists()
    assert not Address.history.exists()


def test_a_refused_address_adds_nothing_at_all(actor):
    with pytest.raises(ValidationError) as raised:
        onboard(actor, address={**ADDRESS, "postcode": "not a postcode"})

    assert raised.value.message_dict == {"postcode": [AddressForm.error_messages["postcode_invalid"]]}
    _nothing_saved()


def test_a_refused_accreditation_adds_nothing_at_all(actor):
    with pytest.raises(ValidationError):
        onboard(actor, accreditation={**ACCREDITATION, "number": "1234"})  # a SCITT's number starts with 5

    _nothing_saved()


def test_a_date_onboarded_in_the_future_is_refused_in_the_forms_words(actor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        onboard(actor, provider={"onboarded_on": tomorrow})

    assert raised.value.message_dict == {"onboarded_on": [ProviderForm.error_messages["onboarded_on_in_future"]]}
    _nothing_saved()


def test_a_provider_may_first_become_active_up_to_the_end_of_next_academic_year(actor):
    next_year = AcademicYear(start_year=AcademicYear.current_start_year() + 1)

    provider = onboard(actor, provider={"first_active_on": next_year.ends_on})
    assert list(provider.academic_years.values_list("start_year", flat=True)) == [next_year.start_year]

    with pytest.raises(ValidationError) as raised:
        onboard(actor, provider={"code": "B2C", "first_active_on": next_year.ends_on + datetime.timedelta(days=1)})
    assert raised.value.message_dict == {
        "first_active_on": [f"Date first active must be on or before {format_govuk_date(next_year.ends_on)}"]
    }


def test_a_provider_may_have_been_active_before_it_onboarded(actor):
    provider = onboard(actor, provider={"first_active_on": datetime.date(2019, 9, 2)})

    assert provider.first_active_on < provider.onboarded_on


@pytest.mark.parametrize("make_actor", [SupportViewerFactory, AuditorFactory])
def test_refuses_anyone_who_may_not_add_providers(make_actor):
    with pytest.raises(PermissionDenied):
        onboard(make_actor())

    _nothing_saved()
