"""Add provider: accredited? → details → accreditation (if accredited) → check your answers → save.

The provider's type is asked with its details, because whether a URN is needed depends on it
(`ProviderForm` asks for the URN of a school or SCITT whenever it is given the type). The types
offered are those the answer to "Is the provider accredited?" allows. An accredited provider is
added with its accreditation, in one transaction: a provider is accredited only while one of its
accreditations is current.
"""

from django.urls import reverse

from registry import permissions
from registry.admin.flows import FlowView, Step, provider_url
from registry.forms import AccreditationForm, ProviderForm
from registry.models import Provider
from registry.models.provider import AccreditationStatus
from registry.services.accreditations import accreditation_create
from registry.services.providers import PROVIDER_ADDED, provider_create

PROVIDER_DETAILS_FIELDS = ("provider_type", "operating_name", "legal_name", "ukprn", "urn", "code")


def _accredited(answers: dict) -> bool:
    return answers.get("accreditation_status") == AccreditationStatus.ACCREDITED


class AddProviderView(FlowView):
    form_class = ProviderForm
    steps = (
        Step("", "Is the provider accredited?", ("accreditation_status",)),
        Step("details", "Provider details", PROVIDER_DETAILS_FIELDS),
        Step(
            "accreditation",
            "Accreditation details",
            ("number", "starts_on", "ends_on"),
            form_class=AccreditationForm,
            applies=_accredited,
        ),
    )
    url_name = "add"
    action = "Add provider"
    submit_label = "Save provider"
    success_message = PROVIDER_ADDED

    def has_permission(self):
        return permissions.user_can_add_provider(self.request.user)

    def form_kwargs(self, step, answers):
        if step.form_class is AccreditationForm:
            # The number's format follows the type chosen; the provider does not exist yet.
            return {"provider": Provider(provider_type=answers.get("provider_type", ""))}
        return {
            "accreditation_status": answers.get("accreditation_status", ""),
            "provider_type": answers.get("provider_type", ""),
        }

    def cancel_url(self):
        return reverse("admin:registry_provider_changelist")

    def save(self, answers):
        self.added = provider_create(
            actor=self.request.user,
            **{name: answers[name] for name in ("accreditation_status", *PROVIDER_DETAILS_FIELDS)},
        )
        if _accredited(answers):
            accreditation_create(
                actor=self.request.user,
                provider=self.added,
                number=answers["number"],
                starts_on=answers["starts_on"],
                ends_on=answers.get("ends_on"),
            )

    def done_url(self):
        return provider_url(self.added)
