"""The answers support users give about an accreditation. The form words its rules with `registry.messages`."""

from registry.forms.base import DateField, RegisterForm, TextField
from registry.messages import ACCREDITATION_MESSAGES
from registry.models import Accreditation, Provider
from registry.models.provider import ProviderType
from registry.validators import accreditation_problems

_HINT = "A unique 4 digit code starting with ‘{digit}’ assigned by DfE to accredited providers, for example {example}"
# The hint names the first digit the provider's type uses, as the error for a wrong number does.
ACCREDITATION_NUMBER_HINTS = {
    ProviderType.HEI: _HINT.format(digit="1", example="1234"),
    ProviderType.SCITT: _HINT.format(digit="5", example="5678"),
    ProviderType.SCHOOL: _HINT.format(digit="5", example="5678"),
}
ACCREDITATION_NUMBER_HINT = _HINT.format(digit="1’ or ‘5", example="1234")


class AccreditationForm(RegisterForm):
    """An accreditation's number and dates, for `provider` (whose type decides the number's format)."""

    error_messages = ACCREDITATION_MESSAGES

    number = TextField(
        label="Accredited provider number", max_length=None, required_message=error_messages["number_required"]
    )
    starts_on = DateField(
        label="Accreditation start date",
        help_text="For example, 1 8 2025",
        required_message=error_messages["starts_on_required"],
        invalid_message=error_messages["starts_on_invalid"],
    )
    ends_on = DateField(
        label="Accreditation end date (optional)",
        help_text="For example, 31 7 2026",
        invalid_message=error_messages["ends_on_invalid"],
    )

    def __init__(self, *args, provider: Provider, accreditation: Accreditation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.accreditation = accreditation
        if "number" in self.fields:
            self.fields["number"].help_text = ACCREDITATION_NUMBER_HINTS.get(
                provider.provider_type, ACCREDITATION_NUMBER_HINT
            )

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned[name] for name in self.fields if name in cleaned}
        if "number" in self.fields and "number" not in cleaned:
            values["number"] = ""
        if "starts_on" in self.fields and "starts_on" not in self.errors:
            values.setdefault("starts_on", None)
        # A step that does not ask for the start date checks the end against the one already given.
        starts_on = self.accreditation.starts_on if self.accreditation and "starts_on" not in self.fields else None
        self.add_problems(
            accreditation_problems(values, provider_type=self.provider.provider_type, starts_on=starts_on)
        )
        return cleaned
