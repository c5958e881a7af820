"""A provider's four kinds of record (accreditations, addresses, contacts, partnerships), each described once.

A `RecordKind` says everything about one kind: its form and the steps that ask it, the services
that add, change and delete one, who may do each (the predicates of `registry.permissions`), how
a record reads on the provider's page, and the words of its pages. The add, change and delete
pages, their URLs (`registry.admin.record_pages`) and the provider page's section for it
(`registry.admin.provider_detail`) are all made from these four declarations.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse

from registry import permissions
from registry.address_finder.steps import AddressFinderFlow, address_steps
from registry.admin.sections import answer_rows, partnership_rows, provider_status_warnings, row
from registry.admin.selectors import (
    partner_search,
    provider_accreditations,
    provider_addresses,
    provider_contacts,
)
from registry.formats import format_govuk_date
from registry.forms import AccreditationForm, AddressForm, ContactForm, PartnershipForm
from registry.models import Accreditation, Address, Contact, Partnership, Provider
from registry.pages.flows import FlowRefused, Step
from registry.pages.stop import Stop
from registry.pages.summary import NOT_ENTERED
from registry.selectors import partnership_partner_choices, provider_partnerships
from registry.services import accreditations, addresses, contacts, partnerships
from registry.validators import ADDRESS_FIELDS


@dataclass(frozen=True)
class ChoiceSearch:
    """A question answered by choosing among what a search finds: the register is too long to list."""

    field: str
    question: Callable[[Provider], str]  # the step's heading, and what the search box asks for
    find: Callable[[Provider, str], list]  # what a search finds
    choices: Callable[[Provider], Iterable]  # all that may be chosen (a queryset)
    label: Callable[[object], str]  # how each is offered


def _on_record(predicate):
    """A predicate about a record alone, asked as (actor, record, provider)."""
    return lambda actor, record, provider: predicate(actor, record)


@dataclass(frozen=True)
class RecordKind:
    """One kind of record a provider has. See the module's docstring."""

    name: str  # "accreditation": in URL names (`registry_provider_accreditation_add`) and services' keywords
    plural: str  # "accreditations": the section's id and title on the provider's page, and URL paths
    article: str  # "an": "Deleting an accreditation is permanent"
    model: type
    form_class: type
    steps: tuple[Step, ...]  # adding one
    create: Callable  # create(actor=, provider=, **answers)
    update: Callable  # update(actor=, <name>=record, changes=)
    delete: Callable  # delete(actor=, <name>=record)
    may_add: Callable  # (actor, provider)
    may_change: Callable  # (actor, record, provider)
    may_delete: Callable  # (actor, record, provider)
    records: Callable[[Provider], Iterable]  # the provider's, in the order its page shows them
    title: Callable  # (record, provider): its card's title
    rows: Callable  # (record, provider): its card's rows, and its delete page's
    messages: tuple[str, str, str]  # added, updated, deleted
    change_steps: tuple[Step, ...] | None = None  # changing one (by default, the steps that add one)
    delete_name: Callable | None = None  # (record, provider): "accreditation 1234"; by default its title
    delete_notes: Callable = lambda record: []
    form_kwargs: Callable = lambda provider, record: {}
    current_values: Callable = lambda record: {}  # answers a change starts from that are not attributes
    # (doing, provider, record, answers) → what saving will also do, for the check and delete pages;
    # `doing` is "Adding", "Changing" or "Deleting".
    warnings: Callable = lambda doing, provider, record, answers: []
    search: ChoiceSearch | None = None
    add_flow_mixin: type | None = None  # mixed into the flow that adds one (the address finder's)


def _accreditation_warnings(doing, provider, record, answers) -> list[str]:
    change = {"Adding": {"adding": answers}, "Changing": {"changing": (record, answers)}}.get(doing)
    outcome = accreditations.accreditation_change_outcome(provider=provider, **(change or {"deleting": record}))
    return provider_status_warnings(provider, outcome, f"{doing} this accreditation")


