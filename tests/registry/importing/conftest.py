"""Running `manage.py register_import` on a sample of the DfE's files (in data/: real rows, and crafted
rows that break rules), and reading what it made of them.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from registry.models import AcademicYear, Accreditation, Address, Contact, Partnership, Provider

DATA = Path(__file__).parent / "data"
PROVIDERS = DATA / "providers.csv"
PARTNERSHIPS = DATA / "provider-partnerships.csv"
TODAY = "2026-11-26"
MODELS = (Provider, Accreditation, Address, Contact, Partnership)


def run_import(providers=PROVIDERS, partnerships=PARTNERSHIPS, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("register_import", str(providers), str(partnerships), "--today", TODAY, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def imported():
    return run_import()


def provider(code) -> Provider:
    return Provider.objects.get(code=code)


def years(record) -> list[int]:
    return sorted(record.academic_years.values_list("start_year", flat=True))


def history_counts() -> dict:
    return {model.__name__: model.history.count() for model in MODELS}


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (*MODELS, AcademicYear, Provider.academic_years.through, Partnership.academic_years.through)
    }
