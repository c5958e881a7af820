"""Importing the register's providers and partnerships from the DfE's files, in bulk, with history.

What it does with each row:

- A provider is matched on its code. A new one gets an id made from its code (so every import of
  the same files makes the same rows) and a RoTP id; one already on the register is brought into
  line with the file, except that a value the file lacks never blanks one the register has.
- Its accreditation (matched on number and start date) and address are added, or brought into
  line; its active academic years are the file's.
- Its accreditation status follows its accreditations as of `today`, as everywhere in the
  register: the file's status only decides its type, with "scitt + unaccredited" taken as a school.
- A partnership is matched on its two providers and start date.
- A row, or part of a row, breaking a rule is reported, and the provider gets an import note.

Archived and deleted records are left as they are: a re-import does not undo a support user's
decision. History rows are written in bulk, attributed to no user, with the reason "Imported from
{file name}"; a second run over the same files changes nothing and writes no history.
"""

import datetime
import uuid
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from registry.forms.base import format_govuk_date
from registry.importing.report import ImportReport
from registry.importing.sources import (
    AccreditationSource,
    AddressSource,
    PartnershipSource,
    ProviderSource,
    read_partnerships,
    read_providers,
)
from registry.models import AcademicYear, Accreditation, Address, Partnership, Provider
from registry.models.provider import AccreditationStatus
from registry.register_version import register_changed
from registry.services.academic_years import academic_years_ensure
from registry.services.history import history_m2m_snapshot
from registry.services.register_ids import register_id_choose
from registry.validators import accreditation_derived, accreditation_is_current

# Ids of imported rows are made from what identifies them in the files, in this namespace.
IMPORT_NAMESPACE = uuid.UUID("5b0b2a8e-6c2f-4e8a-9d4c-0f1e7c3a2b61")
BATCH_SIZE = 500


def imported_id(*parts) -> uuid.UUID:
    return uuid.uuid5(IMPORT_NAMESPACE, "|".join(str(part) for part in parts))


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

    importer = _ProviderImport(provider_sources, report, reason=import_reason(providers_path), today=today)
    importer.run()
    _PartnershipImport(partnership_sources, report, reason=import_reason(partnerships_path)).run()
    # Written in bulk, past the models' save(): say so once for the whole import.
    register_changed()
    return report


