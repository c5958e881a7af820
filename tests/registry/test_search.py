"""Searching the register: one search, the same in the admin's providers list and in the API.

What people type finds what they mean: words in any order, case, accents and punctuation ignored,
"C of E", "CofE" and "Church of England" alike; codes, UKPRNs and URNs by their start, RoTP ids whole.
And the names' search text, which the search reads, stays right however a provider is written.
"""

import io
import json
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from registry.importing.fixtures import fixtures_write
from registry.models import Provider
from registry.models.provider import search_text
from registry.selectors import provider_list, search_terms
from registry.services.providers import provider_create, provider_update
from tests.accounts.api_clients.fixtures import api_client_and_token, api_user, bearer, own_cache, token
from tests.factories import ProviderFactory
from tests.support.html import text

__all__ = ["api_client_and_token", "api_user", "own_cache", "token"]

pytestmark = pytest.mark.django_db

ADMIN_LIST = reverse("admin:registry_provider_changelist")
API_LIST = "/api/v1/providers"


@pytest.fixture
def register():
    def provider(name, code, **fields):
        return ProviderFactory(operating_name=name, code=code, **fields)

    return {
        "leeds": provider("Leeds University", "L01", ukprn="10003861", urn="", legal_name="University of Leeds"),
        "trinity": provider("Leeds Trinity University", "L02", ukprn="10003863", urn=""),
        "st marys c of e": provider("St Mary's C of E Primary School", "M01", ukprn="10070001", urn="120001"),
        "st marys cofe": provider("St Mary’s CofE School", "M02", ukprn="10070002", urn="120002"),
        "church of england": provider("Church of England Academy", "C03", ukprn="10070003", urn="130003"),
        "saint johns": provider("Saint John's CE Infants", "J04", ukprn="10070004", urn="130004"),
        "st albans": provider("St. Albans & District SCITT", "A05", ukprn="10070005", urn="140005"),
        "ecole": provider("École Française de Londres", "E06", ukprn="10080006", urn="150006"),
    }


@pytest.fixture
def searches(register, administrator_client, token):
    """The keys of the providers a search finds, through each of the admin list, its selector and the API."""
    api = Client(headers=bearer(token))
    names = {provider.operating_name: key for key, provider in register.items()}

    def found(query: str) -> dict[str, list[str]]:
        admin_page = administrator_client.get(ADMIN_LIST, {"q": query})
        api_page = api.get(API_LIST, {"q": query, "page_size": "100"})
        assert admin_page.status_code == api_page.status_code == 200
        by_id = {str(provider.pk): key for key, provider in register.items()}
        listed = text(admin_page)
        return {
            "admin": sorted(key for key, provider in register.items() if provider.operating_name in listed),
            "selector": sorted(names[provider.operating_name] for provider in provider_list(search=query)),
            "api": sorted(by_id[row["id"]] for row in api_page.json()["data"]),
        }

    return found


QUERIES = {
    # Words in any order, each in the operating or the legal name.
    "university leeds": ["leeds", "trinity"],
    "LEEDS university": ["leeds", "trinity"],
    "trinity leeds": ["trinity"],
    "of leeds university": ["leeds"],
    "leeds cambridge": [],
    # Punctuation and case ignored.
    "St. Mary's": ["st marys c of e", "st marys cofe"],
    "st marys": ["st marys c of e", "st marys cofe"],
    "St Mary’s": ["st marys c of e", "st marys cofe"],
    "ST MARYS": ["st marys c of e", "st marys cofe"],
    "mary's school": ["st marys c of e", "st marys cofe"],
    "st albans and district": ["st albans"],
    "St Albans & District": ["st albans"],
    "st-albans": ["st albans"],
    # The Church of England, however it is written.
    "c of e": ["church of england", "saint johns", "st marys c of e", "st marys cofe"],
    "CofE": ["church of england", "saint johns", "st marys c of e", "st marys cofe"],
    "C of E.": ["church of england", "saint johns", "st marys c of e", "st marys cofe"],
    "C.E.": ["church of england", "saint johns", "st marys c of e", "st marys cofe"],
    "Church of England": ["church of england", "saint johns", "st marys c of e", "st marys cofe"],
    "st mary's cofe primary": ["st marys c of e"],
    "church academy": ["church of england"],
    # Saint and St alike.
    "saint mary's": ["st marys c of e", "st marys cofe"],
    "st johns": ["saint johns"],
    # Accents.
    "ecole francaise": ["ecole"],
    # Codes, UKPRNs and URNs by their start.
    "m01": ["st marys c of e"],
    "M0": ["st marys c of e", "st marys cofe"],
    "10070003": ["church of england"],
    "1007000": ["church of england", "saint johns", "st albans", "st marys c of e", "st marys cofe"],
    "1300": ["church of england", "saint johns"],
    "13000": ["church of england", "saint johns"],
    "70003": [],
    # Punctuation alone finds nothing.
    "'.": [],
}


@pytest.mark.parametrize(("query", "expected"), QUERIES.items(), ids=list(QUERIES))
def test_the_admin_list_and_the_api_find_the_same_providers(searches, query, expected):
    assert searches(query) == {"admin": expected, "selector": expected, "api": expected}


@pytest.mark.parametrize("query", ["{}", "{lower}", "  {lower}  "])
def test_a_rotp_id_finds_its_provider_in_the_admin_list_and_the_api(searches, register, query):
    register_id = register["ecole"].register_id

    found = searches(query.format(register_id, lower=register_id.lower()))

    assert found == {"admin": ["ecole"], "selector": ["ecole"], "api": ["ecole"]}


