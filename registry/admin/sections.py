"""How a provider and its records read on the provider screens: summary rows, status tags, and what
a change to its accreditations will do to its type and status, said before anyone saves it."""

from registry.admin.pages import provider_url
from registry.forms import PartnershipForm, ProviderForm
from registry.models import Partnership, Provider
from registry.models.provider import AccreditationStatus, ProviderType
from registry.pages.summary import question_label, row, tags

# The answers' names as the questions ask them: "UK provider reference number (UKPRN)".
PROVIDER_LABELS = {name: question_label(form_field) for name, form_field in ProviderForm.base_fields.items()}

STATUS_TAGS = {AccreditationStatus.ACCREDITED: "success", AccreditationStatus.UNACCREDITED: "info"}

# A provider's type in a sentence ("its type will change from School to SCITT"), as the list's filter names them.
SHORT_TYPE_NAMES = {
    ProviderType.HEI: "HEI",
    ProviderType.SCITT: "SCITT",
    ProviderType.SCHOOL: "School",
    ProviderType.OTHER: "Other",
}


def provider_tags(provider: Provider) -> str:
    """Its accreditation status, and "Archived" if it is."""
    pairs = [(provider.get_accreditation_status_display(), STATUS_TAGS.get(provider.accreditation_status, "info"))]
    if provider.is_archived:
        pairs.append(("Archived", "warning"))
    return tags(*pairs)


def provider_detail_rows(provider: Provider, *, change_url: str | None) -> list[dict]:
    """The provider's details; what a support user gives has a Change link when `change_url` is given
    (the Change provider flow, which each link opens at its question)."""

    def change(name: str) -> str | None:
        return f"{change_url}?new#{name}" if change_url else None

    def answer(name: str, value) -> dict:
        return row(PROVIDER_LABELS[name], value, change(name))

    years = sorted(provider.academic_years.all(), key=lambda year: year.start_year)
    return [
        answer("operating_name", provider.operating_name),
        answer("legal_name", provider.legal_name),
        row(PROVIDER_LABELS["provider_type"], provider.get_provider_type_display()),
        row("Accreditation status", provider.get_accreditation_status_display()),
        answer("ukprn", provider.ukprn),
        answer("urn", provider.urn),
        answer("code", provider.code),
        row("RoTP id", provider.register_id),
        answer("onboarded_on", provider.onboarded_on),
        answer("first_active_on", provider.first_active_on),
        row("Active academic years", years, change("academic_years")),
    ]


def answer_rows(form_class, record, names) -> list[dict]:
    """A record's answers to `names`, each under its question's words in `form_class`."""
    return [row(question_label(form_class.base_fields[name]), getattr(record, name)) for name in names]


def partnership_rows(partnership: Partnership, provider: Provider) -> list[dict]:
    """The partnership seen from `provider`: its partner (a link to the partner's page), dates and years."""
    partner = partnership.partner_of(provider)
    years = sorted(partnership.academic_years.all(), key=lambda year: year.start_year)
    return [
        row(partnership.partner_role_for(provider), partner.operating_name, url=provider_url(partner)),
        *answer_rows(PartnershipForm, partnership, ("starts_on", "ends_on")),
        row(question_label(PartnershipForm.base_fields["academic_years"]), years),
    ]


def provider_status_warnings(provider: Provider, outcome: tuple[str, str], doing: str) -> list[str]:
    """What `doing` ("Adding this accreditation") will do to the provider's status and type, if anything:
    `outcome` is the (status, type) it will have (`accreditation_change_outcome`)."""
    status, kind = outcome
    if (status, kind) == (provider.accreditation_status, provider.provider_type):
        return []
    becomes = "an accredited provider" if status == AccreditationStatus.ACCREDITED else "not accredited"
    sentence = f"{doing} will make {provider.operating_name} {becomes}"
    if kind != provider.provider_type:
        sentence += (
            f": its type will change from {SHORT_TYPE_NAMES[provider.provider_type]} to {SHORT_TYPE_NAMES[kind]}"
        )
    return [f"{sentence}."]