class _ProviderImport:
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
                self._problem(
                    source,
                    "row",
                    "code changed on the register",
                    f"the provider added for {source.code} has code {renamed[source.code]} on the register now",
                )
                continue
            if provider is not None and provider.is_deleted:
                self._problem(
                    source, "row", "deleted from the register", f"{source.code} was deleted from the register"
                )
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
                    self._problem(
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
        _AccreditationImport(self).run()
        _AddressImport(self).run()

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
        through = Provider.academic_years.through
        if new:
            bulk_create_with_history(new, Provider, batch_size=BATCH_SIZE, default_change_reason=self.reason)
            through.objects.bulk_create(
                [
                    through(provider_id=provider.pk, academicyear_id=year)
                    for provider in new
                    for year in self.sources_by_code[provider.code].academic_years
                ],
                batch_size=BATCH_SIZE,
            )
        if changed:
            fields = [*self._values_fields, "updated_at"]
            bulk_update_with_history(
                changed, Provider, fields, batch_size=BATCH_SIZE, default_change_reason=self.reason
            )
            for provider_id, years in years_changed.items():
                through.objects.filter(provider_id=provider_id).exclude(academicyear_id__in=years).delete()
                have = set(through.objects.filter(provider_id=provider_id).values_list("academicyear_id", flat=True))
                through.objects.bulk_create(
                    [through(provider_id=provider_id, academicyear_id=year) for year in years if year not in have]
                )
        _snapshot_latest_history(Provider, [*new, *changed])
        self.report.done["providers added"] += len(new)
        self.report.done["providers changed"] += len(changed)

    _values_fields = (
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

    def accreditation_id(self, source: ProviderSource) -> uuid.UUID:
        accreditation = source.accreditation
        return imported_id("accreditation", source.code, accreditation.number, accreditation.starts_on)

    def _problem(self, source: ProviderSource, part: str, kind: str, reason: str) -> None:
        self.report.problem(self.file, source.row, part, kind, reason)


class _AccreditationImport:
    def __init__(self, providers: _ProviderImport):
        self.providers = providers

    def run(self) -> None:
        wanted: dict[uuid.UUID, tuple[Provider, ProviderSource, AccreditationSource]] = {}
        for code, provider in self.providers.taken.items():
            source = self.providers.sources_by_code[code]
            if source.accreditation:
                wanted[self.providers.accreditation_id(source)] = (provider, source, source.accreditation)
        by_id = {a.pk: a for a in Accreditation.objects.filter(pk__in=list(wanted))}
        by_key = {
            (a.provider_id, a.number, a.starts_on): a
            for a in Accreditation.objects.kept().filter(provider__in=[p.pk for p, _, _ in wanted.values()])
        }
        new, changed = [], []
        for pk, (provider, source, accreditation) in wanted.items():
            existing = by_id.get(pk) or by_key.get((provider.pk, accreditation.number, accreditation.starts_on))
            if existing is None:
                new.append(
                    Accreditation(
                        id=pk,
                        provider=provider,
                        number=accreditation.number,
                        starts_on=accreditation.starts_on,
                        ends_on=accreditation.ends_on,
                    )
                )
            elif existing.is_deleted:
                self.providers._problem(
                    source, "accreditation", "deleted in the register", "the accreditation was deleted in the register"
                )
            elif existing.ends_on != accreditation.ends_on:
                existing.ends_on = accreditation.ends_on
                existing.updated_at = self.providers.now
                changed.append(existing)
        reason = self.providers.reason
        if new:
            bulk_create_with_history(new, Accreditation, batch_size=BATCH_SIZE, default_change_reason=reason)
        if changed:
            bulk_update_with_history(
                changed, Accreditation, ["ends_on", "updated_at"], batch_size=BATCH_SIZE, default_change_reason=reason
            )
        self.providers.report.done["accreditations added"] += len(new)
        self.providers.report.done["accreditations changed"] += len(changed)


class _AddressImport:
    fields = (
        "address_line_1",
        "address_line_2",
        "address_line_3",
        "town_or_city",
        "county",
        "postcode",
        "uprn",
        "latitude",
        "longitude",
    )

    def __init__(self, providers: _ProviderImport):
        self.providers = providers

    def run(self) -> None:
        wanted: dict[uuid.UUID, tuple[Provider, ProviderSource, AddressSource]] = {}
        for code, provider in self.providers.taken.items():
            source = self.providers.sources_by_code[code]
            if source.address:
                wanted[imported_id("address", code)] = (provider, source, source.address)
        by_id = {a.pk: a for a in Address.objects.filter(pk__in=list(wanted))}
        by_key = {
            (a.provider_id, a.postcode, a.address_line_1): a
            for a in Address.objects.kept().filter(provider__in=[p.pk for p, _, _ in wanted.values()])
        }
        new, changed = [], []
        for pk, (provider, source, address) in wanted.items():
            values = {name: getattr(address, name) for name in self.fields}
            existing = by_id.get(pk) or by_key.get((provider.pk, address.postcode, address.address_line_1))
            if existing is None:
                new.append(Address(id=pk, provider=provider, **values))
            elif existing.is_deleted:
                self.providers._problem(
                    source, "address", "deleted in the register", "the address was deleted in the register"
                )
            elif differences := {name: value for name, value in values.items() if getattr(existing, name) != value}:
                for name, value in differences.items():
                    setattr(existing, name, value)
                existing.updated_at = self.providers.now
                changed.append(existing)
        reason = self.providers.reason
        if new:
            bulk_create_with_history(new, Address, batch_size=BATCH_SIZE, default_change_reason=reason)
        if changed:
            bulk_update_with_history(
                changed, Address, [*self.fields, "updated_at"], batch_size=BATCH_SIZE, default_change_reason=reason
            )
        self.providers.report.done["addresses added"] += len(new)
        self.providers.report.done["addresses changed"] += len(changed)


class _PartnershipImport:
    def __init__(self, sources: list[PartnershipSource], report: ImportReport, *, reason: str):
        self.sources = sources
        self.report = report
        self.reason = reason
        self.file = reason.removeprefix("Imported from ")
        self.now = timezone.now()

    def _problem(self, source: PartnershipSource, kind: str, reason: str) -> None:
        self.report.problem(self.file, source.row, "row", kind, reason)

    def run(self) -> None:
        codes = {code for s in self.sources for code in (s.accredited_provider_code, s.training_partner_code)}
        providers = {provider.code.upper(): provider for provider in Provider.objects.kept().filter(code__in=codes)}
        wanted_ids = [
            imported_id("partnership", s.accredited_provider_code, s.training_partner_code, s.starts_on)
            for s in self.sources
        ]
        by_key = {
            (p.accredited_provider_id, p.training_partner_id, p.starts_on): p
            for p in Partnership.objects.kept().filter(accredited_provider__code__in=codes)
        }
        by_id = {p.pk: p for p in Partnership.objects.filter(pk__in=wanted_ids)}
        through = Partnership.academic_years.through
        years_of = defaultdict(list)
        candidates = {p.pk for p in by_key.values()} | set(by_id)
        for partnership_id, year in through.objects.filter(partnership__in=candidates).values_list(
            "partnership_id", "academicyear_id"
        ):
            years_of[partnership_id].append(year)

        new, new_years, changed, years_changed, seen = [], {}, [], {}, {}
        for source, pk in zip(self.sources, wanted_ids, strict=True):
            accredited = providers.get(source.accredited_provider_code)
            partner = providers.get(source.training_partner_code)
            unknown = [
                code
                for code, p in ((source.accredited_provider_code, accredited), (source.training_partner_code, partner))
                if p is None
            ]
            if unknown:
                self._problem(
                    source,
                    "provider code not on the register",
                    f"no provider on the register has code {' or '.join(unknown)}",
                )
                continue
            key = (accredited.pk, partner.pk, source.starts_on)
            if key in seen:
                self._problem(source, "repeated", f"the same partnership is on row {seen[key]}")
                continue
            seen[key] = source.row
            # Matched on its two providers and start date or, when the register has since changed its
            # start date, as the partnership an earlier import added.
            existing = by_key.get(key) or by_id.get(pk)
            if existing is not None and existing.is_deleted:
                self._problem(source, "deleted in the register", "the partnership was deleted in the register")
                continue
            years_differ = existing is not None and sorted(years_of[existing.pk]) != source.academic_years
            if existing is not None and existing.ends_on == source.ends_on and not years_differ:
                self.report.done["partnerships unchanged"] += 1
                continue
            if archived := [p.code for p in (accredited, partner) if p.is_archived]:
                self._problem(
                    source,
                    "provider archived",
                    f"{' and '.join(archived)} {'is' if len(archived) == 1 else 'are'} archived, so it was not changed",
                )
                continue
            if not accredited.is_accredited or partner.is_accredited:
                self.report.notes[
                    "partnerships whose providers' accreditation status today does not fit their side"
                ] += 1
            if existing is None:
                new.append(
                    Partnership(
                        id=pk,
                        accredited_provider=accredited,
                        training_partner=partner,
                        starts_on=source.starts_on,
                        ends_on=source.ends_on,
                    )
                )
                new_years[pk] = source.academic_years
                continue
            existing.ends_on = source.ends_on
            existing.updated_at = self.now
            changed.append(existing)
            if years_differ:
                years_changed[existing.pk] = source.academic_years

        if new:
            bulk_create_with_history(new, Partnership, batch_size=BATCH_SIZE, default_change_reason=self.reason)
            through.objects.bulk_create(
                [through(partnership_id=pk, academicyear_id=year) for pk, years in new_years.items() for year in years],
                batch_size=BATCH_SIZE,
            )
        if changed:
            bulk_update_with_history(
                changed,
                Partnership,
                ["ends_on", "updated_at"],
                batch_size=BATCH_SIZE,
                default_change_reason=self.reason,
            )
            for partnership_id, years in years_changed.items():
                through.objects.filter(partnership_id=partnership_id).delete()
                through.objects.bulk_create([through(partnership_id=partnership_id, academicyear_id=y) for y in years])
        _snapshot_latest_history(Partnership, [*new, *changed])
        self.report.done["partnerships added"] += len(new)
        self.report.done["partnerships changed"] += len(changed)


def _snapshot_latest_history(model, instances: list) -> None:
    """Give the history rows just written for `instances` their many-to-many snapshot."""
    history = model.history.model
    for start in range(0, len(instances), BATCH_SIZE):
        batch = {instance.pk: instance for instance in instances[start : start + BATCH_SIZE]}
        latest = {}
        for record in history.objects.filter(id__in=list(batch)).order_by("history_id"):
            latest[record.id] = record
        history_m2m_snapshot((latest[pk], instance) for pk, instance in batch.items() if pk in latest)