ACCREDITATIONS = RecordKind(
    name="accreditation",
    plural="accreditations",
    article="an",
    model=Accreditation,
    form_class=AccreditationForm,
    steps=(Step("", "Accreditation details", ("number", "starts_on", "ends_on")),),
    create=accreditations.accreditation_create,
    update=accreditations.accreditation_update,
    delete=accreditations.accreditation_delete,
    may_add=permissions.user_can_add_accreditation,
    may_change=_on_record(permissions.user_can_change_accreditation),
    may_delete=_on_record(permissions.user_can_delete_accreditation),
    records=provider_accreditations,
    title=lambda accreditation, provider: str(accreditation),
    rows=lambda accreditation, provider: answer_rows(
        AccreditationForm, accreditation, ("number", "starts_on", "ends_on")
    ),
    messages=(
        accreditations.ACCREDITATION_ADDED,
        accreditations.ACCREDITATION_UPDATED,
        accreditations.ACCREDITATION_DELETED,
    ),
    delete_name=lambda accreditation, provider: f"accreditation {accreditation.number}",
    form_kwargs=lambda provider, accreditation: {"provider": provider, "accreditation": accreditation},
    warnings=_accreditation_warnings,
)


def _address_lines(address: Address) -> list[str]:
    return [value for value in (getattr(address, part) for part in ADDRESS_FIELDS) if value]


def _address_rows(address: Address, provider: Provider) -> list[dict]:
    rows = [row("Address", ", ".join(_address_lines(address)), lines=_address_lines(address))]
    if address.latitude is not None and address.longitude is not None:
        rows.append(row("Location", f"Latitude {address.latitude}, longitude {address.longitude}"))
    return rows


def _address_warnings(doing, provider, record, answers) -> list[str]:
    if doing == "Changing" and addresses.address_change_drops_found_details(record, answers):
        return [addresses.ADDRESS_FOUND_DETAILS_DROPPED]
    return []


ADDRESSES = RecordKind(
    name="address",
    plural="addresses",
    article="an",
    model=Address,
    form_class=AddressForm,
    # Found by postcode (Ordnance Survey), or typed in; changed by hand.
    steps=address_steps(),
    change_steps=(Step("", "Address", ADDRESS_FIELDS),),
    add_flow_mixin=AddressFinderFlow,
    create=addresses.address_create,
    update=addresses.address_update,
    delete=addresses.address_delete,
    may_add=permissions.user_can_add_address,
    may_change=_on_record(permissions.user_can_change_address),
    may_delete=_on_record(permissions.user_can_delete_address),
    records=provider_addresses,
    title=lambda address, provider: str(address),
    rows=_address_rows,
    messages=(addresses.ADDRESS_ADDED, addresses.ADDRESS_UPDATED, addresses.ADDRESS_DELETED),
    warnings=_address_warnings,
)

CONTACTS = RecordKind(
    name="contact",
    plural="contacts",
    article="a",
    model=Contact,
    form_class=ContactForm,
    steps=(Step("", "Contact details", ("first_name", "last_name", "email", "telephone")),),
    create=contacts.contact_create,
    update=contacts.contact_update,
    delete=contacts.contact_delete,
    may_add=permissions.user_can_add_contact,
    may_change=_on_record(permissions.user_can_change_contact),
    may_delete=_on_record(permissions.user_can_delete_contact),
    records=provider_contacts,
    title=lambda contact, provider: str(contact),
    rows=lambda contact, provider: answer_rows(ContactForm, contact, ("email", "telephone")),
    messages=(contacts.CONTACT_ADDED, contacts.CONTACT_UPDATED, contacts.CONTACT_DELETED),
    form_kwargs=lambda provider, contact: {"provider": provider, "contact": contact},
)


def _partner_label(provider: Provider) -> str:
    """How a partner is offered: "Ash Tree SCITT (Provider code: 1AB, UKPRN: 10012345, URN: 123456)"."""
    ukprn, urn = provider.ukprn or NOT_ENTERED, provider.urn or NOT_ENTERED
    return f"{provider.operating_name} (Provider code: {provider.code}, UKPRN: {ukprn}, URN: {urn})"


_OPEN_ENDED_DELETE = (
    "If you do not want to delete the partnership, but update that it has ended, add the partnership end date."
)
_PARTNERSHIP_DATES = Step("dates", "Partnership dates and academic years", ("starts_on", "ends_on", "academic_years"))


def _partnership_dates(partnership: Partnership) -> str:
    starts = format_govuk_date(partnership.starts_on) if partnership.starts_on else None
    ends = format_govuk_date(partnership.ends_on) if partnership.ends_on else None
    if starts and ends:
        return f"That partnership runs from {starts} to {ends}."
    if starts:
        return f"That partnership started on {starts} and has no end date."
    return f"That partnership ends on {ends}." if ends else "That partnership has no dates."


