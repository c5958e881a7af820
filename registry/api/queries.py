"""What the API reads from the register: few queries, only the columns it sends, in a stable order.

Lists are paged by keyset on (updated_at, id), which the index `*_changed_idx` serves, so the last
page of a long list costs what the first does. Each page of a list has a fingerprint, a cheap
summary of the rows on it, from which its ETag is made: a request whose If-None-Match matches gets
304 after the fingerprint query alone, without the page being built. The fingerprints rely on what
`changed_since` relies on too: every change to a record, soft deletion and archiving included, sets
its `updated_at` (`auto_now`), and records are never deleted for real.

A provider's document draws on six tables, so its ETag is the hash of the document itself: a
summary of all six in one query cost as much to build as the document (registry.api.views).
"""

import datetime
import hashlib
import uuid

import msgspec
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

from registry.api import schemas
from registry.api.documents import PARTNER_COLUMNS, kept_partnerships, partnership_years, provider_documents, reference
from registry.models import Provider, PublishedProvider
from registry.selectors import provider_search

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# A cursor is the (updated_at, id) of the last row of the page before: microseconds since 1970 and
# the id in hex. Any string of this form is a place in the list, so any such cursor is valid.
CURSOR_PATTERN = r"^[0-9]{1,16}\.[0-9a-f]{32}$"


# ---------------------------------------------------------------------------------------------------
# Keyset pages
# ---------------------------------------------------------------------------------------------------


def cursor_encode(updated_at: datetime.datetime, row_id: uuid.UUID) -> str:
    microseconds = (updated_at - EPOCH) // datetime.timedelta(microseconds=1)
    return f"{microseconds}.{row_id.hex}"


def cursor_decode(cursor: str) -> tuple[datetime.datetime, uuid.UUID]:
    """The place a cursor names. Only ever given a cursor that matches CURSOR_PATTERN."""
    microseconds, row_id = cursor.split(".")
    return EPOCH + datetime.timedelta(microseconds=int(microseconds)), uuid.UUID(hex=row_id)


def _after(queryset, cursor: str | None):
    """The rows after the cursor's place, in (updated_at, id) order.

    A row comparison, `(updated_at, id) > (t, id)`, which both databases answer by seeking straight
    to the place in the (updated_at, id) index. (Django's own lookups for composite keys.)
    """
    if cursor:
        queryset = queryset.filter(TupleGreaterThan(Tuple(F("updated_at"), F("id")), cursor_decode(cursor)))
    return queryset.order_by("updated_at", "id")


def fingerprint(*parts) -> str:
    """A short hash of `parts` (ids, times, numbers, text, and lists of them)."""
    return hashlib.sha256(msgspec.msgpack.encode(parts)).hexdigest()[:40]


def etag(fingerprint: str) -> str:
    return f'"{fingerprint}"'


# ---------------------------------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------------------------------


# The columns of schemas.ProviderSummary, in its order. Plain columns (no expressions), which the ORM
# compiles fastest; blanks become null as the rows are turned into Structs.
_PROVIDER_SUMMARY_COLUMNS = (
    "id",
    "register_id",
    "operating_name",
    "legal_name",
    "provider_type",
    "accreditation_status",
    "ukprn",
    "urn",
    "code",
    "archived_at",
    "updated_at",
)
assert len(_PROVIDER_SUMMARY_COLUMNS) == len(schemas.ProviderSummary.__struct_fields__)


def _provider_summary(row) -> schemas.ProviderSummary:
    provider_id, rotp_id, operating_name, legal_name, provider_type, status, ukprn, urn, code, archived, updated = row
    return schemas.ProviderSummary(
        provider_id,
        rotp_id,
        operating_name,
        legal_name or None,
        provider_type,
        status,
        ukprn or None,
        urn or None,
        code,
        archived,
        updated,
    )


def providers_filtered(params: dict):
    """Kept providers, as the list's filters ask; archived ones only if asked for (by default, with `changed_since`).

    `q` is the register's one search (`registry.selectors.provider_search`), the admin list's too.
    """
    conditions = {"deleted_at__isnull": True}
    changed_since = params.get("changed_since")
    include_archived = params.get("include_archived")
    if not (changed_since is not None if include_archived is None else include_archived):
        conditions["archived_at__isnull"] = True
    if params.get("academic_year") is not None:
        conditions["academic_years"] = params["academic_year"]
    if params.get("provider_type"):
        conditions["provider_type"] = params["provider_type"]
    if params.get("accreditation_status"):
        conditions["accreditation_status"] = params["accreditation_status"]
    providers = Provider.objects.filter(**conditions)
    if changed_since is not None:
        # Changed as the changes feed counts it: its published document changed (an address, say),
        # or, for a provider not yet published, its own row.
        published = PublishedProvider.objects.filter(changed_at__gte=changed_since).values("provider_id")
        providers = providers.filter(Q(updated_at__gte=changed_since) | Q(pk__in=published))
    search = provider_search(params.get("q") or "")
    return providers if search is None else providers.filter(search)


