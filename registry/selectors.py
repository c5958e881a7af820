"""Reading the register."""

import datetime
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Trim, Upper
from django.db.models.lookups import Exact
from django.utils import timezone

from registry.models import Accreditation, Address, Contact, Partnership, Provider
from registry.models.provider import SEARCH_SYNONYMS, AccreditationStatus, search_text
from registry.validators import normalise_email_address, normalise_provider_code, start_years

_DIGITS = re.compile(r"[0-9]+")
_CODE_PREFIX = re.compile(r"[A-Z0-9]{1,3}", re.IGNORECASE)
# The spellings of several words that names are given ("church of england"), longest first.
_PHRASES = sorted({same for same in SEARCH_SYNONYMS.values() if " " in same}, key=len, reverse=True)
# A RoTP id ("RoTP-26V6KK09"), in any case; the register's are "RoTP-" and capitals or digits.
_REGISTER_ID = re.compile(r"rotp-[A-Z0-9]{1,8}", re.IGNORECASE)
# A search of this many digits or more is a UKPRN or URN (or the start of one), not part of a name.
NUMBER_ONLY_DIGITS = 5


def provider_list(
    *,
    search: str = "",
    provider_types: Iterable[str] = (),
    accreditation_statuses: Iterable[str] = (),
    academic_years: Iterable = (),
    include_archived: bool = False,
    few_matches: bool = False,
) -> QuerySet[Provider]:
    """Providers on the register (never deleted ones), by operating name, for the list and its filters.

    `search` is `provider_search`'s: a name (operating or legal) *contains* each of the words, in
    any order, ignoring case and punctuation; a code, UKPRN or URN *is* or *starts with* the
    search; a RoTP id *is* it. Each lookup is asked only where it can match: a code has at most 3
    letters or digits, UKPRNs and URNs are digits, a number of 5 or more digits is looked up as a
    UKPRN or URN alone, and a RoTP id as a RoTP id alone.

    The filters take the values of `ProviderType` and `AccreditationStatus`, and academic years
    as start years or `AcademicYear` rows (a provider active in any of them). The list's "School"
    filter is both `school` and `scitt`: a SCITT is an accredited school.

    Indexes it relies on, to stay fast at 100,000 providers:

    - Order: `registry_provider_name_idx` on `UPPER(operating_name)`, the order used, so a page of
      the whole list (or of a filtered one) is read from the index without sorting the table.
    - UKPRN and URN: their `db_index` b-trees, asked for a range ("1004" ≤ ukprn < "1005"), which
      SQLite and PostgreSQL in any collation answer from the index.
    - Code: the unique index on `UPPER(code)` among kept providers, asked for exactly that
      expression (`registry_provider_code_unique_among_kept`).
    - Academic years: the m2m table's unique (provider, academic year) index, through `EXISTS`,
      so a provider active in several of the chosen years is listed once without `DISTINCT`.
    - Type and status: `registry_provider_type_idx` on (provider_type, accreditation_status); on
      PostgreSQL, a page of one type is read in order from `registry_provider_type_name_idx` on
      (provider_type, UPPER(operating_name), id) (migration 0004).
    - Names, on PostgreSQL: a `pg_trgm` GIN index on `search_text` (migration 0005), the names as
      a search compares them, stored with each provider, so each word matched anywhere in the names
      (`search_text LIKE '%…%'`, one condition a word) is found from the index, not by a pass over
      the table; a 3-character search, also looked up as a code, is two index lookups.
    - RoTP id: its unique index, asked for exactly the id.

    SQLite has no trigram index: there a search by name is one pass over the table (about 150 ms
    for 100,000 providers).
    """
    providers = Provider.objects.kept()
    if not include_archived:
        providers = providers.filter(archived_at__isnull=True)
    if search := " ".join((search or "").split()):
        providers = providers.filter(provider_search(search))
    if provider_types := list(provider_types):
        providers = providers.filter(provider_type__in=provider_types)
    if accreditation_statuses := list(accreditation_statuses):
        providers = providers.filter(accreditation_status__in=accreditation_statuses)
    if years := start_years(academic_years):
        active = Provider.academic_years.through.objects.filter(provider=OuterRef("pk"), academicyear__in=years)
        providers = providers.filter(Exists(active))
    return providers.order_by(_by_name(search, few_matches=few_matches), "id").prefetch_related("academic_years")


# A search that finds no more providers than this is read by finding them all and sorting them: see `_by_name`.
FEW_MATCHES = 2_000


