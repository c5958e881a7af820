"""Taking the address on each provider row a ProviderImport took.

An address is matched on its provider, postcode and first line (or as the one an earlier import
added): a new one is added and one on the register is brought into line with the file. One a
support user deleted stays deleted, and the row is reported.
"""

import uuid

from registry.importing.bulk_writes import write_records
from registry.importing.imported_ids import imported_id
from registry.importing.provider_import import ProviderImport
from registry.importing.provider_sources import AddressSource, ProviderSource
from registry.models import Address, Provider


class AddressImport:
    """The addresses of the providers a ProviderImport took, matched on postcode and first line."""

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

    def __init__(self, providers: ProviderImport):
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
                self.providers.problem(
                    source, "address", "deleted in the register", "the address was deleted in the register"
                )
            elif differences := {name: value for name, value in values.items() if getattr(existing, name) != value}:
                for name, value in differences.items():
                    setattr(existing, name, value)
                existing.updated_at = self.providers.now
                changed.append(existing)
        write_records(
            Address, new=new, changed=changed, fields=[*self.fields, "updated_at"], reason=self.providers.reason
        )
        self.providers.report.done["addresses added"] += len(new)
        self.providers.report.done["addresses changed"] += len(changed)
