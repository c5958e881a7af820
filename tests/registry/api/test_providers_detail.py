"""GET /api/v1/providers/{id}: one provider with everything about it, its cost, and its ETag."""

import datetime

import pytest
from django.utils import timezone

from registry.api.page_cache import pages
from registry.models import Provider
from registry.models.provider import AccreditationStatus, ProviderType
from tests.registry.api.conftest import (
    ApiAccreditationFactory,
    ApiAddressFactory,
    ApiContactFactory,
    ApiPartnershipFactory,
    ApiProviderFactory,
    academic_year,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/providers"


@pytest.fixture
def full_provider(provider):
    provider.academic_years.add(academic_year(2025), academic_year(2024))
    provider.onboarded_on = datetime.date(2024, 5, 1)
    provider.save()
    ApiAccreditationFactory(provider=provider, number="1234", starts_on=datetime.date(2024, 9, 1))
    ApiAccreditationFactory(provider=provider, deleted_at=timezone.now())
    ApiAddressFactory(provider=provider, latitude="53.8008000", longitude="-1.5491000", county="")
    ApiContactFactory(provider=provider, email="mary@example.com", telephone="")
    ApiContactFactory(provider=provider, deleted_at=timezone.now())
    as_partner = ApiPartnershipFactory(training_partner=provider)
    as_partner.academic_years.add(academic_year(2025))
    ApiPartnershipFactory(training_partner=provider, deleted_at=timezone.now())
    ApiPartnershipFactory(training_partner=provider, accredited_provider=ApiProviderFactory(deleted_at=timezone.now()))
    return provider


def test_a_provider_with_everything_about_it(api, full_provider):
    data = api(f"{LIST}/{full_provider.pk}").json()["data"]
    assert data["id"] == str(full_provider.pk)
    assert data["onboarded_on"] == "2024-05-01"
    assert data["academic_years"] == [2024, 2025]
    assert [(a["number"], a["starts_on"], a["ends_on"]) for a in data["accreditations"]] == [
        ("1234", "2024-09-01", None)
    ]
    (address,) = data["addresses"]
    assert (address["town_or_city"], address["county"], address["latitude"], address["longitude"]) == (
        "Leeds",
        None,
        53.8008,
        -1.5491,
    )
    (contact,) = data["contacts"]
    assert (contact["email"], contact["telephone"]) == ("mary@example.com", None)
    (partnership,) = data["partnerships"]
    assert partnership["role"] == "training_partner"
    assert partnership["academic_years"] == [2025]
    assert partnership["partner"]["operating_name"].startswith("Provider")
    assert set(partnership["partner"]) == {"id", "rotp_id", "operating_name", "code"}


def test_a_provider_seen_from_its_accredited_side(api):
    accredited = ApiProviderFactory(
        provider_type=ProviderType.SCITT, accreditation_status=AccreditationStatus.ACCREDITED
    )
    partner = ApiProviderFactory(operating_name="Elm Primary")
    ApiPartnershipFactory(accredited_provider=accredited, training_partner=partner)
    (partnership,) = api(f"{LIST}/{accredited.pk}").json()["data"]["partnerships"]
    assert partnership["role"] == "accredited_provider"
    assert partnership["partner"]["id"] == str(partner.pk)


def test_an_archived_provider_can_be_got_but_a_deleted_one_cannot(api):
    archived = ApiProviderFactory(archived_at=timezone.now())
    deleted = ApiProviderFactory(deleted_at=timezone.now())
    assert api(f"{LIST}/{archived.pk}").json()["data"]["archived_at"] is not None
    not_found = api(f"{LIST}/{deleted.pk}", status=404)
    assert not_found.json() == {"errors": [{"error": "NotFound", "message": "Not found"}]}
    assert api("/api/v1/providers/3fa85f64-5717-4562-b3fc-2c963f66afa6", status=404).content == not_found.content
    assert api("/api/v1/providers/not-a-uuid", status=404).content == not_found.content


def test_a_provider_costs_a_few_queries_however_much_it_has(api, full_provider, django_assert_max_num_queries):
    url = f"{LIST}/{full_provider.pk}"
    api(url)
    for _ in range(3):
        ApiPartnershipFactory(training_partner=full_provider).academic_years.add(academic_year(2026))
        ApiContactFactory(provider=full_provider)
    # The fingerprint, the provider, its years, accreditations, addresses, contacts, partnerships and
    # their years.
    with django_assert_max_num_queries(8):
        api(url)


def test_an_unchanged_provider_is_not_sent_again(api, full_provider, django_assert_num_queries):
    url = f"{LIST}/{full_provider.pk}"
    first = api(url)
    etag = first["ETag"]
    with django_assert_num_queries(0):
        response = api(url, status=304, if_none_match=etag)
    assert response.content == b""
    assert response["ETag"] == etag
    # As another process would answer, one that has not kept the document (registry.api.page_cache).
    pages.clear()
    assert api(url, status=304, if_none_match=f'"other", {etag}')["ETag"] == etag
    assert api(url)["ETag"] == etag


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: Provider.objects.get(pk=p.pk).save(), id="provider saved"),
        pytest.param(lambda p: ApiAccreditationFactory(provider=p), id="accreditation added"),
        pytest.param(lambda p: _save(_kept(p.accreditations), ends_on=datetime.date(2030, 1, 1)), id="accreditation"),
        pytest.param(lambda p: _save(_kept(p.accreditations), deleted_at=timezone.now()), id="accreditation deleted"),
        pytest.param(lambda p: _save(_kept(p.addresses), postcode="LS2 2BB"), id="address changed"),
        pytest.param(lambda p: ApiContactFactory(provider=p), id="contact added"),
        pytest.param(lambda p: _save(_kept(p.contacts), first_name="Ann"), id="contact changed"),
        pytest.param(lambda p: p.academic_years.add(academic_year(2026)), id="year added"),
        pytest.param(lambda p: p.academic_years.remove(academic_year(2024)), id="year removed"),
        pytest.param(
            lambda p: ApiPartnershipFactory(accredited_provider=_accredited(), training_partner=p), id="pship"
        ),
        pytest.param(lambda p: _partnership_of(p).academic_years.add(academic_year(2027)), id="partnership year"),
        pytest.param(lambda p: _save(_partnership_of(p).accredited_provider, operating_name="New"), id="partner"),
        pytest.param(lambda p: _save(_partnership_of(p), deleted_at=timezone.now()), id="partnership deleted"),
    ],
)
def test_a_provider_has_a_new_etag_once_anything_it_shows_changes(api, full_provider, change):
    url = f"{LIST}/{full_provider.pk}"
    before = api(url)
    change(full_provider)
    after = api(url, if_none_match=before["ETag"])
    assert after["ETag"] != before["ETag"]


