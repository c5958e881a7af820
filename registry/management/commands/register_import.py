"""`manage.py register_import PROVIDERS_CSV PARTNERSHIPS_CSV [--write-fixtures DIR]`."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.importing.fixtures import fixtures_write
from registry.importing.importer import register_import
from registry.importing.source_files import ImportFileError


class Command(BaseCommand):
    help = (
        "Import providers (with their accreditation, address and academic years) and partnerships from the "
        "DfE's CSV files. Every row, or part of a row, that cannot be taken is reported on stderr with its row "
        "number and why. Running it again over the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("providers_csv", type=Path, help="The providers file (providers.csv)")
        parser.add_argument("partnerships_csv", type=Path, help="The partnerships file (provider-partnerships.csv)")
        parser.add_argument(
            "--write-fixtures",
            type=Path,
            metavar="DIR",
            help="Afterwards, write the register as numbered JSON fixtures into DIR (0002_academic_years.json, …)",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="The day on which an accreditation must be current to count (default: today)",
        )

    def handle(self, *args, providers_csv, partnerships_csv, write_fixtures, today, verbosity, **options):
        try:
            report = register_import(providers_path=providers_csv, partnerships_path=partnerships_csv, today=today)
        except ImportFileError as error:
            raise CommandError(str(error)) from error

        for line in report.problem_lines():
            self.stderr.write(line)
        for line in report.problem_summary_lines():
            self.stderr.write(line)
        if verbosity:
            for line in report.done_lines():
                self.stdout.write(line)

        if write_fixtures:
            for path, count in fixtures_write(write_fixtures):
                if verbosity:
                    self.stdout.write(f"Wrote {count} records to {path}")
