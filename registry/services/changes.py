"""Recording, in the writer's transaction, which providers a write changed (`registry.models.change`).

Every write to the register passes through here: `save_with_history` for a person's or the
service's change, the import's bulk writes, and the seed. Each record written names the providers it
changes (a partnership both of its own) and what about them changed, the topic people are notified
about. See `registry.models.change` for how positions are handed out, and docs/architecture.md.
"""

import uuid
from collections.abc import Iterable

from django.db import connections, router, transaction

from accounts.permissions import SYSTEM
from registry.models import (
    Accreditation,
    Address,
    Contact,
    Partnership,
    Provider,
    ProviderAccessChange,
    ProviderChange,
    RegisterPosition,
)
from registry.services.published_providers import published_providers_write

Topic = ProviderChange.Topic
_BATCH_SIZE = 1000


def changed_providers(record) -> list[tuple[uuid.UUID, str]]:
    """(provider id, topic) for each provider that writing `record` changes; none for other records."""
    match record:
        case Provider():
            return [(record.pk, Topic.DETAILS)]
        case Accreditation():
            return [(record.provider_id, Topic.ACCREDITATIONS)]
        case Address():
            return [(record.provider_id, Topic.ADDRESSES)]
        case Contact():
            return [(record.provider_id, Topic.CONTACTS)]
        case Partnership():
            return [
                (record.accredited_provider_id, Topic.PARTNERSHIPS),
                (record.training_partner_id, Topic.PARTNERSHIPS),
            ]
        case ProviderAccessChange():
            return [(record.provider_id, Topic.USERS)]
    return []


PARTNER_UPDATED = "Partner updated"


def provider_changes_record(records: Iterable, *, actor, reason: str) -> int:
    """Record a change of each provider that writing `records` changed; how many were recorded.

    Call inside the transaction that writes them: the counter row stays locked until it commits.
    Each provider's document in the changes feed is published again at its last position here
    (`registry.services.published_providers`); a provider whose RoTP id, name or code changed shows
    in its partners' documents too, so each of its partners is recorded as changed as well (its
    partnerships, as they show, changed), with the reason "Partner updated".
    """
    actor_id = None if actor is SYSTEM or actor is None else actor.pk
    changes = [
        ProviderChange(
            provider_id=provider_id, topic=topic, reason=reason[:255], record_id=record.pk, actor_id=actor_id
        )
        for record in records
        for provider_id, topic in changed_providers(record)
    ]
    if not changes:
        return 0
    using = router.db_for_write(ProviderChange)
    _record(changes, using)
    renamed = published_providers_write(_latest_positions(changes), using=using)
    already = {change.provider_id for change in changes}
    partner_changes = [
        ProviderChange(
            provider_id=partner_id,
            topic=Topic.PARTNERSHIPS,
            reason=PARTNER_UPDATED,
            record_id=provider_id,
            actor_id=actor_id,
        )
        for provider_id, partner_ids in renamed.items()
        for partner_id in sorted(partner_ids - already)
    ]
    if partner_changes:
        _record(partner_changes, using)
        # Their own RoTP ids, names and codes are as they were: nobody else's document changes with them.
        published_providers_write(_latest_positions(partner_changes), using=using)
    return len(changes) + len(partner_changes)


def _record(changes: list[ProviderChange], using: str) -> None:
    last = _positions_taken(len(changes), using)
    for position, change in enumerate(changes, start=last - len(changes) + 1):
        change.position = position
    ProviderChange.objects.using(using).bulk_create(changes, batch_size=_BATCH_SIZE)


def _latest_positions(changes: list[ProviderChange]) -> dict[uuid.UUID, int]:
    """{provider id: its last position among `changes`}, where its document is published."""
    return {change.provider_id: change.position for change in changes}


def _positions_taken(count: int, using: str) -> int:
    """Take the next `count` positions; the last of them.

    One UPDATE, whose row lock is held until the transaction ends: the next writer waits here until
    this one has committed, so positions are committed in the order they are given.
    """
    if not connections[using].in_atomic_block:
        raise transaction.TransactionManagementError("Changes are recorded in the transaction that makes them.")
    table = connections[using].ops.quote_name(RegisterPosition._meta.db_table)
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + %s WHERE id = 1 RETURNING last", [count])
        row = cursor.fetchone()
    if row is None:
        # The counter row is made by the migration; a database emptied since (a flush) has none.
        RegisterPosition.objects.using(using).get_or_create(pk=1)
        return _positions_taken(count, using)
    return row[0]


def last_position(using: str | None = None) -> int:
    """The highest position committed so far (0 before any change)."""
    return RegisterPosition.objects.using(using).filter(pk=1).values_list("last", flat=True).first() or 0
