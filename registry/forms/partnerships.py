"""The answers support users give about a partnership. The form words its rules with `registry.messages`."""

from django import forms

from registry.forms.base import AcademicYearsField, DateField, RegisterForm
from registry.messages import PARTNERSHIP_MESSAGES
from registry.models import Partnership, Provider
from registry.models.partnership import PARTNER_ROLES
from registry.pages.widgets import Select
from registry.selectors import partnership_partner_choices
from registry.validators import partnership_problems


class PartnershipForm(RegisterForm):
    """A partnership seen from `provider`: its partner (when adding), its dates and academic years.

    An accredited provider's partner is a training partner; anyone else's partner is an
    accredited provider. `partnership` is the one being changed, if any: its partners never
    change, so only its dates and academic years are asked for.
    """

    error_messages = PARTNERSHIP_MESSAGES

    partner = forms.ModelChoiceField(queryset=Provider.objects.none(), widget=Select)
    starts_on = DateField(
        label="Partnership start date",
        help_text="For example, 1 8 2025",
        required_message=error_messages["starts_on_required"],
        invalid_message=error_messages["starts_on_invalid"],
    )
    ends_on = DateField(
        label="Partnership end date (optional)",
        help_text="For example, 31 7 2026",
        invalid_message=error_messages["ends_on_invalid"],
    )
    academic_years = AcademicYearsField(
        label="Academic year",
        help_text="Select all that apply",
        required_message=error_messages["academic_years_required"],
    )

    def __init__(self, *args, provider: Provider, partnership: Partnership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.partnership = partnership
        self.partner_side = Partnership.new_partner_side(provider)
        if partnership is not None:
            self.fields.pop("partner", None)
            self.partner_side = partnership.partner_side_of(provider)
        elif "partner" in self.fields:
            field = self.fields["partner"]
            field.queryset = partnership_partner_choices(provider=provider)
            message = self.error_messages[f"{self.partner_side}_required"]
            field.error_messages = {"required": message, "invalid_choice": message}
            field.label = PARTNER_ROLES[self.partner_side]

    def clean(self):
        cleaned = super().clean()
        values = {}
        if "partner" in self.fields and "partner" not in self.errors:
            partner = cleaned.get("partner")
            if self.partner_side == "training_partner":
                values.update(accredited_provider=self.provider, training_partner=partner)
            else:
                values.update(accredited_provider=partner, training_partner=self.provider)
        for name in ("starts_on", "ends_on"):
            if name in self.fields and name not in self.errors:
                values[name] = cleaned.get(name)
        if "academic_years" in self.fields and "academic_years" not in self.errors:
            values["academic_years"] = cleaned.get("academic_years", [])
        existing = {}
        if self.partnership is not None:
            existing = {"starts_on": self.partnership.starts_on, "ends_on": self.partnership.ends_on}
        self.add_problems(
            partnership_problems(values, **existing),
            field_names={"accredited_provider": "partner", "training_partner": "partner"},
        )
        return cleaned

    def answers(self) -> dict:
        """The answers as `partnership_create` takes them: the partner on its side of the partnership."""
        answers = dict(self.cleaned_data)
        if "partner" in answers:
            partner = answers.pop("partner")
            if self.partner_side == "training_partner":
                answers.update(accredited_provider=self.provider, training_partner=partner)
            else:
                answers.update(accredited_provider=partner, training_partner=self.provider)
        return answers
