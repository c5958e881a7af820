"""Keeping the changes feed true: each provider's API document, at the position it last changed.

`registry.services.changes.provider_changes_record` calls this in the writer's transaction, once it
holds the positions it was given. The documents are read only then, on purpose: the counter row's
lock is held by every writer that took positions before, until it commits, so by now all of them
have committed, and each query here (PostgreSQL reads committed data as each query starts) sees
their changes as well as this transaction's own. A writer that changes the same provider later
reads this one's changes in turn, so the last document written for a provider holds every change
committed before it. A writer that has changed a provider's records but not yet taken positions
will write the document again when it does.

A document that comes out as it was is left where it is (a change the API does not show, such as
who may see the provider): followers are not sent it again.
"""

import uuid

import msgspec
from django.utils import timezone

from registry.api import schemas
from registry.api.documents import BATCH_SIZE, provider_documents
from registry.api.schemas import encoder
from registry.models import Partnership, Provider, PublishedProvider

_WRITTEN_FIELDS = ["position", "changed_at", "archived", "deleted", "document"]


class _Reference(msgspec.Struct):
    """What a provider's partners' documents show of it (schemas.ProviderReference), read from its own."""

    rotp_id: str
    operating_name: str
    code: str


_reference_decoder = msgspec.json.Decoder(_Reference)


def published_providers_write(
    positions: dict[uuid.UUID, int], *, using: str, changed_at: dict | None = None
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Publish the current document of each provider in `positions` at its position there, changed
    now (or at its time in `changed_at`).

    Returns, for each provider whose RoTP id, name or code this changed, its partners' ids: their
    documents show those too, so they must be published again (`provider_changes_record` does).
    """
    renamed: dict[uuid.UUID, set[uuid.UUID]] = {}
    ids = list(positions)
    now = timezone.now()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        documents = provider_documents(batch)
        published = dict(
            PublishedProvider.objects.using(using).filter(provider_id__in=batch).values_list("provider_id", "document")
        )
        rows = []
        for provider_id in batch:
            detail = documents.get(provider_id)
            document = b"" if detail is None else encoder.encode(detail)
            before = published.get(provider_id)
            if before is not None and bytes(before) == document:
                continue
            rows.append(
                PublishedProvider(
                    provider_id=provider_id,
                    position=positions[provider_id],
                    changed_at=(changed_at or {}).get(provider_id, now),
                    archived=detail is not None and detail.archived_at is not None,
                    deleted=detail is None,
                    document=document,
                )
            )
            if before and detail is not None and detail.partnerships and _reference_changed(bytes(before), detail):
                renamed[provider_id] = {partnership.partner.id for partnership in detail.partnerships}
        PublishedProvider.objects.using(using).bulk_create(
            rows, update_conflicts=True, unique_fields=["provider"], update_fields=_WRITTEN_FIELDS
        )
    return renamed


def _reference_changed(before: bytes, detail: schemas.ProviderDetail) -> bool:
    was = _reference_decoder.decode(before)
    return (was.rotp_id, was.operating_name, was.code) != (detail.rotp_id, detail.operating_name, detail.code)


def published_providers_refresh(model, record_ids, *, using: str) -> None:
    """Publish again, at the positions they hold, the providers of records just written past save().

    For the import's academic years, linked after its records were written and recorded: the
    providers' positions were given in this same transaction, which has not committed, so no
    follower has read them, and the documents can be brought up to date where they are.
    """
    record_ids = list(record_ids)
    if not record_ids:
        return
    if model is Provider:
        provider_ids = set(record_ids)
    elif model is Partnership:
        provider_ids = set()
        for pair in (
            Partnership.objects.using(using)
            .filter(pk__in=record_ids)
            .values_list("accredited_provider_id", "training_partner_id")
        ):
            provider_ids.update(pair)
    else:
        raise ValueError(f"{model.__name__} has no academic years")
    positions = dict(
        PublishedProvider.objects.using(using)
        .filter(provider_id__in=provider_ids)
        .values_list("provider_id", "position")
    )
    published_providers_write(positions, using=using)


def published_providers_backfill(*, using: str, first_position: int) -> int:
    """Publish every provider on a register that has none published, from `first_position` on; how many.

    For a database the feed is added to (the migration that adds it): each provider once, in the
    order it last changed, deleted ones as tombstones, dated when each last changed.
    """
    rows = list(Provider._base_manager.using(using).order_by("updated_at", "id").values_list("id", "updated_at"))
    positions = {provider_id: first_position + index for index, (provider_id, _) in enumerate(rows)}
    published_providers_write(positions, using=using, changed_at=dict(rows))
    return len(rows)
