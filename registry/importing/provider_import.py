"""Taking the providers file's rows into the register, row by row, then writing them in bulk.

A provider is matched on its code or, when the register has since changed its code, as the provider
an earlier import added. A new one gets an id made from its code and a RoTP id; one already on the
register is brought into line with its row, except that a value the row lacks never blanks one the
register has. Its accreditation status follows its accreditations as of `today`, as everywhere in
the register: the file's status only decides its type. An archived or deleted provider is left as
it is, and its row reported.

The providers taken (added, changed or already in line) are kept in `taken`, for the accreditation
and address imports that follow.
"""

import datetime
import uuid
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from registry.formats import format_govuk_date
from registry.importing.bulk_writes import (
    add_academic_years,
    replace_academic_years,
    snapshot_latest_history,
    write_records,
)
from registry.importing.imported_ids import imported_id
from registry.importing.provider_sources import ProviderSource
from registry.importing.report import ImportReport
from registry.models import Accreditation, Address, Provider
from registry.models.provider import AccreditationStatus
from registry.services.register_ids import register_id_choose
from registry.validators import accreditation_derived, accreditation_is_current

# What the import writes of a provider, besides its search text and when it was updated.
VALUES_FIELDS = (
    "operating_name",
    "legal_name",
    "provider_type",
    "accreditation_status",
    "ukprn",
    "urn",
    "onboarded_on",
    "first_active_on",
    "import_notes",
)


