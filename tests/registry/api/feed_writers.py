"""A writer process for tests/registry/api/test_changes_feed_consistency.py: random changes of every kind.

    python -m tests.registry.api.feed_writers --seed 1 --changes 500 --actor <user id>

Run with DATABASE_URL naming the test's database. Makes `--changes` successful changes through the
register's services, as a support user would, each chosen at random (from `--seed`) among the
providers and records there are now, which the other writer is changing too: details, archiving,
restoring and deleting providers, adding new ones, and adding, changing and deleting accreditations,
addresses, contacts and partnerships (between any accredited provider and any other). A change the
service refuses (the provider is archived or gone, a code or email is taken, dates overlap, a
deadlock between the two writers) is counted as refused, and another is tried. Prints what it did,
as JSON, on its last line.
"""

import argparse
import collections
import datetime
import json
import os
import random
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--changes", type=int, required=True)
    parser.add_argument("--actor", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    print(json.dumps(_write(random.Random(args.seed), args.changes, args.actor)), flush=True)
    return 0


def _write(rng: random.Random, wanted: int, actor_id: str) -> dict:
    from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
    from django.db import DatabaseError

    from accounts.models import User

    actor = User.objects.get(pk=actor_id)
    made = collections.Counter()
    refused = collections.Counter()
    changes = _changes(rng, actor)
    names = list(changes)
    weights = [changes[name][0] for name in names]
    while sum(made.values()) < wanted:
        name = rng.choices(names, weights)[0]
        try:
            if changes[name][1]() is False:
                continue  # nothing to change of that kind just now
            made[name] += 1
        except (ValidationError, ObjectDoesNotExist, PermissionDenied, DatabaseError) as error:
            refused[f"{name}: {type(error).__name__}"] += 1
    return {"made": dict(made), "refused": dict(refused)}


def _changes(rng: random.Random, actor) -> dict:
    """{kind of change: (weight, a function making one, or False if there is nothing to make it to)}."""
    from registry.models import Accreditation, Address, Contact, Partnership, Provider
    from registry.models.provider import AccreditationStatus, ProviderType
    from registry.services import accreditations, addresses, contacts, partnerships, providers

    def any_of(queryset):
        found = list(queryset.order_by("pk"))
        return rng.choice(found) if found else None

    def open_provider():
        return any_of(Provider.objects.kept().filter(archived_at__isnull=True))

    def word() -> str:
        return rng.choice(["North", "South", "Oak", "Elm", "Bridge", "Vale", "Park", "Hill"])

    def code() -> str:
        return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(3))

    def when() -> datetime.date:
        return datetime.date(2025, 8, 1) + datetime.timedelta(days=rng.randrange(0, 300))

    def maybe(make):
        def attempt():
            return make() is not False

        return attempt

    def provider_change():
        provider = open_provider()
        if provider is None:
            return False
        answer = rng.choice(["operating_name", "code", "ukprn"])
        value = {"operating_name": f"{word()} {word()} Teaching School", "code": code()}.get(answer)
        value = value or f"1{rng.randrange(10**7):07d}"
        providers.provider_update(actor=actor, provider=provider, changes={answer: value})

    def provider_add():
        providers.provider_create(
            actor=actor,
            operating_name=f"{word()} {word()} Teaching School",
            provider_type=ProviderType.SCHOOL,
            accreditation_status=AccreditationStatus.UNACCREDITED,
            code=code(),
            ukprn=f"1{rng.randrange(10**7):07d}",
            urn=str(rng.randrange(100_000, 999_999)),
        )

    def archive():
        provider = open_provider()
        return False if provider is None else providers.provider_archive(actor=actor, provider=provider)

    def restore():
        provider = any_of(Provider.objects.kept().filter(archived_at__isnull=False))
        return False if provider is None else providers.provider_restore(actor=actor, provider=provider)

    def delete():
        provider = any_of(Provider.objects.kept().filter(archived_at__isnull=False))
        return False if provider is None else providers.provider_delete(actor=actor, provider=provider)

    def record_of(model):
        return any_of(model.objects.kept().filter(provider__deleted_at__isnull=True))

    def address_add():
        provider = open_provider()
        if provider is None:
            return False
        addresses.address_create(
            actor=actor,
            provider=provider,
            address_line_1=f"{rng.randrange(1, 99)} {word()} Road",
            town_or_city=word(),
            postcode="LS1 1AA",
        )

    def address_change():
        address = record_of(Address)
        if address is None:
            return False
        addresses.address_update(actor=actor, address=address, changes={"town_or_city": f"{word()}ton"})

    def address_remove():
        address = record_of(Address)
        return False if address is None else addresses.address_delete(actor=actor, address=address)

    def contact_add():
        provider = open_provider()
        if provider is None:
            return False
        contacts.contact_create(
            actor=actor,
            provider=provider,
            first_name=word(),
            last_name=word(),
            email=f"{word().lower()}.{rng.randrange(10**6)}@example.com",
        )

    def contact_change():
        contact = record_of(Contact)
        return (
            False
            if contact is None
            else contacts.contact_update(actor=actor, contact=contact, changes={"last_name": word()})
        )

    def contact_remove():
        contact = record_of(Contact)
        return False if contact is None else contacts.contact_delete(actor=actor, contact=contact)

    def accreditation_add():
        provider = any_of(
            Provider.objects.kept().filter(
                archived_at__isnull=True, accreditation_status=AccreditationStatus.ACCREDITED
            )
        )
        if provider is None:
            return False
        accreditations.accreditation_create(
            actor=actor, provider=provider, number=f"5{rng.randrange(1000):03d}", starts_on=datetime.date(2024, 8, 1)
        )

    def accreditation_change():
        accreditation = record_of(Accreditation)
        return (
            False
            if accreditation is None
            else accreditations.accreditation_update(
                actor=actor, accreditation=accreditation, changes={"number": f"5{rng.randrange(1000):03d}"}
            )
        )

    def accreditation_remove():
        accreditation = record_of(Accreditation)
        return (
            False
            if accreditation is None
            else accreditations.accreditation_delete(actor=actor, accreditation=accreditation)
        )

    def partnership_add():
        accredited = any_of(
            Provider.objects.kept().filter(
                archived_at__isnull=True, accreditation_status=AccreditationStatus.ACCREDITED
            )
        )
        partner = any_of(
            Provider.objects.kept().filter(
                archived_at__isnull=True, accreditation_status=AccreditationStatus.UNACCREDITED
            )
        )
        if accredited is None or partner is None:
            return False
        partnerships.partnership_create(
            actor=actor,
            accredited_provider=accredited,
            training_partner=partner,
            starts_on=when(),
            academic_years=[2025],
        )

    def partnership_change():
        partnership = any_of(Partnership.objects.kept())
        return (
            False
            if partnership is None
            else partnerships.partnership_update(
                actor=actor, partnership=partnership, changes={"ends_on": datetime.date(2026, 7, 31)}
            )
        )

    def partnership_remove():
        partnership = any_of(Partnership.objects.kept())
        return False if partnership is None else partnerships.partnership_delete(actor=actor, partnership=partnership)

    return {
        "provider changed": (8, maybe(provider_change)),
        "provider added": (2, maybe(provider_add)),
        "provider archived": (3, maybe(archive)),
        "provider restored": (2, maybe(restore)),
        "provider deleted": (1, maybe(delete)),
        "address added": (5, maybe(address_add)),
        "address changed": (4, maybe(address_change)),
        "address deleted": (2, maybe(address_remove)),
        "contact added": (5, maybe(contact_add)),
        "contact changed": (4, maybe(contact_change)),
        "contact deleted": (2, maybe(contact_remove)),
        "accreditation added": (2, maybe(accreditation_add)),
        "accreditation changed": (2, maybe(accreditation_change)),
        "accreditation deleted": (1, maybe(accreditation_remove)),
        "partnership added": (5, maybe(partnership_add)),
        "partnership changed": (3, maybe(partnership_change)),
        "partnership deleted": (2, maybe(partnership_remove)),
    }


if __name__ == "__main__":
    sys.exit(main())
