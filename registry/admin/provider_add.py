"""Add provider: accredited? → type → details → accreditation (if accredited) → check your answers → save.

The types offered are those the answer to "Is the provider accredited?" allows, and whether the
URN is asked for as optional follows the type (a school or SCITT has one). An accredited provider
is added with its accreditation, in one transaction: a provider is accredited only while one of
its accreditations is current, which the check page says before anyone saves.
"""

from django.urls import reverse
from django.utils import timezone

from registry import permissions
from registry.admin.pages import PROVIDER_REFUSALS, provider_url
from registry.admin.sections import SHORT_TYPE_NAMES
from registry.formats import format_govuk_date
from registry.forms import AccreditationForm, ProviderForm
from registry.models import Provider
from registry.models.provider import AccreditationStatus
from registry.pages.flows import Flow, FlowRefused, Step
from registry.services.accreditations import accreditation_create
from registry.services.providers import PROVIDER_ADDED, provider_create
from registry.validators import accreditation_outcome

PROVIDER_DETAILS_FIELDS = ("operating_name", "legal_name", "ukprn", "urn", "code")
ACCREDITATION_FIELDS = ("number", "starts_on", "ends_on")


def _accredited(answers: dict) -> bool:
    return answers.get("accreditation_status") == AccreditationStatus.ACCREDITED


class AddProviderFlow(Flow):
    form_class = ProviderForm
    steps = (
        Step("", "Is the provider accredited?", ("accreditation_status",)),
        Step("type", "Provider type", ("provider_type",)),
        Step("details", "Provider details", PROVIDER_DETAILS_FIELDS),
        Step("accreditation", "Accreditation details", ACCREDITATION_FIELDS, AccreditationForm, _accredited),
    )
    action = "Add provider"
    submit_label = "Save provider"
    success_message = PROVIDER_ADDED
    refusals = (FlowRefused, *PROVIDER_REFUSALS)

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

    def check_warnings(self, answers):
        """An accreditation that is not current today leaves the new provider not accredited (a SCITT a school)."""
        if not _accredited(answers):
            return []
        step = self.steps[-1]
        form = self.form(step, answers, answers)
        if not form.is_valid():
            return []
        today = timezone.localdate()
        period = (form.cleaned_data["starts_on"], form.cleaned_data["ends_on"])
        status, kind = accreditation_outcome(answers["provider_type"], [period], today)
        if status == AccreditationStatus.ACCREDITED:
            return []
        name = answers.get("operating_name", "the provider")
        warning = (
            f"The accreditation is not current on {format_govuk_date(today)}, so {name} will be added as not accredited"
        )
        if kind != answers["provider_type"]:
            given = SHORT_TYPE_NAMES[answers["provider_type"]]
            warning += f": its type will be {SHORT_TYPE_NAMES[kind]}, not {given}"
        return [f"{warning}."]

    def save(self, answers):
        self.added = provider_create(
            actor=self.request.user,
            **{name: answers[name] for name in ("accreditation_status", "provider_type", *PROVIDER_DETAILS_FIELDS)},
        )
        if _accredited(answers):
            accreditation_create(
                actor=self.request.user,
                provider=self.added,
                **{name: answers.get(name) for name in ACCREDITATION_FIELDS},
            )

    def done_url(self):
        return provider_url(self.added)