def provider_page(params: dict) -> tuple[list[schemas.ProviderSummary], bool, str]:
    """A page of the provider list (one query): its rows, whether more follow, and its fingerprint."""
    size = params["page_size"]
    rows = list(
        _after(providers_filtered(params), params.get("cursor")).values_list(*_PROVIDER_SUMMARY_COLUMNS)[: size + 1]
    )
    has_next = len(rows) > size
    rows = rows[:size]
    summary = fingerprint(has_next, [(row[0], row[-1]) for row in rows])
    return [_provider_summary(row) for row in rows], has_next, summary


def provider_page_fingerprint(params: dict) -> str:
    """The fingerprint `provider_page` would give, from the ids and times alone (one query)."""
    size = params["page_size"]
    rows = list(_after(providers_filtered(params), params.get("cursor")).values_list("id", "updated_at")[: size + 1])
    return fingerprint(len(rows) > size, rows[:size])


def provider_detail(provider_id) -> schemas.ProviderDetail | None:
    """A kept provider with everything about it (at most 7 queries, whatever it has); None if none.

    Built by the same code as the changes feed's documents (registry.api.documents).
    """
    return provider_documents([provider_id]).get(provider_id)


# ---------------------------------------------------------------------------------------------------
# Partnerships
# ---------------------------------------------------------------------------------------------------


def partnerships_filtered(params: dict):
    partnerships = kept_partnerships()
    if params.get("changed_since") is not None:
        partnerships = partnerships.filter(updated_at__gte=params["changed_since"])
    if params.get("academic_year") is not None:
        partnerships = partnerships.filter(academic_years=params["academic_year"])
    if params.get("provider_id") is not None:
        partnerships = partnerships.filter(
            Q(accredited_provider_id=params["provider_id"]) | Q(training_partner_id=params["provider_id"])
        )
    return partnerships


def partnership_page(params: dict) -> tuple[list[schemas.Partnership], bool, str]:
    """A page of partnerships (two queries: the page, and its academic years)."""
    size = params["page_size"]
    rows = list(
        _after(partnerships_filtered(params), params.get("cursor")).values_list(
            "id",
            "starts_on",
            "ends_on",
            "updated_at",
            *(f"accredited_provider__{column}" for column in PARTNER_COLUMNS),
            *(f"training_partner__{column}" for column in PARTNER_COLUMNS),
            "accredited_provider__updated_at",
            "training_partner__updated_at",
        )[: size + 1]
    )
    has_next = len(rows) > size
    rows = rows[:size]
    years = partnership_years([row[0] for row in rows])
    summary = fingerprint(has_next, [(row[0], row[3], row[-2], row[-1], years.get(row[0], [])) for row in rows])
    page = [
        schemas.Partnership(
            id=row[0],
            accredited_provider=reference(*row[4:8]),
            training_partner=reference(*row[8:12]),
            starts_on=row[1],
            ends_on=row[2],
            academic_years=years.get(row[0], []),
            updated_at=row[3],
        )
        for row in rows
    ]
    return page, has_next, summary


# ---------------------------------------------------------------------------------------------------
# The changes feed
# ---------------------------------------------------------------------------------------------------


class _EncodedChange(msgspec.Struct):
    """schemas.Change, with the provider's document as the bytes the write path published."""

    position: int
    id: uuid.UUID
    deleted: bool
    archived: bool
    provider: msgspec.Raw | None


class _EncodedChangePage(msgspec.Struct):
    data: list[_EncodedChange]
    next_after: int
    more: bool


def _changes_after(after: int):
    """Published providers after the position, in position order: its unique index serves it."""
    return PublishedProvider.objects.filter(position__gt=after).order_by("position")


def change_page(after: int, limit: int) -> tuple[bytes, str]:
    """A page of the changes feed, encoded (one query), and its fingerprint."""
    rows = list(
        _changes_after(after).values_list("position", "provider_id", "deleted", "archived", "document")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    page = _EncodedChangePage(
        data=[
            _EncodedChange(position, provider_id, deleted, archived, None if deleted else msgspec.Raw(document))
            for position, provider_id, deleted, archived, document in rows
        ],
        next_after=rows[-1][0] if rows else after,
        more=more,
    )
    return msgspec.json.encode(page), _change_fingerprint(more, [row[0] for row in rows])


def change_page_fingerprint(after: int, limit: int) -> str:
    """The fingerprint `change_page` would give, from the positions alone (one query, on the index).

    A position is never given twice, and a published document never changes at its position, so
    the positions on a page say all there is to say about what it holds.
    """
    positions = list(_changes_after(after).values_list("position", flat=True)[: limit + 1])
    return _change_fingerprint(len(positions) > limit, positions[:limit])


def _change_fingerprint(more: bool, positions: list[int]) -> str:
    return fingerprint(more, positions)
