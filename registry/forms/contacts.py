"""The answers support users give about a provider's contact. The form words its rules with `registry.messages`."""

from registry.forms.base import RegisterForm, TextField
from registry.messages import CONTACT_MESSAGES
from registry.models import Contact, Provider
from registry.pages.widgets import EmailInput
from registry.selectors import contact_email_taken
from registry.validators import Problem, contact_problems, normalise_email_address


class ContactForm(RegisterForm):
    """A contact at `provider`; `contact` is the one being changed, if any."""

    error_messages = CONTACT_MESSAGES

    first_name = TextField(label="First name", max_length=None, required_message=error_messages["first_name_required"])
    last_name = TextField(label="Last name", max_length=None, required_message=error_messages["last_name_required"])
    email = TextField(
        label="Email address",
        max_length=None,
        required_message=error_messages["email_required"],
        widget=EmailInput(),
    )
    telephone = TextField(label="Phone number (optional)", max_length=None)

    def __init__(self, *args, provider: Provider, contact: Contact | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.contact = contact

    def clean(self):
        cleaned = super().clean()
        if "email" in cleaned:
            cleaned["email"] = normalise_email_address(cleaned["email"])
        problems = contact_problems({name: cleaned.get(name, "") for name in self.fields})
        if cleaned.get("email") and contact_email_taken(
            provider=self.provider, email=cleaned["email"], exclude=self.contact
        ):
            problems.append(Problem.of("email", "email_taken"))
        self.add_problems(problems)
        return cleaned
