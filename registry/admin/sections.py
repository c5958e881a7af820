"""What a provider's page shows: its details, then a section each for its accreditations, addresses,
contacts and partnerships, with the Change, Delete and Add links the person looking may use."""

from dataclasses import dataclass, field

from django.urls import reverse

from registry import permissions
from registry.admin.display import academic_years_display, display_value, question_label
from registry.admin.selectors import provider_accreditations, provider_addresses, provider_contacts
from registry.forms import AccreditationForm, ContactForm, PartnershipForm, ProviderForm
from registry.models import Accreditation, Address, Contact, Partnership, Provider
from registry.selectors import provider_partnerships

_PROVIDER_LABELS = {name: question_label(form_field) for name, form_field in ProviderForm.base_fields.items()}


def row(label: str, value, change_url: str | None = None, *, url: str | None = None, lines=None) -> dict:
    """A summary list row; `url` links the value, `lines` shows it over several lines."""
    return {"label": label, "value": display_value(value), "change_url": change_url, "url": url, "lines": lines}


@dataclass
class Card:
    """A summary card: one record, its answers and what may be done to it."""

    title: str
    rows: list[dict]
    actions: list[dict] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title: str
    cards: list[Card]
    empty: str
    add_url: str | None = None
    add_label: str = ""


def _url(name: str, *args) -> str:
    return reverse(f"admin:registry_provider_{name}", args=args)


def _actions(*pairs) -> list[dict]:
    return [{"label": label, "url": url, "warning": label == "Delete"} for label, url in pairs if url]


def provider_detail_rows(provider: Provider, *, may_change: bool) -> list[dict]:
    """The provider's details; the answers a support user gives have a Change link for those who may."""
    edit_url = _url("edit", provider.pk)

    def change(name: str) -> str | None:
        return f"{edit_url}?new#{name}" if may_change else None

    return [
        row(_PROVIDER_LABELS["operating_name"], provider.operating_name, change("operating_name")),
        row(_PROVIDER_LABELS["legal_name"], provider.legal_name, change("legal_name")),
        row(_PROVIDER_LABELS["provider_type"], provider.get_provider_type_display()),
        row("Accreditation status", provider.get_accreditation_status_display()),
        row(_PROVIDER_LABELS["ukprn"], provider.ukprn, change("ukprn")),
        row(_PROVIDER_LABELS["urn"], provider.urn, change("urn")),
        row(_PROVIDER_LABELS["code"], provider.code, change("code")),
        row("RoTP id", provider.register_id),
        row("Onboarded on", provider.onboarded_on),
        row("First active on", provider.first_active_on),
        row("Active academic years", academic_years_display(provider.academic_years.all()), change("academic_years")),
    ]


def _own(records, provider: Provider) -> list:
    """The records, each knowing its provider without asking the database again."""
    records = list(records)
    for record in records:
        record.provider = provider
    return records


def accreditation_rows(accreditation: Accreditation) -> list[dict]:
    labels = {name: question_label(form_field) for name, form_field in AccreditationForm.base_fields.items()}
    return [
        row(labels["number"], accreditation.number),
        row(labels["starts_on"], accreditation.starts_on),
        row(labels["ends_on"], accreditation.ends_on),
    ]


def address_lines(address: Address) -> list[str]:
    parts = (
        address.address_line_1,
        address.address_line_2,
        address.address_line_3,
        address.town_or_city,
        address.county,
        address.postcode,
    )
    return [part for part in parts if part]


def address_rows(address: Address) -> list[dict]:
    rows = [row("Address", ", ".join(address_lines(address)), lines=address_lines(address))]
    if address.latitude is not None and address.longitude is not None:
        rows.append(row("Location", f"Latitude {address.latitude}, longitude {address.longitude}"))
    return rows


def contact_rows(contact: Contact) -> list[dict]:
    labels = {name: question_label(form_field) for name, form_field in ContactForm.base_fields.items()}
    return [row(labels["email"], contact.email), row(labels["telephone"], contact.telephone)]


def partnership_partner(partnership: Partnership, provider: Provider) -> tuple[str, Provider]:
    """The other side of the partnership, seen from `provider`, and what that side is called."""
    if partnership.accredited_provider_id == provider.pk:
        return "Training partner", partnership.training_partner
    return "Accredited provider", partnership.accredited_provider


