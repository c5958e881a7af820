"""GET /api/v1/providers: what each provider in the list says, which are in it, the filters, and the
parameters it refuses.
"""

import datetime

import pytest
from django.utils import timezone

from registry.models import Provider
from registry.models.provider import AccreditationStatus, ProviderType
from tests.registry.api.conftest import ApiProviderFactory, academic_year, ids_of, providers_bulk

pytestmark = pytest.mark.django_db

LIST = "/api/v1/providers"


# ---------------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------------


def test_a_provider_in_the_list(api, provider):
    response = api(LIST)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "data": [
            {
                "id": str(provider.pk),
                "rotp_id": provider.register_id,
                "operating_name": "Oakwood Teaching School",
                "legal_name": "Oakwood Trust",
                "provider_type": "hei",
                "accreditation_status": "unaccredited",
                "ukprn": provider.ukprn,
                "urn": "123456",
                "code": provider.code,
                "archived_at": None,
                "updated_at": provider.updated_at.isoformat().replace("+00:00", "Z"),
            }
        ],
        "links": {"next": None},
    }


def test_blank_answers_are_null(api):
    ApiProviderFactory(legal_name="", ukprn="", urn="")
    row = api(LIST).json()["data"][0]
    assert (row["legal_name"], row["ukprn"], row["urn"]) == (None, None, None)


def test_archived_providers_are_left_out_unless_asked_for_and_deleted_ones_always(api):
    kept = ApiProviderFactory()
    archived = ApiProviderFactory(archived_at=timezone.now())
    ApiProviderFactory(deleted_at=timezone.now())
    assert ids_of(api(LIST)) == [str(kept.pk)]
    assert set(ids_of(api(LIST, {"include_archived": "true"}))) == {str(kept.pk), str(archived.pk)}
    assert ids_of(api(LIST, {"include_archived": "false"})) == [str(kept.pk)]


def test_the_list_is_in_the_order_providers_changed(api):
    made = providers_bulk(5)
    Provider.objects.filter(pk=made[1].pk).update(updated_at=timezone.now())
    assert ids_of(api(LIST)) == [str(made[index].pk) for index in (0, 2, 3, 4, 1)]


def test_changed_since(api):
    made = providers_bulk(4)
    since = made[2].updated_at
    assert ids_of(api(LIST, {"changed_since": since.isoformat()})) == [str(made[2].pk), str(made[3].pk)]
    offset = since.astimezone(datetime.timezone(datetime.timedelta(hours=1))).isoformat()
    assert ids_of(api(LIST, {"changed_since": offset})) == [str(made[2].pk), str(made[3].pk)]
    assert ids_of(api(LIST, {"changed_since": "9999-12-31T23:59:59-23:00"})) == []
    assert len(ids_of(api(LIST, {"changed_since": "0001-01-01T00:00:00+23:00"}))) == 4


def test_academic_year(api):
    active, other = ApiProviderFactory(), ApiProviderFactory()
    active.academic_years.add(academic_year(2025), academic_year(2026))
    other.academic_years.add(academic_year(2024))
    assert ids_of(api(LIST, {"academic_year": "2025"})) == [str(active.pk)]
    assert ids_of(api(LIST, {"academic_year": "2023"})) == []


def test_provider_type_and_accreditation_status(api):
    scitt = ApiProviderFactory(provider_type=ProviderType.SCITT, accreditation_status=AccreditationStatus.ACCREDITED)
    school = ApiProviderFactory(provider_type=ProviderType.SCHOOL)
    assert ids_of(api(LIST, {"provider_type": "scitt"})) == [str(scitt.pk)]
    assert ids_of(api(LIST, {"accreditation_status": "unaccredited"})) == [str(school.pk)]
    assert ids_of(api(LIST, {"provider_type": "scitt", "accreditation_status": "unaccredited"})) == []


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("oakwood", True),
        ("TEACHING", True),
        ("Oakwood Trust", True),
        ("X9Z", True),
        ("x9z", True),
        ("10009999", True),
        ("654321", True),
        ("RoTP-TEST0001", True),
        ("rotp-test0001", True),
        ("1000999", True),
        ("65432", True),
        ("10009998", False),
        ("654322", False),
        ("Elmwood", False),
        ("%", False),
        ("_", False),
    ],
)
def test_search_by_name_code_ukprn_urn_or_rotp_id(api, q, found):
    provider = ApiProviderFactory(
        operating_name="Oakwood Teaching School",
        legal_name="Oakwood Trust",
        code="X9Z",
        ukprn="10009999",
        urn="654321",
        register_id="RoTP-TEST0001",
    )
    ApiProviderFactory(operating_name="Another")
    assert ids_of(api(LIST, {"q": q})) == ([str(provider.pk)] if found else [])


# ---------------------------------------------------------------------------------------------------
# Parameters that are not valid
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
        ({"page_size": "1.5"}, "page_size"),
        ({"changed_since": "yesterday"}, "changed_since"),
        ({"changed_since": "2025-08-01"}, "changed_since"),
        ({"changed_since": "2025-08-01T00:00:00"}, "changed_since"),
        ({"academic_year": "25"}, "academic_year"),
        ({"academic_year": "1999"}, "academic_year"),
        ({"provider_type": "university"}, "provider_type"),
        ({"accreditation_status": "yes"}, "accreditation_status"),
        ({"include_archived": "yes"}, "include_archived"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"cursor": "abc"}, "cursor"),
        ({"cursor": "1.zz"}, "cursor"),
        ({"sort": "name"}, "sort"),
        ({"token": "rotp_dev_x"}, "token"),
    ],
)
def test_a_parameter_that_is_not_valid_is_refused_with_its_field(api, params, field):
    errors = api(LIST, params, status=400).json()["errors"]
    assert [(error["error"], error["field"]) for error in errors] == [("BadRequest", field)]
    assert errors[0]["message"]


def test_every_fault_is_reported_at_once(api):
    errors = api(LIST, {"page_size": "0", "provider_type": "x", "colour": "red"}, status=400).json()["errors"]
    assert sorted(error["field"] for error in errors) == ["colour", "page_size", "provider_type"]


def test_a_parameter_given_twice_is_refused(api):
    errors = api(f"{LIST}?page_size=10&page_size=20", status=400).json()["errors"]
    assert errors == [{"error": "BadRequest", "message": "Give ‘page_size’ once", "field": "page_size"}]
