"""Register records for the API's tests, made with the ORM (defined here, apart from tests/factories.py),
and `api`, a GET with an API client's token.
"""

import datetime
import itertools

import factory
import pytest

from registry.models import AcademicYear, Accreditation, Address, Contact, Partnership, Provider
from registry.models.provider import AccreditationStatus, ProviderType
from tests.accounts.api_clients.fixtures import api_client_and_token, api_user, bearer, other_api_user, own_cache, token

__all__ = ["api_client_and_token", "api_user", "other_api_user", "own_cache", "token"]

_CODES = ("".join(letters) for letters in itertools.product("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", repeat=3))


class ApiProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        skip_postgeneration_save = True

    operating_name = factory.Sequence(lambda n: f"Provider {n:05d}")
    provider_type = ProviderType.HEI
    accreditation_status = AccreditationStatus.UNACCREDITED
    ukprn = factory.Sequence(lambda n: f"1{n:07d}")
    code = factory.LazyFunction(lambda: next(_CODES))
    register_id = factory.Sequence(lambda n: f"RoTP-T{n:07d}")


class ApiAccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accreditation

    provider = factory.SubFactory(ApiProviderFactory)
    number = "1234"
    starts_on = datetime.date(2024, 9, 1)


class ApiAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    provider = factory.SubFactory(ApiProviderFactory)
    address_line_1 = "1 High Street"
    town_or_city = "Leeds"
    postcode = "LS1 1AA"


class ApiContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    provider = factory.SubFactory(ApiProviderFactory)
    first_name = "Mary"
    last_name = "Seacole"
    email = factory.Sequence(lambda n: f"contact.{n}@example.com")


class ApiPartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    accredited_provider = factory.SubFactory(
        ApiProviderFactory, provider_type=ProviderType.SCITT, accreditation_status=AccreditationStatus.ACCREDITED
    )
    training_partner = factory.SubFactory(ApiProviderFactory)
    starts_on = datetime.date(2025, 8, 1)


def academic_year(start_year: int) -> AcademicYear:
    return AcademicYear.objects.get_or_create(start_year=start_year)[0]


def providers_bulk(count: int, **fields) -> list[Provider]:
    """Many providers at once, each with its own change time, in the order they were made."""
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    made = [ApiProviderFactory.build(**fields) for _ in range(count)]
    Provider.objects.bulk_create(made)
    for index, provider in enumerate(made):
        provider.updated_at = start + datetime.timedelta(seconds=index)
    Provider.objects.bulk_update(made, ["updated_at"], batch_size=500)
    return made


@pytest.fixture
def provider(db):
    return ApiProviderFactory(operating_name="Oakwood Teaching School", legal_name="Oakwood Trust", urn="123456")


@pytest.fixture
def api(client, token):
    """GET with the token, checked for a 200 unless told otherwise."""

    def get(url, params=None, *, status=200, **headers):
        response = client.get(url, params or {}, headers={**bearer(token), **headers})
        assert response.status_code == status, response.content
        return response

    return get


def ids_of(response) -> list[str]:
    """The ids of the records on a page of a list, in order."""
    return [row["id"] for row in response.json()["data"]]
