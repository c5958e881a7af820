"""Change provider: its details, dates and academic years → check your answers → save.

Its type and accreditation status follow its accreditations, and its RoTP id never changes, so
none of them is asked. The dates and academic years Add provider asked (or worked out) are
changed here too. An answer left as it is is not checked again: a gap an import left
(a missing UKPRN, say) does not stop anyone changing something else.
"""

from registry import permissions
from registry.admin.pages import ProviderPage
from registry.forms import ProviderForm
from registry.pages.change_flows import ChangeFlow
from registry.pages.flows import Step
from registry.services.providers import PROVIDER_UPDATED, provider_update

EDIT_PROVIDER_FIELDS = (
    "operating_name",
    "legal_name",
    "ukprn",
    "urn",
    "code",
    "onboarded_on",
    "first_active_on",
    "academic_years",
)


class ChangeProviderFlow(ProviderPage, ChangeFlow):
    form_class = ProviderForm
    steps = (Step("", "Provider details", EDIT_PROVIDER_FIELDS),)
    action = "Change provider"
    thing = "provider"
    submit_label = "Save provider"
    success_message = PROVIDER_UPDATED
    section = "details"

    def has_permission(self):
        return permissions.user_can_change_provider(self.request.user, self.provider)

    def changed_object(self):
        return self.provider

    def current_values(self):
        values = super().current_values()
        values["academic_years"] = sorted(self.provider.academic_years.values_list("start_year", flat=True))
        return values

    def form_kwargs(self, step, answers):
        return {"provider": self.provider}

    def form_is_valid(self, form):
        if form.is_valid():
            return True
        current = self.initial_answers()
        for name in list(form.errors):
            if name in current and _submitted(form, name) == _submitted_value(current[name]):
                del form.errors[name]
        return not form.errors

    def save(self, answers):
        if changes := self.changes(answers):
            provider_update(actor=self.request.user, provider=self.provider, changes=changes)


def _submitted(form, name: str):
    """What was given for `name`, as the draft would keep it."""
    data = form.data
    value = data.getlist(name) if hasattr(data, "getlist") and name == "academic_years" else data.get(name, "")
    return _submitted_value(value)


def _submitted_value(value):
    if isinstance(value, list | tuple):
        return sorted(str(each) for each in value)
    return " ".join(str(value or "").split())
