"""A provider's API document: what GET /api/v1/providers/{id} gives as `data`, built for many at once.

One builder for the provider's own page and for the changes feed (whose rows the write path keeps,
`registry.services.published_providers`), so the two can never say different things. Seven queries
for any number of providers (the providers, their academic years, accreditations, addresses,
contacts, partnerships and the partnerships' academic years), whatever each has.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, Value
from django.db.models.functions import NullIf

from registry.api import schemas
from registry.models import Accreditation, Address, Contact, Partnership, Provider
from registry.models.partnership import OTHER_SIDE

# The providers asked for in one set of queries: IN lists this long stay well within both databases' limits.
BATCH_SIZE = 500

PARTNER_COLUMNS = ("id", "register_id", "operating_name", "code")


def _blank_as_null(field: str):
    return NullIf(field, Value(""))


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def reference(provider_id, rotp_id, operating_name, code) -> schemas.ProviderReference:
    return schemas.ProviderReference(id=provider_id, rotp_id=rotp_id, operating_name=operating_name, code=code)


def kept_partnerships():
    """Partnerships the API shows: not deleted, and neither partner deleted."""
    return Partnership.objects.kept().filter(
        accredited_provider__deleted_at__isnull=True, training_partner__deleted_at__isnull=True
    )


def partnership_years(partnership_ids) -> dict:
    """{partnership id: its academic years, in order}, in one query (none for no partnerships)."""
    years: dict = {}
    if partnership_ids:
        for partnership_id, year in (
            Partnership.academic_years.through.objects.filter(partnership_id__in=partnership_ids)
            .order_by("academicyear_id")
            .values_list("partnership_id", "academicyear_id")
        ):
            years.setdefault(partnership_id, []).append(year)
    return years


def _grouped(rows, make) -> dict:
    """{provider id: [make(row without its first column), …]}, in the rows' order."""
    grouped = defaultdict(list)
    for provider_id, *values in rows:
        grouped[provider_id].append(make(values))
    return grouped


def provider_documents(provider_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, schemas.ProviderDetail]:
    """{id: document} for each of these providers that is kept (not deleted); the others are left out."""
    documents = {}
    ids = list(dict.fromkeys(provider_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        documents.update(_documents(ids[start : start + BATCH_SIZE]))
    return documents


def _documents(ids: list) -> dict:
    rows = list(
        Provider.objects.kept()
        .filter(pk__in=ids)
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
    )
    if not rows:
        return {}
    ids = [row[0] for row in rows]
    years = _grouped(
        Provider.academic_years.through.objects.filter(provider_id__in=ids)
        .order_by("academicyear_id")
        .values_list("provider_id", "academicyear_id"),
        lambda values: values[0],
    )
    accreditations = _grouped(
        Accreditation.objects.kept()
        .filter(provider_id__in=ids)
        .order_by("starts_on", "id")
        .values_list("provider_id", "id", "number", "starts_on", "ends_on"),
        lambda values: schemas.Accreditation(*values),
    )
    addresses = _grouped(
        Address.objects.kept()
        .filter(provider_id__in=ids)
        .order_by("created_at", "id")
        .values_list(
            "provider_id",
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
        ),
        lambda values: schemas.Address(*values[:8], latitude=_float(values[8]), longitude=_float(values[9])),
    )
    contacts = _grouped(
        Contact.objects.kept()
        .filter(provider_id__in=ids)
        .order_by("first_name", "last_name", "id")
        .values_list("provider_id", "id", "first_name", "last_name", "email", _blank_as_null("telephone")),
        lambda values: schemas.Contact(*values),
    )
    partnerships = _partnerships(ids)
    return {
        row[0]: schemas.ProviderDetail(
            *row,
            academic_years=years.get(row[0], []),
            accreditations=accreditations.get(row[0], []),
            addresses=addresses.get(row[0], []),
            contacts=contacts.get(row[0], []),
            partnerships=partnerships.get(row[0], []),
        )
        for row in rows
    }


def _partnerships(ids: list) -> dict:
    """{provider id: its partnerships, each seen from its side}, for these providers (two queries)."""
    rows = list(
        kept_partnerships()
        .filter(Q(accredited_provider_id__in=ids) | Q(training_partner_id__in=ids))
        .order_by("starts_on", "id")
        .values_list(
            "id",
            "starts_on",
            "ends_on",
            *(f"accredited_provider__{column}" for column in PARTNER_COLUMNS),
            *(f"training_partner__{column}" for column in PARTNER_COLUMNS),
        )
    )
    years = partnership_years([row[0] for row in rows])
    wanted = set(ids)
    partnerships = defaultdict(list)
    for partnership_id, starts_on, ends_on, *providers in rows:
        sides = {"accredited_provider": providers[:4], "training_partner": providers[4:]}
        # Seen from each side it has among those asked for; once only when a provider is on both.
        seen_from = dict.fromkeys(sides[side][0] for side in sides if sides[side][0] in wanted)
        for provider_id in seen_from:
            side = Partnership.side_for(
                provider_id,
                accredited_provider_id=sides["accredited_provider"][0],
                training_partner_id=sides["training_partner"][0],
            )
            partnerships[provider_id].append(
                schemas.ProviderPartnership(
                    id=partnership_id,
                    role=side,
                    partner=reference(*sides[OTHER_SIDE[side]]),
                    starts_on=starts_on,
                    ends_on=ends_on,
                    academic_years=years.get(partnership_id, []),
                )
            )
    return partnerships
