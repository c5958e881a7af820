"""What the tests of registry/services/providers.py share: a provider added with good answers, and the
errors a refusal gives, as a form would show them.
"""

import datetime

from registry.forms import ProviderForm
from registry.models.provider import AccreditationStatus, ProviderType
from registry.services.providers import provider_create

MESSAGES = ProviderForm.error_messages
ONBOARDED_ON = datetime.date(2024, 8, 1)


def add(actor, **changes):
    answers = {
        "operating_name": "Abacus Belsize Primary School",
        "provider_type": ProviderType.SCHOOL,
        "accreditation_status": AccreditationStatus.UNACCREDITED,
        "ukprn": "10042333",
        "urn": "139837",
        "code": "4a2",
        "onboarded_on": ONBOARDED_ON,
        **changes,
    }
    return provider_create(actor=actor, **answers)


def errors_of(raised) -> dict[str, list[tuple[str, str]]]:
    """Each field's errors as (code, message), the way a form would show them."""
    return {
        field: [(error.code, error.message % (error.params or {})) for error in errors]
        for field, errors in raised.value.error_dict.items()
    }
