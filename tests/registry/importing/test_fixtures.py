"""`register_import --write-fixtures`: the register written as deterministic fixtures that load without duplicating."""

import json

import pytest
from django.core.management import call_command

from registry.models import AcademicYear
from tests.registry.importing.conftest import (
    MODELS,
    PARTNERSHIPS,
    PROVIDERS,
    history_counts,
    provider,
    run_import,
    snapshot,
)

pytestmark = pytest.mark.django_db


def test_the_fixtures_it_writes_are_deterministic_and_load_without_duplicating(imported, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    out, _ = run_import(PROVIDERS, PARTNERSHIPS, "--write-fixtures", str(first))
    run_import(PROVIDERS, PARTNERSHIPS, "--write-fixtures", str(second))

    names = sorted(path.name for path in first.iterdir())
    assert names == [
        "0002_academic_years.json",
        "0003_providers.json",
        "0004_accreditations.json",
        "0005_addresses.json",
        "0006_partnerships.json",
    ]
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in names)
    assert f"Wrote 21 records to {first / '0003_providers.json'}" in out
    fixtures = sorted(str(path) for path in first.iterdir())
    counts = {model: model.objects.count() for model in (*MODELS, AcademicYear)}

    call_command("loaddata", *fixtures, verbosity=0)
    loaded, history_loaded = snapshot(), history_counts()
    call_command("loaddata", *fixtures, verbosity=0)

    assert snapshot() == loaded
    assert history_counts() == history_loaded
    assert {model: model.objects.count() for model in (*MODELS, AcademicYear)} == counts


def test_a_provider_fixture_record_holds_its_sorted_academic_years(imported, tmp_path):
    run_import(PROVIDERS, PARTNERSHIPS, "--write-fixtures", str(tmp_path))

    lines = (tmp_path / "0003_providers.json").read_text("utf-8").splitlines()
    bath = json.loads(next(line for line in lines if '"code": "B20"' in line).rstrip(","))

    assert bath["fields"]["academic_years"] == list(range(2019, 2027))
    assert bath["fields"]["register_id"] == provider("B20").register_id
    assert (lines[0], lines[-1]) == ("[", "]")
