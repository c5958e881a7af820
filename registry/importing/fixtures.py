"""Writing the register as it is into numbered JSON fixtures for `manage.py loaddata`.

The files are deterministic for a given database: one record to a line, sorted by primary key,
fields in model order, academic years sorted. Loading them again updates the same rows, so nothing
is duplicated however often `make run` loads them.

Academic years are lists on their providers and partnerships, as Django writes many-to-many fields,
so that loading works whatever links a database already has. Django saves fixture rows "raw", which
django-simple-history leaves out of history, but sets those lists through the related manager,
which it records: on a fresh database, the first load writes one history row (with no user and no
reason) per provider and partnership. Later loads change no list and write nothing.
"""

import json
from pathlib import Path

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from registry.models import AcademicYear, Accreditation, Address, Partnership, Provider

FIXTURE_FILES = (
    ("0002_academic_years.json", AcademicYear),
    ("0003_providers.json", Provider),
    ("0004_accreditations.json", Accreditation),
    ("0005_addresses.json", Address),
    ("0006_partnerships.json", Partnership),
)


def fixtures_write(directory: Path) -> list[tuple[Path, int]]:
    """Write the fixture files into `directory`; returns each file with its number of records."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in FIXTURE_FILES:
        records = _records(model)
        path = directory / name
        path.write_text(_json(records), "utf-8")
        written.append((path, len(records)))
    return written


def _json(records: list[dict]) -> str:
    """A JSON list with one record to a line: compact, yet a change to a record is a change to one line."""
    lines = (json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False) for record in records)
    return "[\n" + ",\n".join(lines) + "\n]\n"


def _records(model: type[models.Model]) -> list[dict]:
    records = serializers.serialize("python", model._base_manager.order_by("pk"))
    many_to_many = {field.name for field in model._meta.many_to_many}
    # PostgreSQL keeps JSON objects in its own key order, SQLite in the order written: sort them.
    json_fields = {field.name for field in model._meta.fields if isinstance(field, models.JSONField)}
    for record in records:
        for name, value in record["fields"].items():
            if name in many_to_many:
                record["fields"][name] = sorted(value)
            elif name in json_fields:
                record["fields"][name] = json.loads(json.dumps(value, sort_keys=True))
    return records