def _save(record, **changes):
    for field, value in changes.items():
        setattr(record, field, value)
    record.save()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: _swap_year(p), id="year taken away and given back"),
        pytest.param(lambda p: _save(_deleted(p.accreditations), number="5999"), id="deleted accreditation"),
        pytest.param(lambda p: _save(_deleted(p.contacts), first_name="Nobody"), id="deleted contact"),
    ],
)
def test_a_provider_keeps_its_etag_through_changes_it_does_not_show(api, full_provider, change):
    url = f"{LIST}/{full_provider.pk}"
    before = api(url)
    change(full_provider)
    assert api(url, status=304, if_none_match=before["ETag"])["ETag"] == before["ETag"]


def _kept(records):
    return records.filter(deleted_at__isnull=True).first()


def _deleted(records):
    return records.filter(deleted_at__isnull=False).first()


def _swap_year(provider):
    provider.academic_years.remove(academic_year(2025))
    provider.academic_years.add(academic_year(2025))


def _accredited():
    return ApiProviderFactory(provider_type=ProviderType.SCITT, accreditation_status=AccreditationStatus.ACCREDITED)


def _partnership_of(provider):
    return provider.partnerships_as_training_partner.filter(deleted_at__isnull=True).first()


def test_a_provider_takes_no_query_parameters(api, provider):
    errors = api(f"{LIST}/{provider.pk}", {"include": "everything"}, status=400).json()["errors"]
    assert errors[0]["field"] == "include"
