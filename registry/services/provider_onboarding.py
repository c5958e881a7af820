"""Onboarding a provider: adding it to the register with everything the Add provider questions ask.

Kept apart from `providers` because it builds on the services of a provider's records, which
themselves build on `providers`.
"""

from django.db import transaction

from registry.models import Provider
from registry.services.accreditations import accreditation_create
from registry.services.addresses import address_create
from registry.services.providers import provider_create


@transaction.atomic
def provider_onboard(
    *, actor, provider: dict, accreditation: dict | None = None, address: dict | None = None
) -> Provider:
    """Add a provider (`provider_create`'s answers), with its accreditation and its address, or nothing.

    All of it is written in one transaction, each part with its own history row by `actor`, whose
    right to add each part is asked by that part's service. Its academic years are worked out from
    its first active date unless given (`provider_create`), and its RoTP id is dated from its
    onboarding date. An accreditation that is not current today leaves it not accredited.
    """
    added = provider_create(actor=actor, **provider)
    if accreditation is not None:
        accreditation_create(actor=actor, provider=added, **accreditation)
    if address is not None:
        address_create(actor=actor, provider=added, **address)
    added.refresh_from_db()
    return added