def _overlap_refused(overlap, *, actor, provider: Provider, adding: bool, dates_url: str) -> FlowRefused:
    """The stop page for a partnership whose dates overlap one the two providers already have
    ("Preventing duplicate partnerships based on partnership dates"): why, and where to go instead."""
    existing = overlap.existing
    partner = existing.partner_of(provider)
    provider_url = reverse("admin:registry_provider_change", args=[provider.pk])
    links = [("Change the partnership dates", dates_url)]
    if permissions.user_can_change_partnership(actor, existing, provider):
        edit_url = reverse("admin:registry_provider_partnership_edit", args=[provider.pk, existing.pk])
        links.append(("Change the existing partnership", f"{edit_url}?new"))
    links.append((f"Go back to {provider.operating_name}", f"{provider_url}#partnerships"))
    doing = "add" if adding else "change"
    stop = Stop(
        f"You cannot {doing} this partnership",
        (
            f"{partner.operating_name} already has a partnership with {provider.operating_name} for these dates.",
            _partnership_dates(existing),
            "Change the dates, or change the partnership they already have.",
        ),
        tuple(links),
        caption=f"{doing.capitalize()} partnership - {provider.operating_name}",
    )
    return FlowRefused(overlap.messages[0], stop=stop)


def _partnership_create(*, actor, provider, **answers):
    # The partner is on one side of the partnership and the provider on the other (PartnershipForm.answers).
    try:
        return partnerships.partnership_create(actor=actor, **answers)
    except partnerships.PartnershipDatesOverlap as overlap:
        dates_url = reverse("admin:registry_provider_partnership_add_dates", args=[provider.pk])
        raise _overlap_refused(overlap, actor=actor, provider=provider, adding=True, dates_url=dates_url) from None


def _partnership_update(*, actor, partnership, changes):
    try:
        return partnerships.partnership_update(actor=actor, partnership=partnership, changes=changes)
    except partnerships.PartnershipDatesOverlap as overlap:
        # Seen from the accredited provider's side: the partnership is on both providers' pages.
        provider = partnership.accredited_provider
        dates_url = reverse("admin:registry_provider_partnership_edit", args=[provider.pk, partnership.pk])
        raise _overlap_refused(overlap, actor=actor, provider=provider, adding=False, dates_url=dates_url) from None


PARTNERSHIPS = RecordKind(
    name="partnership",
    plural="partnerships",
    article="a",
    model=Partnership,
    form_class=PartnershipForm,
    steps=(Step("", "Partner", ("partner",)), _PARTNERSHIP_DATES),
    change_steps=(Step("", _PARTNERSHIP_DATES.title, _PARTNERSHIP_DATES.fields),),
    # Dates that overlap another partnership of the same two providers are refused with a stop page.
    create=_partnership_create,
    update=_partnership_update,
    delete=partnerships.partnership_delete,
    may_add=permissions.user_can_add_partnership,
    may_change=permissions.user_can_change_partnership,
    may_delete=permissions.user_can_delete_partnership,
    records=lambda provider: provider_partnerships(provider=provider),
    title=lambda partnership, provider: partnership.partner_of(provider).operating_name,
    rows=partnership_rows,
    messages=(partnerships.PARTNERSHIP_ADDED, partnerships.PARTNERSHIP_UPDATED, partnerships.PARTNERSHIP_DELETED),
    delete_name=lambda partnership, provider: f"the partnership with {partnership.partner_of(provider).operating_name}",
    delete_notes=lambda partnership: [] if partnership.ends_on else [_OPEN_ENDED_DELETE],
    form_kwargs=lambda provider, partnership: {"provider": provider, "partnership": partnership},
    current_values=lambda partnership: {
        "academic_years": sorted(y.start_year for y in partnership.academic_years.all())
    },
    search=ChoiceSearch(
        field="partner",
        question=lambda provider: "Training partner" if provider.is_accredited else "Accredited provider",
        find=lambda provider, words: partner_search(provider=provider, search=words),
        choices=lambda provider: partnership_partner_choices(provider=provider),
        label=_partner_label,
    ),
)

RECORD_KINDS = (ACCREDITATIONS, ADDRESSES, CONTACTS, PARTNERSHIPS)
