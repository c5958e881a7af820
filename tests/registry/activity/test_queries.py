"""A page costs the same number of queries however many changes there are: no query per entry."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.api_clients.services import api_client_create, api_client_token_rotate
from registry.services.addresses import address_create, address_delete
from registry.services.contacts import contact_create
from registry.services.partnerships import partnership_create
from registry.services.provider_access import provider_access_grant
from tests.factories import (
    AccreditedProviderFactory,
    ApiUserFactory,
    ProviderFactory,
    SupportAdministratorFactory,
    SupportViewerFactory,
)
from tests.registry.activity.support import (
    ACTIVITY_URL,
    CSV_URL,
    add_user,
    delete_user,
    entries,
    next_url,
    previous_url,
    update_user,
)

pytestmark = pytest.mark.django_db


def _make_changes(administrators, count: int) -> None:
    """`count` changes of every kind, by several people, some of them since deleted."""
    made = 0
    while made < count:
        actor = administrators[made % len(administrators)]
        person = add_user(actor, "Person", f"Number{made}")
        update_user(actor, person, first_name="Renamed", is_active=False)
        delete_user(actor, person)
        made += 3


def _queries(client, url, **params) -> int:
    # The first request of a session also saves the session: not the page's cost.
    client.get(ACTIVITY_URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def administrators(administrator):
    others = SupportAdministratorFactory.create_batch(3)
    delete_user(administrator, others[0])
    return [administrator, *others[1:]]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"action": "deleted"},
        {"date_from-day": "1", "date_from-month": "1", "date_from-year": "2025", "record_type": "accounts.user"},
    ],
)
def test_page_queries_do_not_grow_with_the_changes(administrator_client, administrators, params):
    _make_changes(administrators, 10)
    with_few = _queries(administrator_client, ACTIVITY_URL, **params)
    _make_changes(administrators, 90)

    with_many = _queries(administrator_client, ACTIVITY_URL, **params)

    assert len(entries(administrator_client.get(ACTIVITY_URL, params))) == 25
    assert with_many == with_few


def test_a_deep_page_costs_what_the_first_does(administrator_client, administrators):
    _make_changes(administrators, 100)
    fourth_url = ACTIVITY_URL
    for _ in range(3):
        fourth_url = next_url(administrator_client.get(fourth_url))

    first = _queries(administrator_client, ACTIVITY_URL)
    fourth = _queries(administrator_client, fourth_url)
    previous = _queries(administrator_client, previous_url(administrator_client.get(fourth_url)))

    assert len(entries(administrator_client.get(fourth_url))) == 25
    assert fourth == first
    assert previous == first


@pytest.mark.parametrize("client_fixture", ["administrator_client", "auditor_client"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"action": "deleted"},
        {"action": "updated", "actor": "system"},
        {"date_from-day": "1", "date_from-month": "1", "date_from-year": "2025"},
        {"record_type": "registry.partnership"},
    ],
)
def test_a_page_of_every_kind_of_change_costs_at_most_six_queries(
    request, administrator, administrators, client_fixture, params, django_assert_max_num_queries
):
    """Signing in, the people who made changes, the page's rows (each with the one before it), their
    many-to-many answers, which records still exist, and the providers named."""
    client = request.getfixturevalue(client_fixture)
    _make_changes(administrators, 30)
    _change_the_register(administrator, 3)
    _rotate_tokens_and_give_access(administrator, 3)
    client.get(ACTIVITY_URL, params)

    with django_assert_max_num_queries(6):
        response = client.get(ACTIVITY_URL, params)

    assert response.status_code == 200


def test_export_queries_grow_with_batches_not_rows(administrator_client, administrators):
    _make_changes(administrators, 10)
    with_few = _queries(administrator_client, CSV_URL)
    _make_changes(administrators, 90)

    with_many = _queries(administrator_client, CSV_URL)

    assert with_many == with_few


def _change_the_register(actor, times: int) -> None:
    """Six changes `times` over: two providers added, an address added and deleted, a contact and
    a partnership added, each provider's records of their own."""
    for made in range(times):
        school, scitt = ProviderFactory(academic_years=[]), AccreditedProviderFactory(accreditation=False)
        address = address_create(
            actor=actor, provider=school, address_line_1="1 Tile Kiln Lane", town_or_city="Leeds", postcode="LS1 4AP"
        )
        address_delete(actor=actor, address=address)
        contact_create(
            actor=actor, provider=school, first_name="Jo", last_name=f"Number{made}", email=f"jo.{made}@example.com"
        )
        partnership_create(
            actor=actor,
            accredited_provider=scitt,
            training_partner=school,
            starts_on=datetime.date(2024, 8, 1),
            academic_years=[2024],
        )


def _rotate_tokens_and_give_access(actor, times: int) -> None:
    """API clients added and their tokens rotated (each token named after its client), and access
    to a provider given (named after the provider)."""
    for made in range(times):
        owner = ApiUserFactory()
        client, _ = api_client_create(actor=actor, name=f"Nightly sync {made}", owner=owner)
        api_client_token_rotate(actor=owner, client_id=client.pk)
        provider_access_grant(
            actor=actor, provider=ProviderFactory(academic_years=[]), user=SupportViewerFactory(), access="view"
        )


@pytest.mark.parametrize("client_fixture", ["administrator_client", "auditor_client"])
def test_naming_and_linking_providers_costs_the_same_however_many_there_are(request, administrator, client_fixture):
    """Every provider named on a page is read in one query, with whether it still exists."""
    client = request.getfixturevalue(client_fixture)
    params = {"record_type": "registry.partnership"}
    _change_the_register(administrator, 5)  # a page of 25 changes, each kind on it
    with_few = (_queries(client, ACTIVITY_URL), _queries(client, ACTIVITY_URL, **params))
    _change_the_register(administrator, 20)

    with_many = (_queries(client, ACTIVITY_URL), _queries(client, ACTIVITY_URL, **params))

    assert len(entries(client.get(ACTIVITY_URL))) == 25
    assert with_many == with_few
