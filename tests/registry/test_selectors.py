import pytest

from registry.models.provider import AccreditationStatus, ProviderType
from registry.selectors import (
    contact_email_taken,
    partnership_partner_choices,
    provider_code_taken,
    provider_get,
    provider_list,
    provider_partnerships,
)
from tests.factories import (
    AccreditedHeiProviderFactory,
    AccreditedProviderFactory,
    ContactFactory,
    HeiProviderFactory,
    PartnershipFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers():
    return {
        "bath": AccreditedHeiProviderFactory(
            operating_name="Bath Spa University", code="B20", ukprn="10000571", urn="133790", academic_years=[2024]
        ),
        "abacus": ProviderFactory(
            operating_name="Abacus Belsize Primary School",
            code="4A2",
            ukprn="10042333",
            urn="139837",
            academic_years=[2024, 2025],
        ),
        "consortium": AccreditedProviderFactory(
            operating_name="2Schools Consortium",
            legal_name="Oakthorpe Primary School",
            code="T92",
            ukprn="10045988",
            urn="",
            academic_years=[2025],
        ),
        "anglia": HeiProviderFactory(
            operating_name="anglia Ruskin University", code="A3U", ukprn="", urn="", academic_years=[]
        ),
        "archived": ProviderFactory(operating_name="Archived School", code="ARC", archived=True),
        "deleted": ProviderFactory(operating_name="Deleted School", code="DEL", deleted=True),
    }


def names(queryset):
    return [provider.operating_name for provider in queryset]


def test_lists_providers_on_the_register_by_name_ignoring_case(providers):
    assert names(provider_list()) == [
        "2Schools Consortium",
        "Abacus Belsize Primary School",
        "anglia Ruskin University",
        "Bath Spa University",
    ]


def test_archived_providers_only_when_asked_and_deleted_ones_never(providers):
    listed = names(provider_list(include_archived=True))

    assert "Archived School" in listed
    assert "Deleted School" not in listed


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("university", ["anglia Ruskin University", "Bath Spa University"]),
        ("  SPA   univ ", ["Bath Spa University"]),
        ("spa univ", ["Bath Spa University"]),
        ("oakthorpe", ["2Schools Consortium"]),
        ("b20", ["Bath Spa University"]),
        ("4a", ["Abacus Belsize Primary School"]),
        ("10000571", ["Bath Spa University"]),
        ("1000", ["Bath Spa University"]),
        ("00571", []),
        ("10000", ["Bath Spa University"]),
        ("10000572", []),
        ("1004", ["2Schools Consortium", "Abacus Belsize Primary School"]),
        ("9", []),
        ("13983", ["Abacus Belsize Primary School"]),
        ("139837", ["Abacus Belsize Primary School"]),
        ("2", ["2Schools Consortium"]),
        ("Deleted", []),
        ("Archived", []),
    ],
)
def test_search_by_name_code_ukprn_or_urn(providers, search, found):
    assert names(provider_list(search=search)) == found


def test_filters(providers):
    assert names(provider_list(provider_types=[ProviderType.HEI])) == [
        "anglia Ruskin University",
        "Bath Spa University",
    ]
    assert names(provider_list(provider_types=[ProviderType.SCHOOL, ProviderType.SCITT])) == [
        "2Schools Consortium",
        "Abacus Belsize Primary School",
    ]
    assert names(provider_list(accreditation_statuses=[AccreditationStatus.ACCREDITED])) == [
        "2Schools Consortium",
        "Bath Spa University",
    ]


def test_the_academic_year_filter_lists_each_provider_once(providers):
    assert names(provider_list(academic_years=[2024, 2025])) == [
        "2Schools Consortium",
        "Abacus Belsize Primary School",
        "Bath Spa University",
    ]
    assert names(provider_list(academic_years=[2024], search="school")) == ["Abacus Belsize Primary School"]


def test_the_list_reads_academic_years_in_one_query(providers, django_assert_num_queries):
    with django_assert_num_queries(2):
        for provider in provider_list():
            list(provider.academic_years.all())


def test_provider_get_finds_archived_but_not_deleted_providers(providers):
    assert provider_get(provider_id=providers["archived"].pk) == providers["archived"]
    assert provider_get(provider_id=providers["deleted"].pk) is None


def test_code_taken_ignores_case_and_deleted_providers(providers):
    assert provider_code_taken("b20")
    assert provider_code_taken("ARC")
    assert not provider_code_taken("del")
    assert not provider_code_taken("B20", exclude=providers["bath"])


def test_contact_email_taken_per_provider():
    contact = ContactFactory(email="jane@example.com")

    assert contact_email_taken(provider=contact.provider, email="JANE@example.com")
    assert not contact_email_taken(provider=contact.provider, email="jane@example.com", exclude=contact)
    assert not contact_email_taken(provider=ProviderFactory(), email="jane@example.com")


def test_partners_on_offer_and_a_providers_partnerships():
    partnership = PartnershipFactory()
    accredited, school = partnership.accredited_provider, partnership.training_partner

    assert school in partnership_partner_choices(provider=accredited)
    assert accredited in partnership_partner_choices(provider=school)
    assert accredited not in partnership_partner_choices(provider=AccreditedProviderFactory())
    assert list(provider_partnerships(provider=accredited)) == [partnership]
    assert list(provider_partnerships(provider=school)) == [partnership]