def _by_name(search: str, *, few_matches: bool = False):
    """The list's order, in the expression that lets the database read a page the cheaper way.

    Names are stored trimmed, so both orders are the same; but only `UPPER(operating_name)` is the
    name index's expression, which lets a page be read by walking that index. A page of the whole
    list always is. For a search, PostgreSQL weighs walking it (cheap when many names match: 2 ms
    for "school" at 100,000 providers) against the trigram indexes and a sort (cheap when few do)
    and picks; hiding the index from it made a common word cost a sort of every match (280 ms).
    SQLite, without trigram indexes, would walk the name index row by row even for a rare word
    (four times slower than one pass over the table), so it is not offered the index there.

    PostgreSQL cannot tell how many names a word is in, and for a rare one ("katherine": 30 of
    100,000) it still walks the index, reading most of it to fill a page. A caller that knows
    the search finds few providers (it has counted them: `FEW_MATCHES`) says so with
    `few_matches`, and then the index is not offered there either: the trigram index finds the
    few, and sorting them costs nothing.
    """
    if search and (few_matches or connection.vendor != "postgresql"):
        return Upper(Trim("operating_name"))
    return Upper("operating_name")


def provider_search(search: str) -> Q | None:
    """The providers a search finds, as a condition; None for a blank search. The one search of the register.

    The admin's list (through `provider_list`) and the API (`registry.api.queries`) both ask it, so
    the same words find the same providers in both. A name matches when each word of the search is
    in its operating or legal name, in any order, with case, accents, punctuation and the spellings
    of `SEARCH_SYNONYMS` ("C of E" and "CofE", "St" and "Saint"; "&" and "and") made alike on both
    sides (`search_text`); a code, UKPRN or URN when it starts with the search; a RoTP id when it
    is the search.
    """
    search = " ".join((search or "").split())
    if not search:
        return None
    if _REGISTER_ID.fullmatch(search):
        # A RoTP id alone, by its unique index: no name has one in it.
        return Q(register_id=f"RoTP-{search[5:].upper()}")
    numbers = Q()
    if _DIGITS.fullmatch(search):
        if len(search) <= 8:
            numbers |= _digits_starting(search, "ukprn")
        if len(search) <= 6:
            numbers |= _digits_starting(search, "urn")
        if len(search) >= NUMBER_ONLY_DIGITS:
            # No provider's name has a number this long in it: the indexes alone answer.
            return numbers or Q(pk__in=[])
    matches = _names_containing(search_terms(search)) | numbers
    if _CODE_PREFIX.fullmatch(search):
        code = normalise_provider_code(search)
        matches |= _code_is(code) if len(code) == 3 else Q(code__istartswith=code)
    return matches


def search_terms(search: str) -> list[str]:
    """What a name must contain to match `search`: its words, made alike as names are (`search_text`).

    A spelling of several words ("c of e" is "church of england") is one term, as the names have
    it: more selective, for the trigram index, than its words apart. A term inside another term
    is left out: the longer one asks for it already.
    """
    text = f" {search_text(search)} "
    phrases = {phrase for phrase in _PHRASES if f" {phrase} " in text}
    for phrase in phrases:
        text = text.replace(f" {phrase} ", " ")
    terms = phrases | set(text.split())
    return sorted(term for term in terms if not any(term != other and term in other for other in terms))


def _names_containing(terms: list[str]) -> Q:
    """Every term in the operating or legal name (`search_text`); a search of punctuation alone finds none."""
    if not terms:
        return Q(pk__in=[])
    return Q(*(Q(search_text__contains=term) for term in terms))


def _digits_starting(digits: str, field: str) -> Q:
    """`field` starts with `digits`, as a range ("1004" ≤ value < "1005") that any b-tree index answers.

    (`startswith` is `LIKE '1004%'`, which SQLite never answers from an index, nor PostgreSQL from
    one in a language's collation.)
    """
    following = str(int(digits) + 1).zfill(len(digits))
    if len(following) > len(digits):
        return Q(**{f"{field}__gte": digits})
    return Q(**{f"{field}__gte": digits, f"{field}__lt": following})


def _code_is(code: str) -> Q:
    """The code, ignoring case, as `UPPER(code) = …`: the expression of the unique index on codes."""
    return Q(Exact(Upper("code"), code))


# The register as a file -------------------------------------------------------------------------------

# How many providers the register's download reads at a time: a fetch of their rows, then one query
# each for their current accreditations, first addresses and academic years.
EXPORT_BATCH_SIZE = 1000

# The provider's own columns in a `ProviderExportRow`, in its order, after the id.
_EXPORT_COLUMNS = (
    "register_id",
    "operating_name",
    "legal_name",
    "provider_type",
    "accreditation_status",
    "code",
    "ukprn",
    "urn",
    "archived_at",
    "onboarded_on",
    "first_active_on",
)


class ExportAccreditation(NamedTuple):
    number: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class ExportAddress(NamedTuple):
    address_line_1: str
    address_line_2: str
    address_line_3: str
    town_or_city: str
    county: str
    postcode: str


