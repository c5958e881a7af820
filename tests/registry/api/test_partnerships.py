import datetime

import pytest
from django.utils import timezone

from registry.models import Partnership
from tests.accounts.api_clients.fixtures import bearer
from tests.registry.api.conftest import ApiPartnershipFactory, ApiProviderFactory, academic_year

pytestmark = pytest.mark.django_db

LIST = "/api/v1/partnerships"


@pytest.fixture
def api(client, token):
    def get(url, params=None, *, status=200, **headers):
        response = client.get(url, params or {}, headers={**bearer(token), **headers})
        assert response.status_code == status, response.content
        return response

    return get


def _ids(response) -> list[str]:
    return [row["id"] for row in response.json()["data"]]


def test_a_partnership_in_the_list(api):
    partnership = ApiPartnershipFactory(ends_on=datetime.date(2027, 7, 31))
    partnership.academic_years.add(academic_year(2026), academic_year(2025))
    (row,) = api(LIST).json()["data"]
    assert row["id"] == str(partnership.pk)
    assert row["accredited_provider"] == {
        "id": str(partnership.accredited_provider.pk),
        "rotp_id": partnership.accredited_provider.register_id,
        "operating_name": partnership.accredited_provider.operating_name,
        "code": partnership.accredited_provider.code,
    }
    assert row["training_partner"]["id"] == str(partnership.training_partner.pk)
    assert (row["starts_on"], row["ends_on"], row["academic_years"]) == ("2025-08-01", "2027-07-31", [2025, 2026])


def test_deleted_partnerships_and_those_of_deleted_providers_are_left_out(api):
    kept = ApiPartnershipFactory()
    ApiPartnershipFactory(deleted_at=timezone.now())
    ApiPartnershipFactory(training_partner=ApiProviderFactory(deleted_at=timezone.now()))
    assert _ids(api(LIST)) == [str(kept.pk)]


def test_filters(api):
    first, second = ApiPartnershipFactory(), ApiPartnershipFactory()
    first.academic_years.add(academic_year(2025))
    Partnership.objects.filter(pk=first.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    assert _ids(api(LIST, {"academic_year": "2025"})) == [str(first.pk)]
    assert _ids(api(LIST, {"provider_id": str(second.training_partner.pk)})) == [str(second.pk)]
    assert _ids(api(LIST, {"provider_id": str(first.accredited_provider.pk)})) == [str(first.pk)]
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert _ids(api(LIST, {"changed_since": since})) == [str(second.pk)]


def test_pages_and_etags(api, django_assert_max_num_queries):
    made = [ApiPartnershipFactory() for _ in range(7)]
    first = api(LIST, {"page_size": "5"})
    second = api(first.json()["links"]["next"])
    assert _ids(first) + _ids(second) == [str(partnership.pk) for partnership in made]
    assert second.json()["links"]["next"] is None
    api(LIST, {"page_size": "5"}, status=304, if_none_match=first["ETag"])
    made[0].academic_years.add(academic_year(2030))
    assert api(LIST, {"page_size": "5"}, if_none_match=first["ETag"])["ETag"] != first["ETag"]
    with django_assert_max_num_queries(2):
        api(LIST, {"page_size": "5"})


@pytest.mark.parametrize(
    ("params", "field"),
    [({"provider_id": "nope"}, "provider_id"), ({"q": "x"}, "q"), ({"page_size": "500"}, "page_size")],
)
def test_parameters_that_are_not_valid(api, params, field):
    assert [error["field"] for error in api(LIST, params, status=400).json()["errors"]] == [field]
