"""The answers support users give about a provider. The form words its rules with `registry.messages`."""

from django import forms

from registry.forms.base import AcademicYearsField, DateField, RegisterForm, TextField
from registry.messages import PROVIDER_MESSAGES
from registry.models import Provider
from registry.models.provider import TYPES_BY_STATUS, AccreditationStatus, ProviderType
from registry.selectors import provider_code_taken
from registry.validators import Problem, normalise_provider_code, provider_problems


class ProviderForm(RegisterForm):
    """Every answer about a provider. A step keeps the ones it asks for with `fields=`.

    `provider` is the provider being changed, if any. When the form does not ask for the
    accreditation status or provider type, give them (`accreditation_status=`, `provider_type=`)
    for the answers that depend on them: the types on offer and whether a URN is needed.
    """

    error_messages = PROVIDER_MESSAGES

    accreditation_status = forms.ChoiceField(
        label="Is the provider accredited?",
        choices=[(AccreditationStatus.ACCREDITED, "Yes"), (AccreditationStatus.UNACCREDITED, "No")],
        widget=forms.RadioSelect,
        error_messages={
            "required": error_messages["accreditation_status_required"],
            "invalid_choice": error_messages["accreditation_status_required"],
        },
    )
    provider_type = forms.ChoiceField(
        label="Provider type",
        choices=ProviderType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": error_messages["provider_type_required"],
            "invalid_choice": error_messages["provider_type_required"],
        },
    )
    operating_name = TextField(label="Operating name", required_message=error_messages["operating_name_required"])
    legal_name = TextField(label="Legal name (optional)")
    ukprn = TextField(
        label="UK provider reference number (UKPRN)",
        max_length=None,
        required_message=error_messages["ukprn_required"],
    )
    urn = TextField(label="Unique reference number (URN)", max_length=None)
    code = TextField(label="Provider code", max_length=None, required_message=error_messages["code_required"])
    onboarded_on = DateField(
        label="Date onboarded (optional)",
        help_text="For example, 1 8 2025",
        invalid_message=error_messages["onboarded_on_invalid"],
    )
    first_active_on = DateField(
        label="Date first active (optional)",
        help_text="For example, 1 8 2025",
        invalid_message=error_messages["first_active_on_invalid"],
    )
    academic_years = AcademicYearsField(
        label="Academic years", required_message=error_messages["academic_years_required"]
    )

    def __init__(
        self,
        *args,
        provider: Provider | None = None,
        accreditation_status: str | None = None,
        provider_type: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.given_status = accreditation_status or (provider.accreditation_status if provider else "")
        self.given_type = provider_type or (provider.provider_type if provider else "")
        if "provider_type" in self.fields and self.given_status in TYPES_BY_STATUS:
            allowed = TYPES_BY_STATUS[self.given_status]
            self.fields["provider_type"].choices = [(kind.value, kind.label) for kind in allowed]
        if "urn" in self.fields and self.given_type not in ("", ProviderType.SCHOOL, ProviderType.SCITT):
            self.fields["urn"].label = "Unique reference number (URN) (optional)"

    def clean(self):
        cleaned = super().clean()
        if "code" in cleaned:
            cleaned["code"] = normalise_provider_code(cleaned["code"])
        values = {name: cleaned.get(name, "") for name in self.fields if name != "academic_years"}
        if "academic_years" in self.fields and "academic_years" not in self.errors:
            values["academic_years"] = cleaned.get("academic_years", [])
        problems = provider_problems(values, provider_type=self.given_type, accreditation_status=self.given_status)
        # A step that asks for the type but not the URN leaves the URN to the step that asks for it.
        problems = [problem for problem in problems if problem.field != "urn" or "urn" in self.fields]
        if cleaned.get("code") and provider_code_taken(cleaned["code"], exclude=self.provider):
            problems.append(Problem.of("code", "code_taken"))
        self.add_problems(problems)
        return cleaned
