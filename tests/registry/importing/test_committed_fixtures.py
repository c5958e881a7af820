"""The register's seed data in fixtures/, written by `register_import` from the DfE's files.

Loading 6,000 records one by one takes a while, so one test loads them (twice) and checks everything.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from registry.models import AcademicYear, Accreditation, Address, Partnership, Provider
from registry.models.provider import TYPES_BY_STATUS
from registry.services.register_ids import is_register_id
from registry.validators import is_provider_code, is_ukprn, is_urn

pytestmark = pytest.mark.django_db

FIXTURES = sorted(str(path) for path in (settings.BASE_DIR / "fixtures").glob("*.json"))
REGISTER_FIXTURES = [
    "0002_academic_years.json",
    "0003_providers.json",
    "0004_accreditations.json",
    "0005_addresses.json",
    "0006_partnerships.json",
]
MODELS = (AcademicYear, Provider, Accreditation, Address, Partnership)


def counts():
    return {
        **{model.__name__: model.objects.count() for model in MODELS},
        "provider years": Provider.academic_years.through.objects.count(),
        "partnership years": Partnership.academic_years.through.objects.count(),
        "history": sum(model.history.count() for model in MODELS if model is not AcademicYear),
    }


def test_the_register_fixtures_load_after_the_users_whole_and_again_without_duplicating():
    assert next(path.rsplit("/", 1)[-1] for path in FIXTURES) == "0001_users.json"
    assert all(any(path.endswith(name) for path in FIXTURES) for name in REGISTER_FIXTURES)

    # Seeding is not a change anyone made: neither load writes history (registry.signals).
    call_command("loaddata", *FIXTURES, verbosity=0)
    loaded = counts()
    call_command("loaddata", *FIXTURES, verbosity=0)

    assert counts() == loaded
    assert loaded["history"] == 0
    assert {name: loaded[name] for name in ("AcademicYear", "Provider", "Accreditation", "Address", "Partnership")} == {
        "AcademicYear": 8,
        "Provider": 2235,
        "Accreditation": 182,
        "Address": 2104,
        "Partnership": 1806,
    }

    providers = list(Provider.objects.prefetch_related("academic_years"))
    assert len({provider.register_id for provider in providers}) == 2235
    assert len({provider.code for provider in providers}) == 2235
    for provider in providers:
        noted = {note["field"] for note in provider.import_notes}
        assert is_register_id(provider.register_id), provider.code
        assert is_provider_code(provider.code), provider.code
        assert provider.code == provider.code.upper(), provider.code
        assert provider.provider_type in TYPES_BY_STATUS[provider.accreditation_status], provider.code
        assert is_ukprn(provider.ukprn) or (provider.ukprn == "" and "ukprn" in noted), provider.code
        assert provider.urn == "" or is_urn(provider.urn), provider.code
        assert provider.academic_years.all(), provider.code
    assert not Provider.objects.filter(ukprn="00000000").exists()
    assert Provider.objects.filter(ukprn="").count() == 585
    # An unaccredited SCITT in the DfE's file is a school on the register.
    assert not Provider.objects.filter(provider_type="scitt", accreditation_status="unaccredited").exists()

    bath = Provider.objects.get(code="B20")
    assert (bath.operating_name, bath.ukprn, bath.urn, bath.provider_type, bath.accreditation_status) == (
        "Bath Spa University",
        "10000571",
        "133790",
        "hei",
        "accredited",
    )
    assert bath.accreditations.get().number == "1502"
    assert bath.addresses.get().postcode == "BA1 5SF"
    ambition = Partnership.objects.get(accredited_provider__code="2A2", training_partner__code="7D7")
    assert sorted(ambition.academic_years.values_list("start_year", flat=True)) == [2024, 2025, 2026]
