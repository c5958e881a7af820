"""Taking the accreditation on each provider row a ProviderImport took.

An accreditation is matched on its provider, number and start date (or as the one an earlier import
added): a new one is added and one on the register gets the file's end date. One a support user
deleted stays deleted, and the row is reported. The provider's accreditation status was already
decided, from the accreditation as the file has it.
"""

import uuid

from registry.importing.bulk_writes import write_records
from registry.importing.provider_import import ProviderImport
from registry.importing.provider_sources import AccreditationSource, ProviderSource
from registry.models import Accreditation, Provider


class AccreditationImport:
    """The accreditations of the providers a ProviderImport took, matched on number and start date."""

    def __init__(self, providers: ProviderImport):
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
                self.providers.problem(
                    source, "accreditation", "deleted in the register", "the accreditation was deleted in the register"
                )
            elif existing.ends_on != accreditation.ends_on:
                existing.ends_on = accreditation.ends_on
                existing.updated_at = self.providers.now
                changed.append(existing)
        write_records(
            Accreditation, new=new, changed=changed, fields=["ends_on", "updated_at"], reason=self.providers.reason
        )
        self.providers.report.done["accreditations added"] += len(new)
        self.providers.report.done["accreditations changed"] += len(changed)