def partnership_rows(partnership: Partnership, provider: Provider) -> list[dict]:
    side, partner = partnership_partner(partnership, provider)
    labels = {name: question_label(form_field) for name, form_field in PartnershipForm.base_fields.items()}
    return [
        row(side, partner.operating_name, url=reverse("admin:registry_provider_change", args=[partner.pk])),
        row(labels["starts_on"], partnership.starts_on),
        row(labels["ends_on"], partnership.ends_on),
        row(labels["academic_years"], academic_years_display(partnership.academic_years.all())),
    ]


def provider_sections(provider: Provider, actor) -> list[Section]:
    """The provider's records, section by section, with the links `actor` may use."""
    name, pk = provider.operating_name, provider.pk

    accreditations = [
        Card(
            title=f"Accreditation {accreditation.number}",
            rows=accreditation_rows(accreditation),
            actions=_actions(
                (
                    "Change",
                    permissions.user_can_change_accreditation(actor, accreditation)
                    and f"{_url('accreditation_edit', pk, accreditation.pk)}?new",
                ),
                (
                    "Delete",
                    permissions.user_can_delete_accreditation(actor, accreditation)
                    and _url("accreditation_delete", pk, accreditation.pk),
                ),
            ),
        )
        for accreditation in _own(provider_accreditations(provider), provider)
    ]
    addresses = [
        Card(
            title=str(address),
            rows=address_rows(address),
            actions=_actions(
                (
                    "Change",
                    permissions.user_can_change_address(actor, address)
                    and f"{_url('address_edit', pk, address.pk)}?new",
                ),
                (
                    "Delete",
                    permissions.user_can_delete_address(actor, address) and _url("address_delete", pk, address.pk),
                ),
            ),
        )
        for address in _own(provider_addresses(provider), provider)
    ]
    contacts = [
        Card(
            title=str(contact),
            rows=contact_rows(contact),
            actions=_actions(
                (
                    "Change",
                    permissions.user_can_change_contact(actor, contact)
                    and f"{_url('contact_edit', pk, contact.pk)}?new",
                ),
                (
                    "Delete",
                    permissions.user_can_delete_contact(actor, contact) and _url("contact_delete", pk, contact.pk),
                ),
            ),
        )
        for contact in _own(provider_contacts(provider), provider)
    ]
    partnerships = [
        Card(
            title=partnership_partner(partnership, provider)[1].operating_name,
            rows=partnership_rows(partnership, provider),
            actions=_actions(
                (
                    "Change",
                    permissions.user_can_change_partnership(actor, partnership, provider)
                    and f"{_url('partnership_edit', pk, partnership.pk)}?new",
                ),
                (
                    "Delete",
                    permissions.user_can_delete_partnership(actor, partnership, provider)
                    and _url("partnership_delete", pk, partnership.pk),
                ),
            ),
        )
        for partnership in provider_partnerships(provider=provider)
    ]

    def add(name: str, allowed: bool) -> str | None:
        return f"{_url(name, pk)}?new" if allowed else None

    return [
        Section(
            id="accreditations",
            title="Accreditations",
            cards=accreditations,
            empty=f"There are no accreditations for {name}.",
            add_url=add("accreditation_add", permissions.user_can_add_accreditation(actor, provider)),
            add_label="Add accreditation",
        ),
        Section(
            id="addresses",
            title="Addresses",
            cards=addresses,
            empty=f"There are no addresses for {name}.",
            add_url=add("address_add", permissions.user_can_add_address(actor, provider)),
            add_label="Add address",
        ),
        Section(
            id="contacts",
            title="Contacts",
            cards=contacts,
            empty=f"There are no contacts for {name}.",
            add_url=add("contact_add", permissions.user_can_add_contact(actor, provider)),
            add_label="Add contact",
        ),
        Section(
            id="partnerships",
            title="Partnerships",
            cards=partnerships,
            empty=f"There are no partnerships for {name}.",
            add_url=add("partnership_add", permissions.user_can_add_partnership(actor, provider)),
            add_label="Add partnership",
        ),
    ]