def test_the_api_keeps_its_filters_and_pages_with_a_search(register, token):
    api = Client(headers=bearer(token))
    Provider.objects.filter(pk=register["st marys cofe"].pk).update(archived_at="2026-01-01T00:00:00Z")

    first = api.get(API_LIST, {"q": "church of england", "page_size": "2", "provider_type": "school"}).json()
    second = api.get(first["links"]["next"]).json()

    assert len(first["data"]) == 2
    assert second["links"]["next"] is None
    found = {row["operating_name"] for row in first["data"] + second["data"]}
    assert found == {"St Mary's C of E Primary School", "Church of England Academy", "Saint John's CE Infants"}


# ---------------------------------------------------------------------------------------------------
# The names made alike
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "made"),
    [
        (["St. Mary's C of E Primary School"], "st marys church of england primary school"),
        (["St Mary’s CofE School"], "st marys church of england school"),
        (["Holy Trinity C.E. (VA) Primary"], "holy trinity church of england va primary"),
        (["COE Academy", "Cofe trust"], "church of england academy church of england trust"),
        (["Saint Anne’s & St Joseph's"], "st annes and st josephs"),
        (["Bishop-Stortford  High", ""], "bishop stortford high"),
        (["École Française"], "ecole francaise"),
        (["Coed Eva Primary", "Centre for CEO training"], "coed eva primary centre for ceo training"),
    ],
)
def test_names_are_made_alike_for_searching(names, made):
    assert search_text(*names) == made


@pytest.mark.parametrize(
    ("search", "terms"),
    [
        ("St Mary's CofE primary", ["church of england", "marys", "primary", "st"]),
        ("C of E", ["church of england"]),
        ("england church", ["church", "england"]),
        ("st stephens", ["stephens"]),
        ("leeds LEEDS", ["leeds"]),
        ("- & -", ["and"]),
        ("...", []),
    ],
)
def test_a_search_asks_for_each_of_its_terms_once(search, terms):
    assert search_terms(search) == terms


def _stored(provider: Provider) -> str:
    return Provider.objects.values_list("search_text", flat=True).get(pk=provider.pk)


def test_the_search_text_is_written_with_the_names_by_the_services(administrator):
    provider = provider_create(
        actor=administrator,
        operating_name="St Mary's CofE School",
        provider_type="school",
        accreditation_status="unaccredited",
        code="M9X",
        ukprn="10070009",
        urn="120009",
    )
    assert _stored(provider) == "st marys church of england school"

    provider = provider_update(actor=administrator, provider=provider, changes={"legal_name": "Saint Mary’s Trust"})
    assert _stored(provider) == "st marys church of england school st marys trust"

    provider.operating_name = "St Mary's Academy"
    provider.save(update_fields=["operating_name"])
    assert _stored(provider) == "st marys academy st marys trust"


def test_the_search_text_is_written_by_bulk_create_and_bulk_update():
    made = [ProviderFactory.build(operating_name="C of E Academy", legal_name="") for _ in range(2)]
    Provider.objects.bulk_create(made)
    assert [_stored(provider) for provider in made] == ["church of england academy"] * 2

    made[0].operating_name = "St. Luke's"
    Provider.objects.bulk_update(made, ["operating_name", "search_text"])
    assert _stored(made[0]) == "st lukes"


def test_the_search_text_is_written_when_fixtures_are_loaded_but_never_written_into_them(tmp_path):
    provider = ProviderFactory(operating_name="St Mary’s CofE School", legal_name="")
    fixtures_write(tmp_path)
    records = json.loads((tmp_path / "0003_providers.json").read_text())
    assert "search_text" not in records[0]["fields"]

    records[0]["fields"]["operating_name"] = "Church of England Academy"
    (tmp_path / "0003_providers.json").write_text(json.dumps(records))
    Provider.objects.filter(pk=provider.pk).update(search_text="")
    call_command("loaddata", str(tmp_path / "0003_providers.json"), verbosity=0)

    assert _stored(provider) == "church of england academy"
    assert [p.operating_name for p in provider_list(search="c of e")] == ["Church of England Academy"]


def test_the_migration_fills_the_search_text_of_providers_already_there():
    provider = ProviderFactory(operating_name="St. Albans & District", legal_name="Saint Albans CE Trust")
    Provider.objects.filter(pk=provider.pk).update(search_text="")
    migration = import_module("registry.migrations.0005_provider_search_text")

    migration.fill_search_text(apps, connection.schema_editor())

    assert _stored(provider) == "st albans and district st albans church of england trust"


def test_the_search_text_is_written_by_the_import_as_it_adds_and_changes_providers():
    data = Path(__file__).parent / "importing" / "data"
    files = [str(data / "providers.csv"), str(data / "provider-partnerships.csv"), "--today", "2026-11-26"]
    call_command("register_import", *files, stdout=io.StringIO())
    renamed = Provider.objects.get(code="B20")
    Provider.objects.filter(pk=renamed.pk).update(operating_name="Old Name", search_text="old name")

    call_command("register_import", *files, stdout=io.StringIO())

    assert _stored(renamed) == "bath spa university bath spa university"
    for provider in Provider.objects.all():
        assert _stored(provider) == search_text(provider.operating_name, provider.legal_name)
