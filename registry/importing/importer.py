"""Importing the register's providers and partnerships from the DfE's files, in bulk, with history.

This is the import as one run (`register_import`); each step has its own module:

- reading the files: `provider_sources` and `partnership_sources` (on `source_files`) turn rows into
  what the import can take, reporting what it cannot;
- taking them, row by row: `provider_import`, then the accreditation and address of each provider
  taken (`accreditation_import`, `address_import`), then `partnership_import`, each writing what it
  adds and changes through `bulk_writes`;
- what it did and could not do: `report`.

Rows are matched to what the register has, so a re-import brings the register into line with the
files without undoing a support user's decision: archived and deleted records are left as they are.
A row, or part of a row, breaking a rule is reported, and the provider gets an import note. History
rows are written in bulk, attributed to no user, with the reason "Imported from {file name}"; a
second run over the same files changes nothing and writes no history.
"""

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from registry.importing.accreditation_import import AccreditationImport
from registry.importing.address_import import AddressImport
from registry.importing.partnership_import import PartnershipImport
from registry.importing.partnership_sources import read_partnerships
from registry.importing.provider_import import ProviderImport
from registry.importing.provider_sources import read_providers
from registry.importing.report import ImportReport
from registry.models import AcademicYear
from registry.register_version import register_changed
from registry.services.academic_years import academic_years_ensure


def import_reason(path: Path) -> str:
    return f"Imported from {path.name}"


@transaction.atomic
def register_import(
    *, providers_path: Path, partnerships_path: Path, today: datetime.date | None = None
) -> ImportReport:
    """Import both files in one transaction: all of what can be taken, or nothing if something fails."""
    today = today or timezone.localdate()
    report = ImportReport()
    provider_sources = read_providers(providers_path, report)
    partnership_sources = read_partnerships(partnerships_path, report)

    wanted_years = {year for source in [*provider_sources, *partnership_sources] for year in source.academic_years}
    years_before = AcademicYear.objects.count()
    academic_years_ensure(wanted_years)
    report.done["academic years added"] = AcademicYear.objects.count() - years_before

    providers = ProviderImport(provider_sources, report, reason=import_reason(providers_path), today=today)
    providers.run()
    AccreditationImport(providers).run()
    AddressImport(providers).run()
    PartnershipImport(partnership_sources, report, reason=import_reason(partnerships_path)).run()
    # Written in bulk, past the models' save(): say so once for the whole import.
    register_changed()
    return report
