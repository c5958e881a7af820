"""What the provider screens read besides `registry.selectors`: one provider's records, and partners to choose from."""

from django.db.models import QuerySet

from registry.models import Accreditation, Address, Contact, Partnership, Provider
from registry.selectors import partnership_partner_choices, provider_list, provider_partnerships

# How many providers a partner search offers at once: enough to choose from, few enough to read.
PARTNER_SEARCH_LIMIT = 25


def provider_record_get(model, *, provider: Provider, record_id):
    """One of the provider's kept records (an accreditation, address, contact or partnership), or None."""
    if model is Partnership:
        return provider_partnerships(provider=provider).filter(pk=record_id).first()
    return model.objects.kept().filter(provider=provider, pk=record_id).select_related("provider").first()


def provider_accreditations(provider: Provider) -> QuerySet[Accreditation]:
    return Accreditation.objects.kept().filter(provider=provider).order_by("-starts_on", "id")


def provider_addresses(provider: Provider) -> QuerySet[Address]:
    return Address.objects.kept().filter(provider=provider).order_by("created_at", "id")


def provider_contacts(provider: Provider) -> QuerySet[Contact]:
    return Contact.objects.kept().filter(provider=provider).order_by("first_name", "last_name", "id")


def partner_search(*, provider: Provider, search: str) -> list[Provider]:
    """Providers `provider` may partner that match `search` (name, code, UKPRN or URN), by name."""
    if not " ".join((search or "").split()):
        return []
    matches = provider_list(search=search).prefetch_related(None).values("pk")
    return list(partnership_partner_choices(provider=provider).filter(pk__in=matches)[:PARTNER_SEARCH_LIMIT])
