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
from decimal import Decimal

import msgspec
from django.db.models import F, Q, Value
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.db.models.functions import NullIf

from registry.api import schemas
from registry.models import Accreditation, Address, Contact, Partnership, Provider
from registry.models.partnership import OTHER_SIDE
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


def _blank_as_null(field: str):
    return NullIf(field, Value(""))


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
    """Kept providers, as the list's filters ask; archived ones only if asked for.

    `q` is the register's one search (`registry.selectors.provider_search`), the admin list's too.
    """
    conditions = {"deleted_at__isnull": True}
    if not params.get("include_archived"):
        conditions["archived_at__isnull"] = True
    if params.get("changed_since") is not None:
        conditions["updated_at__gte"] = params["changed_since"]
    if params.get("academic_year") is not None:
        conditions["academic_years"] = params["academic_year"]
    if params.get("provider_type"):
        conditions["provider_type"] = params["provider_type"]
    if params.get("accreditation_status"):
        conditions["accreditation_status"] = params["accreditation_status"]
    search = provider_search(params.get("q") or "")
    if search is None:
        return Provider.objects.filter(**conditions)
    return Provider.objects.filter(search, **conditions)


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


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _reference(provider_id, rotp_id, operating_name, code) -> schemas.ProviderReference:
    return schemas.ProviderReference(id=provider_id, rotp_id=rotp_id, operating_name=operating_name, code=code)


def provider_detail(provider_id) -> schemas.ProviderDetail | None:
    """A kept provider with everything about it (at most 7 queries, whatever it has); None if none."""
    row = (
        Provider.objects.kept()
        .filter(pk=provider_id)
        .values_list(
            "id",
            "register_id",
            "operating_name",
            _blank_as_null("legal_name"),
            "provider_type",
            "accreditation_status",
            _blank_as_null("ukprn"),
            _blank_as_null("urn"),
            "code",
            "onboarded_on",
            "first_active_on",
            "archived_at",
            "created_at",
            "updated_at",
        )
        .first()
    )
    if row is None:
        return None
    years = sorted(
        Provider.academic_years.through.objects.filter(provider_id=provider_id).values_list(
            "academicyear_id", flat=True
        )
    )
    accreditations = [
        schemas.Accreditation(*values)
        for values in Accreditation.objects.kept()
        .filter(provider_id=provider_id)
        .order_by("starts_on", "id")
        .values_list("id", "number", "starts_on", "ends_on")
    ]
    addresses = [
        schemas.Address(*values[:8], latitude=_float(values[8]), longitude=_float(values[9]))
        for values in Address.objects.kept()
        .filter(provider_id=provider_id)
        .order_by("created_at", "id")
        .values_list(
            "id",
            "address_line_1",
            _blank_as_null("address_line_2"),
            _blank_as_null("address_line_3"),
            "town_or_city",
            _blank_as_null("county"),
            "postcode",
            _blank_as_null("uprn"),
            "latitude",
            "longitude",
        )
    ]
    contacts = [
        schemas.Contact(*values)
        for values in Contact.objects.kept()
        .filter(provider_id=provider_id)
        .order_by("first_name", "last_name", "id")
        .values_list("id", "first_name", "last_name", "email", _blank_as_null("telephone"))
    ]
    return schemas.ProviderDetail(
        *row,
        academic_years=years,
        accreditations=accreditations,
        addresses=addresses,
        contacts=contacts,
        partnerships=_provider_partnerships(provider_id),
    )


_PARTNER_COLUMNS = ("id", "register_id", "operating_name", "code")


def _kept_partnerships():
    return Partnership.objects.kept().filter(
        accredited_provider__deleted_at__isnull=True, training_partner__deleted_at__isnull=True
    )


def _partnership_years(partnership_ids) -> dict:
    years: dict = {}
    if partnership_ids:
        for partnership_id, year in (
            Partnership.academic_years.through.objects.filter(partnership_id__in=partnership_ids)
            .order_by("academicyear_id")
            .values_list("partnership_id", "academicyear_id")
        ):
            years.setdefault(partnership_id, []).append(year)
    return years


def _provider_partnerships(provider_id) -> list[schemas.ProviderPartnership]:
    rows = list(
        _kept_partnerships()
        .filter(Q(accredited_provider_id=provider_id) | Q(training_partner_id=provider_id))
        .order_by("starts_on", "id")
        .values_list(
            "id",
            "starts_on",
            "ends_on",
            *(f"accredited_provider__{column}" for column in _PARTNER_COLUMNS),
            *(f"training_partner__{column}" for column in _PARTNER_COLUMNS),
        )
    )
    years = _partnership_years([row[0] for row in rows])
    partnerships = []
    for partnership_id, starts_on, ends_on, *providers in rows:
        sides = {"accredited_provider": providers[:4], "training_partner": providers[4:]}
        side = Partnership.side_for(
            provider_id,
            accredited_provider_id=sides["accredited_provider"][0],
            training_partner_id=sides["training_partner"][0],
        )
        partnerships.append(
            schemas.ProviderPartnership(
                id=partnership_id,
                role=side,
                partner=_reference(*sides[OTHER_SIDE[side]]),
                starts_on=starts_on,
                ends_on=ends_on,
                academic_years=years.get(partnership_id, []),
            )
        )
    return partnerships


# ---------------------------------------------------------------------------------------------------
# Partnerships
# ---------------------------------------------------------------------------------------------------


def partnerships_filtered(params: dict):
    partnerships = _kept_partnerships()
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
            *(f"accredited_provider__{column}" for column in _PARTNER_COLUMNS),
            *(f"training_partner__{column}" for column in _PARTNER_COLUMNS),
            "accredited_provider__updated_at",
            "training_partner__updated_at",
        )[: size + 1]
    )
    has_next = len(rows) > size
    rows = rows[:size]
    years = _partnership_years([row[0] for row in rows])
    summary = fingerprint(has_next, [(row[0], row[3], row[-2], row[-1], years.get(row[0], [])) for row in rows])
    page = [
        schemas.Partnership(
            id=row[0],
            accredited_provider=_reference(*row[4:8]),
            training_partner=_reference(*row[8:12]),
            starts_on=row[1],
            ends_on=row[2],
            academic_years=years.get(row[0], []),
            updated_at=row[3],
        )
        for row in rows
    ]
    return page, has_next, summary
