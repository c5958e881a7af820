"""The answers support users give about a provider's contact. The form owns the wording of its rules."""

from unfold.widgets import UnfoldAdminEmailInputWidget

from registry.forms.base import RegisterForm, TextField
from registry.models import Contact, Provider
from registry.selectors import contact_email_taken
from registry.validators import Problem, contact_problems, normalise_email_address


class ContactForm(RegisterForm):
    """A contact at `provider`; `contact` is the one being changed, if any."""

    error_messages = {
        "first_name_required": "Enter first name",
        "first_name_too_long": "First name must be 255 characters or fewer",
        "last_name_required": "Enter last name",
        "last_name_too_long": "Last name must be 255 characters or fewer",
        "email_required": "Enter email address",
        "email_invalid": "Enter an email address in the correct format, like name@example.com",
        # The real service's wording, although a contact is not a user of the service.
        "email_taken": "Email address is already associated with a user, use a different one",
        "telephone_invalid": "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
    }

    first_name = TextField(label="First name", max_length=None, required_message=error_messages["first_name_required"])
    last_name = TextField(label="Last name", max_length=None, required_message=error_messages["last_name_required"])
    email = TextField(
        label="Email address",
        max_length=None,
        required_message=error_messages["email_required"],
        widget=UnfoldAdminEmailInputWidget(attrs={"autocomplete": "off", "spellcheck": "false"}),
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
