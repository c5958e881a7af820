import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.api_clients import selectors, tokens
from registry.api import queries
from registry.api.page_cache import pages
from registry.models import Provider
from registry.models.provider import AccreditationStatus, ProviderType
from registry.services.providers import provider_update
from tests.accounts.api_clients.fixtures import bearer
from tests.registry.api.conftest import (
    ApiAccreditationFactory,
    ApiAddressFactory,
    ApiContactFactory,
    ApiPartnershipFactory,
    ApiProviderFactory,
    academic_year,
    providers_bulk,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/providers"


@pytest.fixture
def api(client, token):
    """GET with the token, checked for a 200 unless told otherwise."""

    def get(url, params=None, *, status=200, **headers):
        response = client.get(url, params or {}, headers={**bearer(token), **headers})
        assert response.status_code == status, response.content
        return response

    return get


def _ids(response) -> list[str]:
    return [row["id"] for row in response.json()["data"]]


def _all_pages(api, params=None) -> list[dict]:
    rows, url, seen = [], LIST, 0
    response = api(url, params)
    while True:
        rows += response.json()["data"]
        next_link = response.json()["links"]["next"]
        if next_link is None:
            return rows
        seen += 1
        assert seen < 1000
        response = api(next_link)


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
    assert _ids(api(LIST)) == [str(kept.pk)]
    assert set(_ids(api(LIST, {"include_archived": "true"}))) == {str(kept.pk), str(archived.pk)}
    assert _ids(api(LIST, {"include_archived": "false"})) == [str(kept.pk)]


def test_the_list_is_in_the_order_providers_changed(api):
    made = providers_bulk(5)
    Provider.objects.filter(pk=made[1].pk).update(updated_at=timezone.now())
    assert _ids(api(LIST)) == [str(made[index].pk) for index in (0, 2, 3, 4, 1)]


def test_changed_since(api):
    made = providers_bulk(4)
    since = made[2].updated_at
    assert _ids(api(LIST, {"changed_since": since.isoformat()})) == [str(made[2].pk), str(made[3].pk)]
    offset = since.astimezone(datetime.timezone(datetime.timedelta(hours=1))).isoformat()
    assert _ids(api(LIST, {"changed_since": offset})) == [str(made[2].pk), str(made[3].pk)]
    assert _ids(api(LIST, {"changed_since": "9999-12-31T23:59:59-23:00"})) == []
    assert len(_ids(api(LIST, {"changed_since": "0001-01-01T00:00:00+23:00"}))) == 4


def test_academic_year(api):
    active, other = ApiProviderFactory(), ApiProviderFactory()
    active.academic_years.add(academic_year(2025), academic_year(2026))
    other.academic_years.add(academic_year(2024))
    assert _ids(api(LIST, {"academic_year": "2025"})) == [str(active.pk)]
    assert _ids(api(LIST, {"academic_year": "2023"})) == []


def test_provider_type_and_accreditation_status(api):
    scitt = ApiProviderFactory(provider_type=ProviderType.SCITT, accreditation_status=AccreditationStatus.ACCREDITED)
    school = ApiProviderFactory(provider_type=ProviderType.SCHOOL)
    assert _ids(api(LIST, {"provider_type": "scitt"})) == [str(scitt.pk)]
    assert _ids(api(LIST, {"accreditation_status": "unaccredited"})) == [str(school.pk)]
    assert _ids(api(LIST, {"provider_type": "scitt", "accreditation_status": "unaccredited"})) == []


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
        ("1000999", False),
        ("65432", False),
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
    assert _ids(api(LIST, {"q": q})) == ([str(provider.pk)] if found else [])


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


# ---------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------


def test_100_a_page_by_default_and_as_many_as_asked_up_to_100(api):
    providers_bulk(105)
    assert len(api(LIST).json()["data"]) == 100
    assert len(api(LIST, {"page_size": "7"}).json()["data"]) == 7
    assert len(api(LIST, {"page_size": "100"}).json()["data"]) == 100


def test_following_next_gives_every_provider_once_in_order(api):
    made = providers_bulk(53)
    rows = _all_pages(api, {"page_size": "10"})
    assert [row["id"] for row in rows] == [str(provider.pk) for provider in made]


def test_next_keeps_the_filters(api):
    made = providers_bulk(30, provider_type=ProviderType.SCHOOL)
    providers_bulk(30)
    response = api(LIST, {"provider_type": "school", "page_size": "20"})
    next_link = response.json()["links"]["next"]
    query = parse_qs(urlsplit(next_link).query)
    assert query["provider_type"] == ["school"]
    assert query["page_size"] == ["20"]
    assert next_link.startswith("http://testserver/api/v1/providers?")
    second = api(next_link).json()
    assert [row["id"] for row in second["data"]] == [str(provider.pk) for provider in made[20:]]
    assert second["links"]["next"] is None


def test_pages_stay_stable_when_providers_change_between_them(api):
    made = providers_bulk(30)
    first = api(LIST, {"page_size": "10"}).json()
    # While the client reads, a provider it has seen changes and one it has not yet seen changes too.
    for provider in (made[2], made[15]):
        provider.operating_name += " (renamed)"
        provider.save()
    rows = first["data"] + _all_pages_from(api, first["links"]["next"])
    ids = [row["id"] for row in rows]
    # Nothing is missed; what changed comes again at the end, in the order it changed.
    assert set(ids) == {str(provider.pk) for provider in made}
    assert ids[-2:] == [str(made[2].pk), str(made[15].pk)]
    assert len(ids) == 31


def _all_pages_from(api, url) -> list[dict]:
    rows = []
    while url:
        page = api(url).json()
        rows += page["data"]
        url = page["links"]["next"]
    return rows


def test_providers_that_changed_at_the_same_moment_are_not_skipped(api):
    made = providers_bulk(25)
    Provider.objects.update(updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    ids = [row["id"] for row in _all_pages(api, {"page_size": "10"})]
    assert sorted(ids) == sorted(str(provider.pk) for provider in made)
    assert len(ids) == 25


def test_pages_are_found_by_keyset_never_by_offset(api):
    providers_bulk(30)
    next_link = api(LIST, {"page_size": "10"}).json()["links"]["next"]
    with CaptureQueriesContext(connection) as captured:
        api(next_link)
    page_query = captured[-1]["sql"]
    assert "OFFSET" not in page_query.upper()
    assert '("registry_provider"."updated_at", "registry_provider"."id") >' in page_query


def test_a_cursor_is_any_place_in_the_list(api):
    made = providers_bulk(5)
    cursor = queries.cursor_encode(made[2].updated_at, made[2].id)
    assert _ids(api(LIST, {"cursor": cursor})) == [str(made[3].pk), str(made[4].pk)]
    assert _ids(api(LIST, {"cursor": "0." + "0" * 32})) == [str(provider.pk) for provider in made]
    assert _ids(api(LIST, {"cursor": "9" * 16 + "." + "f" * 32})) == []


# ---------------------------------------------------------------------------------------------------
# Queries: 1 with the token cached, 2 without, whatever the page size or table size
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table_size", [50, 500])
@pytest.mark.parametrize("page_size", [10, 100])
def test_the_list_costs_one_query_with_the_token_cached_and_two_without(
    client, token, table_size, page_size, django_assert_num_queries
):
    providers_bulk(table_size)
    params = {"page_size": str(page_size)}
    # The first request also records the token's use, which happens at most every 15 minutes.
    client.get(LIST, {"page_size": "1"}, headers=bearer(token))
    with django_assert_num_queries(1):
        response = client.get(LIST, params, headers=bearer(token))
    assert len(response.json()["data"]) == min(page_size, table_size)
    next_link = response.json()["links"]["next"]
    selectors.api_token_cache_forget(tokens.token_hashes(token))
    with django_assert_num_queries(2):
        response = client.get(next_link or LIST, {} if next_link else {"page_size": "2"}, headers=bearer(token))
    assert response.status_code == 200


def test_with_the_page_cache_off_every_page_is_built(client, token, settings, django_assert_num_queries):
    settings.API_PAGE_CACHE_BYTES = 0
    providers_bulk(5)
    params = {"page_size": "10"}
    first = client.get(LIST, params, headers=bearer(token))
    with django_assert_num_queries(1):
        again = client.get(LIST, params, headers=bearer(token))
    assert again.content == first.content


def test_a_page_asked_for_again_costs_no_query_until_the_register_changes(client, token, django_assert_num_queries):
    providers_bulk(5)
    params = {"page_size": "10"}
    first = client.get(LIST, params, headers=bearer(token))
    with django_assert_num_queries(0):
        again = client.get(LIST, params, headers=bearer(token))
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        assert client.get(LIST, params, headers={**bearer(token), "If-None-Match": first["ETag"]}).status_code == 304
    renamed = Provider.objects.order_by("updated_at", "id").first()
    provider_update(provider=renamed, actor=None, changes={"operating_name": "Renamed Teaching School"})
    changed = client.get(LIST, params, headers=bearer(token))
    assert changed["ETag"] != first["ETag"]
    assert "Renamed Teaching School" not in first.content.decode()
    assert changed.json()["data"][-1]["operating_name"] == "Renamed Teaching School"


# ---------------------------------------------------------------------------------------------------
# ETags
# ---------------------------------------------------------------------------------------------------


def test_an_unchanged_page_is_not_sent_again(api, monkeypatch, django_assert_num_queries):
    providers_bulk(20)
    first = api(LIST, {"page_size": "10"})
    etag = first["ETag"]
    assert etag.startswith('"')
    monkeypatch.setattr(queries, "provider_page", _must_not_be_called)
    # As another process would answer, one that has not kept the page (registry.api.page_cache).
    pages.clear()
    with django_assert_num_queries(1):
        response = api(LIST, {"page_size": "10"}, status=304, if_none_match=etag)
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Content-Type" not in response
    api(LIST, {"page_size": "10"}, status=304, if_none_match=f'"other", W/{etag}')
    api(LIST, {"page_size": "10"}, status=304, if_none_match="*")


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("The page was built to answer a request that its ETag answers")


def test_a_page_has_a_new_etag_once_anything_on_it_changes(api):
    made = providers_bulk(20)
    etag = api(LIST, {"page_size": "10"})["ETag"]
    made[3].operating_name = "Renamed"
    made[3].save()
    response = api(LIST, {"page_size": "10"}, if_none_match=etag)
    assert response["ETag"] != etag
    assert made[3].pk not in {row["id"] for row in response.json()["data"]}


def test_each_page_and_each_set_of_filters_has_its_own_etag(api):
    providers_bulk(30)
    first = api(LIST, {"page_size": "10"})
    second = api(first.json()["links"]["next"])
    filtered = api(LIST, {"page_size": "10", "provider_type": "hei"})
    assert len({first["ETag"], second["ETag"], filtered["ETag"]}) == 3
    api(LIST, {"page_size": "10", "provider_type": "hei"}, status=304, if_none_match=filtered["ETag"])
    api(LIST, {"page_size": "10"}, status=200, if_none_match=filtered["ETag"])


def test_an_etag_from_the_page_and_from_its_fingerprint_are_the_same(api):
    providers_bulk(12)
    for params in ({"page_size": "5"}, {"page_size": "100"}, {"q": "Provider"}):
        etag = api(LIST, params)["ETag"]
        api(LIST, params, status=304, if_none_match=etag)


# ---------------------------------------------------------------------------------------------------
# One provider
# ---------------------------------------------------------------------------------------------------


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
