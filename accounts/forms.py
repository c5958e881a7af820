"""The forms support users fill in about an account. They own the service's wording."""

from django import forms
from unfold.widgets import (
    UnfoldAdminEmailInputWidget,
    UnfoldAdminRadioSelectWidget,
    UnfoldAdminTextInputWidget,
)

from accounts.models import User
from accounts.models.user import normalise_email
from accounts.roles import Role
from accounts.services import USER_EMAIL_TAKEN
from accounts.validators import DFE_EMAIL_INVALID, is_dfe_email

YES = "yes"
NO = "no"
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]
NO_ROLE = "none"


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


class YesNoField(forms.TypedChoiceField):
    """A required Yes/No question answered with radios, cleaned to a bool."""

    widget = UnfoldAdminRadioSelectWidget

    def __init__(self, *, required_message: str, **kwargs):
        super().__init__(
            choices=YES_NO_CHOICES,
            coerce=lambda value: value == YES,
            empty_value=None,
            error_messages={"required": required_message, "invalid_choice": required_message},
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, bool):
            return YES if value else NO
        return value


class UserDetailsForm(forms.Form):
    """Every answer about an account. Views keep only the answers a support user may give."""

    error_messages = {
        "first_name_required": "Enter first name",
        "last_name_required": "Enter last name",
        "email_required": "Enter email address",
        "not_dfe_email": DFE_EMAIL_INVALID,
        "email_taken": USER_EMAIL_TAKEN,
        "is_api_user_required": "Select if the account is an API user",
        "is_active_required": "Select if the account is active",
        "role_required": "Select a role",
    }

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        widget=UnfoldAdminTextInputWidget(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": error_messages["first_name_required"]},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        widget=UnfoldAdminTextInputWidget(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": error_messages["last_name_required"]},
    )
    email = forms.CharField(
        label="Email address",
        max_length=254,
        help_text="Email address must be a valid Department for Education address, like name@education.gov.uk",
        widget=UnfoldAdminEmailInputWidget(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": error_messages["email_required"]},
    )
    is_api_user = YesNoField(
        label="Is the account an API user?",
        required_message=error_messages["is_api_user_required"],
    )
    is_active = YesNoField(
        label="Is the account active?",
        required_message=error_messages["is_active_required"],
    )

    role = forms.TypedChoiceField(
        label="Role",
        choices=[*((role.value, role.value) for role in Role), (NO_ROLE, "No role")],
        coerce=lambda value: "" if value == NO_ROLE else value,
        empty_value=None,
        widget=UnfoldAdminRadioSelectWidget,
        help_text="API users have no role: they never use the web pages.",
        error_messages={"required": error_messages["role_required"], "invalid_choice": error_messages["role_required"]},
    )

    def __init__(self, *args, fields: frozenset[str] | list[str], user: User | None = None, **kwargs):
        """`fields` are the answers to ask for; `user` is the account being changed, if any."""
        super().__init__(*args, **kwargs)
        self.user = user
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]

    def full_clean(self):
        super().full_clean()
        # Screen readers announce an input's error with it, as they already do its hint.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                hint = f"id_{name}_helptext " if self.fields[name].help_text else ""
                widget.attrs["aria-describedby"] = f"{hint}id_{name}-error"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_api_user") and "role" in self.fields:
            cleaned["role"] = ""
            self.errors.pop("role", None)
        return cleaned

    def answers(self) -> dict:
        """The cleaned answers as the form takes them back: what a draft keeps between steps."""
        answers = {name: self.fields[name].prepare_value(value) for name, value in self.cleaned_data.items()}
        if answers.get("role") == "":
            answers["role"] = NO_ROLE
        return answers

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if not is_dfe_email(email):
            raise forms.ValidationError(self.error_messages["not_dfe_email"], code="not_dfe_email")
        users = User.objects.kept().filter(email__iexact=email)
        if self.user is not None:
            users = users.exclude(pk=self.user.pk)
        if users.exists():
            raise forms.ValidationError(self.error_messages["email_taken"], code="email_taken")
        return email


ADD_USER_FIELDS = ["first_name", "last_name", "email", "is_api_user"]
EDIT_USER_FIELDS = ["first_name", "last_name", "email", "is_api_user", "is_active", "role"]