class ProviderImport:
    """The providers file's rows: which provider each is, what it makes of it, and the writes."""

    def __init__(self, sources: list[ProviderSource], report: ImportReport, *, reason: str, today: datetime.date):
        self.sources = sources
        self.report = report
        self.reason = reason
        self.file = reason.removeprefix("Imported from ")
        self.today = today
        self.now = timezone.now()
        self.taken: dict[str, Provider] = {}  # Code → the provider each row was taken into.
        self.sources_by_code = {source.code: source for source in sources}

    def run(self) -> None:
        codes = list(self.sources_by_code)
        by_code = {provider.code.upper(): provider for provider in Provider.objects.kept().filter(code__in=codes)}
        by_id = {
            provider.pk: provider
            for provider in Provider.objects.filter(pk__in=[imported_id("provider", code) for code in codes])
        }
        # A provider is matched on its code or, when the register has since changed its code, as the
        # provider an earlier import added.
        existing, renamed = {}, {}
        for code in codes:
            earlier = by_id.get(imported_id("provider", code))
            if code not in by_code and earlier is not None and not earlier.is_deleted and earlier.code in by_code:
                renamed[code] = earlier.code  # Its new code is another row's: neither row can be told apart.
            existing[code] = by_code.get(code) or earlier
        existing_ids = [provider.pk for provider in existing.values() if provider is not None]
        current = defaultdict(set)  # Provider → its accreditations that are current today.
        for provider_id, accreditation_id in (
            Accreditation.objects.kept()
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.today), starts_on__lte=self.today)
            .filter(provider__in=existing_ids)
            .values_list("provider_id", "id")
        ):
            current[provider_id].add(accreditation_id)
        with_address = set(
            Address.objects.kept().filter(provider__in=existing_ids).values_list("provider_id", flat=True)
        )
        with_accreditation = set(
            Accreditation.objects.kept().filter(provider__in=existing_ids).values_list("provider_id", flat=True)
        )
        years_of = defaultdict(list)
        through = Provider.academic_years.through
        for provider_id, year in through.objects.filter(provider__in=existing_ids).values_list(
            "provider_id", "academicyear_id"
        ):
            years_of[provider_id].append(year)
        register_ids = set(Provider.objects.values_list("register_id", flat=True))

        new, changed, years_changed = [], [], {}
        for source in self.sources:
            provider = existing[source.code]
            if source.code in renamed:
                self.problem(
                    source,
                    "row",
                    "code changed on the register",
                    f"the provider added for {source.code} has code {renamed[source.code]} on the register now",
                )
                continue
            if provider is not None and provider.is_deleted:
                self.problem(source, "row", "deleted from the register", f"{source.code} was deleted from the register")
                continue
            values = self._values(source, provider, current)
            if provider is None:
                pk = imported_id("provider", source.code)
                register_id = register_id_choose(
                    operating_name=source.operating_name,
                    onboarded_on=source.onboarded_on,
                    taken=register_ids.__contains__,
                )
                register_ids.add(register_id)
                provider = Provider(id=pk, code=source.code, register_id=register_id, **values)
                new.append(provider)
                self.taken[source.code] = provider
                continue

            if provider.pk in with_address:
                values["import_notes"] = [note for note in values["import_notes"] if note["field"] != "address"]
            if provider.pk in with_accreditation:
                values["import_notes"] = [note for note in values["import_notes"] if note["field"] != "accreditation"]
            differences = {name: value for name, value in values.items() if getattr(provider, name) != value}
            new_years = source.academic_years or sorted(years_of[provider.pk])
            years_differ = new_years != sorted(years_of[provider.pk])
            if provider.is_archived:
                if differences or years_differ:
                    self.problem(
                        source, "row", "archived on the register", f"{source.code} is archived, so it was not changed"
                    )
                continue
            self.taken[source.code] = provider
            if not differences and not years_differ:
                self.report.done["providers unchanged"] += 1
                continue
            for name, value in differences.items():
                setattr(provider, name, value)
            provider.updated_at = self.now
            changed.append(provider)
            if years_differ:
                years_changed[provider.pk] = new_years

        self._write(new, changed, years_changed)

    def _values(self, source: ProviderSource, provider: Provider | None, current: dict) -> dict:
        """The provider's answers from its row; for one on the register, its own where the row has none."""
        accreditation_id = self.accreditation_id(source) if source.accreditation else None
        accredited = bool(source.accreditation) and accreditation_is_current(
            source.accreditation.starts_on, source.accreditation.ends_on, self.today
        )
        if provider is not None:
            # Its other accreditations count too; the file's own one counts as the file has it.
            accredited = accredited or bool(current[provider.pk] - {accreditation_id})
        status, kind = accreditation_derived(source.provider_type, accredited=accredited)
        notes = list(source.notes)
        if source.source_status == AccreditationStatus.ACCREDITED and source.accreditation and not accredited:
            notes.append(
                {
                    "field": "accreditation_status",
                    "note": (
                        f"Accredited in {self.file}, but its accreditation is not current on "
                        f"{format_govuk_date(self.today)}, so it is not accredited"
                    ),
                }
            )
            self.report.notes["providers accredited in the file whose accreditation is not current"] += 1
        values = {
            "operating_name": source.operating_name,
            "legal_name": source.legal_name,
            "provider_type": kind,
            "accreditation_status": status,
            "ukprn": source.ukprn,
            "urn": source.urn,
            "onboarded_on": source.onboarded_on,
            "first_active_on": source.onboarded_on,
            "import_notes": notes,
        }
        if provider is not None:
            for name in ("legal_name", "ukprn", "urn", "onboarded_on", "first_active_on"):
                if not values[name]:
                    values[name] = getattr(provider, name)
            filled = {name for name in ("ukprn", "urn") if values[name]}
            values["import_notes"] = [note for note in notes if note["field"] not in filled]
        return values

    def _write(self, new: list[Provider], changed: list[Provider], years_changed: dict) -> None:
        # The search text is written with the names (it is made from them as it is read).
        fields = [*VALUES_FIELDS, "search_text", "updated_at"]
        write_records(Provider, new=new, changed=changed, fields=fields, reason=self.reason)
        add_academic_years(Provider, {p.pk: self.sources_by_code[p.code].academic_years for p in new})
        replace_academic_years(Provider, years_changed)
        snapshot_latest_history(Provider, [*new, *changed])
        self.report.done["providers added"] += len(new)
        self.report.done["providers changed"] += len(changed)

    def accreditation_id(self, source: ProviderSource) -> uuid.UUID:
        accreditation = source.accreditation
        return imported_id("accreditation", source.code, accreditation.number, accreditation.starts_on)

    def problem(self, source: ProviderSource, part: str, kind: str, reason: str) -> None:
        self.report.problem(self.file, source.row, part, kind, reason)
