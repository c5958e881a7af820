"""Taking the partnerships file's rows into the register, row by row, then writing them in bulk.

A partnership is matched on its two providers and start date or, when the register has since
changed its start date, as the partnership an earlier import added; a new one is added and one on
the register gets the file's end date and academic years. A row is reported, and left out, when a
code is not on the register, when it repeats an earlier row, when the partnership was deleted, or
when it would change a partnership with an archived provider.
"""

from collections import defaultdict

from django.utils import timezone

from registry.importing.bulk_writes import (
    add_academic_years,
    replace_academic_years,
    snapshot_latest_history,
    write_records,
)
from registry.importing.imported_ids import imported_id
from registry.importing.partnership_sources import PartnershipSource
from registry.importing.report import ImportReport
from registry.models import Partnership, Provider


class PartnershipImport:
    """The partnerships file's rows: which partnership each is, whether it can be taken, and the writes."""

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

        write_records(Partnership, new=new, changed=changed, fields=["ends_on", "updated_at"], reason=self.reason)
        add_academic_years(Partnership, new_years)
        replace_academic_years(Partnership, years_changed)
        snapshot_latest_history(Partnership, [*new, *changed])
        self.report.done["partnerships added"] += len(new)
        self.report.done["partnerships changed"] += len(changed)
