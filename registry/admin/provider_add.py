"""Add provider, in the order DfE's service asks: when it onboarded → when it first became active →
accredited? → type → details → accreditation (if accredited) → address → check your answers → save.

Its academic years are not asked on the way: they are worked out from the date it first became
active (each year from the one that date falls in to the current one) whenever that date changes,
and shown on check your answers, whose Change link opens them as checkboxes to choose from, as in
DfE's design. The types offered are those the answer to "Is the provider accredited?" allows, and
whether the URN is asked for as optional follows the type (a school or SCITT has one). Saving adds
the provider with its academic years, accreditation and address in one transaction
(`provider_onboard`): a provider is accredited only while one of its accreditations is current,
which the check page says before anyone saves. The address is found by its postcode or typed in
(`provider_add_address`).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from registry import permissions
from registry.address_finder.steps import AddressFinderFlow
from registry.admin.pages import PROVIDER_REFUSALS, provider_url
from registry.admin.provider_add_address import ADDRESS_STEPS, address_answers
from registry.admin.sections import SHORT_TYPE_NAMES
from registry.formats import format_govuk_date
from registry.forms import AccreditationForm, ProviderForm
from registry.forms.provider_dates import ActiveAcademicYearsForm, FirstActiveForm, OnboardedForm
from registry.models import Provider
from registry.models.provider import AccreditationStatus
from registry.pages.flows import Flow, FlowRefused, Step
from registry.services.academic_years import academic_years_active_since
from registry.services.provider_onboarding import provider_onboard
from registry.services.providers import PROVIDER_ADDED
from registry.validators import accreditation_outcome

PROVIDER_DETAILS_FIELDS = ("operating_name", "legal_name", "ukprn", "urn", "code")
PROVIDER_FIELDS = (
    "onboarded_on",
    "first_active_on",
    "academic_years",
    "accreditation_status",
    "provider_type",
    *PROVIDER_DETAILS_FIELDS,
)
ACCREDITATION_FIELDS = ("number", "starts_on", "ends_on")
# Each date question's radios, by the date they answer: check your answers shows the date alone.
DATE_CHOICES = {"onboarded_on": "onboarded", "first_active_on": "first_active"}
# The first active date the academic years were last worked out from, kept in the draft.
YEARS_WORKED_OUT_FROM = "academic_years_worked_out_from"


def _accredited(answers: dict) -> bool:
    return answers.get("accreditation_status") == AccreditationStatus.ACCREDITED


class AddProviderFlow(AddressFinderFlow, Flow):
    form_class = ProviderForm
    steps = (
        Step("", "When did the provider onboard?", ("onboarded", "onboarded_on"), OnboardedForm),
        Step(
            "first-active",
            "When did the provider first become active?",
            ("first_active", "first_active_on"),
            FirstActiveForm,
        ),
        Step("academic-years", "Academic years", ("academic_years",), ActiveAcademicYearsForm, asked=False),
        Step("accredited", "Is the provider accredited?", ("accreditation_status",)),
        Step("type", "Provider type", ("provider_type",)),
        Step("details", "Provider details", PROVIDER_DETAILS_FIELDS),
        Step("accreditation", "Accreditation details", ACCREDITATION_FIELDS, AccreditationForm, _accredited),
        *ADDRESS_STEPS,
    )
    action = "Add provider"
    submit_label = "Save provider"
    success_message = PROVIDER_ADDED
    refusals = (FlowRefused, *PROVIDER_REFUSALS)

    def has_permission(self):
        return permissions.user_can_add_provider(self.request.user)

    def form_kwargs(self, step, answers):
        form_class = step.form_class or self.form_class
        if form_class is FirstActiveForm:
            return {"onboarded_on": answers.get("onboarded_on")}
        if form_class is AccreditationForm:
            # The number's format follows the type chosen; the provider does not exist yet.
            return {"provider": Provider(provider_type=answers.get("provider_type", ""))}
        if form_class is ProviderForm:
            return {
                "accreditation_status": answers.get("accreditation_status", ""),
                "provider_type": answers.get("provider_type", ""),
            }
        # Any other step's (the address's) are its own.
        return super().form_kwargs(step, answers)

    def cancel_url(self):
        return reverse("admin:registry_provider_changelist")

    def _step(self, slug: str) -> Step:
        return next(step for step in self.steps if step.slug == slug)

    def _cleaned(self, slug: str, answers: dict) -> dict | None:
        """One step's answers as its form cleans them, or None while they are not valid."""
        form = self.form(self._step(slug), answers, answers)
        return form.cleaned_data if form.is_valid() else None

    def step_answered(self, step, form, answers, visited):
        """The academic years follow the first active date whenever it changes (as it does with the
        onboarding date it is the same as), and are then answered; changed by hand, they stay so
        until that date changes again."""
        super().step_answered(step, form, answers, visited)
        first_active_on = self._first_active_on(answers)
        if first_active_on is None or answers.get(YEARS_WORKED_OUT_FROM) == first_active_on.isoformat():
            return
        answers["academic_years"] = academic_years_active_since(first_active_on)
        answers[YEARS_WORKED_OUT_FROM] = first_active_on.isoformat()
        visited.add(self._step("academic-years").slug)

    def _first_active_on(self, answers) -> datetime.date | None:
        cleaned = self._cleaned("first-active", answers)
        return cleaned["first_active_on"] if cleaned else None

    def check_rows(self, answers):
        """Each date as one row: its radios' answer is the date."""
        rows = []
        for each in super().check_rows(answers):
            if each["field"] in DATE_CHOICES.values():
                continue
            if choice := DATE_CHOICES.get(each["field"]):
                each["change_url"] = f"{each['change_url'].partition('#')[0]}#{choice}"
            rows.append(each)
        return rows

    def check_warnings(self, answers):
        """An accreditation that is not current today leaves the new provider not accredited (a SCITT a school)."""
        if not _accredited(answers):
            return []
        cleaned = self._cleaned("accreditation", answers)
        if cleaned is None:
            return []
        today = timezone.localdate()
        period = (cleaned["starts_on"], cleaned["ends_on"])
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
        self.added = provider_onboard(
            actor=self.request.user,
            provider={name: answers[name] for name in PROVIDER_FIELDS},
            accreditation={name: answers.get(name) for name in ACCREDITATION_FIELDS} if _accredited(answers) else None,
            address=address_answers(answers),
        )

    def done_url(self):
        return provider_url(self.added)