class ProviderExportRow(NamedTuple):
    """A provider as the register's download has it: its own fields (blank ones as ""), its current
    accreditation and first address (None if it has none), and its academic years (start years, in order)."""

    register_id: str
    operating_name: str
    legal_name: str
    provider_type: str
    accreditation_status: str
    code: str
    ukprn: str
    urn: str
    archived_at: datetime.datetime | None
    onboarded_on: datetime.date | None
    first_active_on: datetime.date | None
    accreditation: ExportAccreditation | None
    address: ExportAddress | None
    academic_years: list[int]


def provider_export_rows(
    *, today: datetime.date | None = None, batch_size: int = EXPORT_BATCH_SIZE
) -> Iterator[ProviderExportRow]:
    """Every provider on the register, archived ones included (never deleted ones), in the list's order.

    The providers are `provider_list`'s, read as plain values through one cursor (`iterator`), a
    batch at a time, so that memory holds one batch whatever the register's size. For each batch,
    three queries read its providers' current accreditations (on `today`, by default today: started
    and not ended, the latest started where several are), first addresses (the first added, as the
    provider's page lists them) and academic years. Nothing is read until the first row is asked for.
    """
    today = today or timezone.localdate()
    providers = provider_list(include_archived=True).prefetch_related(None).values_list("pk", *_EXPORT_COLUMNS)
    for batch in itertools.batched(providers.iterator(chunk_size=batch_size), batch_size, strict=False):
        ids = [row[0] for row in batch]
        accreditations = _current_accreditations_of(ids, today)
        addresses = _first_addresses_of(ids)
        years = _academic_years_of(ids)
        for provider_id, *values in batch:
            yield ProviderExportRow(
                *values,
                accreditation=accreditations.get(provider_id),
                address=addresses.get(provider_id),
                academic_years=years.get(provider_id, []),
            )


def _current_accreditations_of(provider_ids: list, today: datetime.date) -> dict:
    current = {}
    accreditations = (
        Accreditation.objects.kept()
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), provider_id__in=provider_ids, starts_on__lte=today)
        .order_by("starts_on", "id")
        .values_list("provider_id", "number", "starts_on", "ends_on")
    )
    for provider_id, *values in accreditations:
        current[provider_id] = ExportAccreditation(*values)  # a later start replaces an earlier one
    return current


def _first_addresses_of(provider_ids: list) -> dict:
    first = {}
    addresses = (
        Address.objects.kept()
        .filter(provider_id__in=provider_ids)
        .order_by("created_at", "id")
        .values_list("provider_id", *ExportAddress._fields)
    )
    for provider_id, *values in addresses:
        first.setdefault(provider_id, ExportAddress(*values))
    return first


def _academic_years_of(provider_ids: list) -> dict:
    years = {}
    active = (
        Provider.academic_years.through.objects.filter(provider_id__in=provider_ids)
        .order_by("academicyear_id")
        .values_list("provider_id", "academicyear_id")
    )
    for provider_id, start_year in active:
        years.setdefault(provider_id, []).append(start_year)
    return years


def provider_get(*, provider_id) -> Provider | None:
    """A provider on the register, archived or not; never a deleted one."""
    return Provider.objects.kept().filter(pk=provider_id).first()


def provider_code_taken(code: str, *, exclude: Provider | None = None) -> bool:
    """Whether another provider on the register (archived included, deleted not) has this code."""
    providers = Provider.objects.kept().filter(_code_is(normalise_provider_code(code)))
    if exclude is not None and exclude.pk is not None:
        providers = providers.exclude(pk=exclude.pk)
    return providers.exists()


def contact_email_taken(*, provider: Provider, email: str, exclude: Contact | None = None) -> bool:
    """Whether another of the provider's contacts already has this email address (ignoring case)."""
    contacts = Contact.objects.kept().filter(provider=provider, email__iexact=normalise_email_address(email))
    if exclude is not None and exclude.pk is not None:
        contacts = contacts.exclude(pk=exclude.pk)
    return contacts.exists()


def partnership_partner_choices(*, provider: Provider) -> QuerySet[Provider]:
    """Who `provider` may add a partnership with: the other side of the accredited line.

    An accredited provider partners training partners (providers that are not accredited); any
    other provider partners accredited providers. Archived providers cannot be changed, so they
    are not offered.
    """
    wanted = AccreditationStatus.UNACCREDITED if provider.is_accredited else AccreditationStatus.ACCREDITED
    return (
        Provider.objects.kept()
        .filter(archived_at__isnull=True, accreditation_status=wanted)
        .exclude(pk=provider.pk)
        .order_by(Upper("operating_name"), "id")
    )


def provider_partnerships(*, provider: Provider) -> QuerySet[Partnership]:
    """The provider's partnerships, on either side, newest first."""
    return (
        Partnership.objects.kept()
        .filter(Q(accredited_provider=provider) | Q(training_partner=provider))
        .select_related("accredited_provider", "training_partner")
        .prefetch_related("academic_years")
        .order_by("-starts_on", "id")
    )
