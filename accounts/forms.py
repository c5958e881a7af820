"""The forms support users fill in about accounts and API clients. They own the service's wording."""

import datetime

from django import forms
from django.utils import timezone

from accounts.api_clients.services import (
    CLIENT_NAME_MAX_LENGTH,
    DEFAULT_TOKEN_LIFETIME_MONTHS,
    EXPIRY_NOT_IN_FUTURE,
    EXPIRY_TOO_FAR,
    MAX_TOKEN_LIFETIME_MONTHS,
    months_ahead,
)
from accounts.minimum_support_users import DEACTIVATE, removal_of, support_user_removal_refusal
from accounts.models import User
from accounts.models.user import normalise_email
from accounts.roles import Role
from accounts.services import USER_EMAIL_TAKEN
from accounts.validators import DFE_EMAIL_INVALID, is_dfe_email
from registry.formats import format_govuk_date
from registry.pages.dates import GovukDateField
from registry.pages.widgets import RadioWithHints
from registry.validators import has_control_characters

YES = "yes"
NO = "no"
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]
NO_ROLE = "none"
TEXT_INPUT = {"class": "app-input", "autocomplete": "off", "spellcheck": "false"}

# What each role may do, as the role question's hints say it (accounts.roles.ROLE_PERMISSIONS).
ROLE_HINTS = {
    Role.SUPPORT_ADMINISTRATOR: "Manage users and API clients, and change providers and their records",
    Role.SUPPORT_EDITOR: "Add and change providers and their records",
    Role.SUPPORT_VIEWER: "See providers and users, without changing them",
    Role.AUDITOR: "Read the activity and each record's history",
}
NO_ROLE_HINT = "Signs in, but cannot see or change anything until given a role"


def refuse_control_characters(value: str) -> None:
    """The register's rule for every text answer (`registry.validators.CONTROL_CHARACTERS`), worded
    by the field's "control_characters" message. A NUL is left to Django's own check, which every
    text field makes first, in the same words (`text_error_messages`)."""
    if has_control_characters(value.replace("\x00", "")):
        raise forms.ValidationError("Enter text without control characters", code="control_characters")


def text_error_messages(required: str, control_characters: str) -> dict[str, str]:
    """A text answer's wording: missing, and with a control character (a NUL too, which Django refuses first)."""
    return {
        "required": required,
        "control_characters": control_characters,
        "null_characters_not_allowed": control_characters,
    }


# The fields of an account, in the order every page shows them.
PERSONAL_DETAILS = ("first_name", "last_name", "email", "is_api_user")
USER_FIELDS = (*PERSONAL_DETAILS, "is_active", "role")


class YesNoField(forms.TypedChoiceField):
    """A required Yes/No question answered with radios, cleaned to a bool (which a draft keeps)."""

    widget = forms.RadioSelect

    def __init__(self, *, required_message: str, **kwargs):
        super().__init__(
            choices=YES_NO_CHOICES,
            coerce=lambda value: value == YES,
            empty_value=None,
            error_messages={"required": required_message, "invalid_choice": required_message},
            **kwargs,
        )

    def to_python(self, value):
        return self.prepare_value(value) if isinstance(value, bool) else super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, bool):
            return YES if value else NO
        return value


class UserDetailsForm(forms.Form):
    """Every answer about an account. Pages keep only the answers a support user may give."""

    error_messages = {
        "first_name_required": "Enter first name",
        "last_name_required": "Enter last name",
        "email_required": "Enter email address",
        "first_name_control_characters": "First name must not contain control characters",
        "last_name_control_characters": "Last name must not contain control characters",
        "email_control_characters": "Email address must not contain control characters",
        "not_dfe_email": DFE_EMAIL_INVALID,
        "email_taken": USER_EMAIL_TAKEN,
        "is_api_user_required": "Select if the account is an API user",
        "is_active_required": "Select if the account is active",
        "role_required": "Select a role",
    }

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        widget=forms.TextInput(attrs=TEXT_INPUT),
        validators=[refuse_control_characters],
        error_messages=text_error_messages(
            error_messages["first_name_required"], error_messages["first_name_control_characters"]
        ),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        widget=forms.TextInput(attrs=TEXT_INPUT),
        validators=[refuse_control_characters],
        error_messages=text_error_messages(
            error_messages["last_name_required"], error_messages["last_name_control_characters"]
        ),
    )
    email = forms.CharField(
        label="Email address",
        max_length=254,
        help_text="Email address must be a valid Department for Education address, like name@education.gov.uk",
        widget=forms.EmailInput(attrs=TEXT_INPUT),
        validators=[refuse_control_characters],
        error_messages=text_error_messages(
            error_messages["email_required"], error_messages["email_control_characters"]
        ),
    )
    is_api_user = YesNoField(
        label="Is the account an API user?",
        required_message=error_messages["is_api_user_required"],
    )
    is_active = YesNoField(
        label="Is the account active?",
        required_message=error_messages["is_active_required"],
    )
    # Kept as NO_ROLE in a draft, given to the service as "" (`answers`).
    role = forms.ChoiceField(
        label="Role",
        choices=[*((role.value, role.value) for role in Role), (NO_ROLE, "No role")],
        widget=RadioWithHints(hints={**ROLE_HINTS, NO_ROLE: NO_ROLE_HINT}),
        help_text="API users have no role: they never use the web pages.",
        error_messages={"required": error_messages["role_required"], "invalid_choice": error_messages["role_required"]},
    )

    def __init__(self, *args, fields, user: User | None = None, offer_no_role: bool = True, **kwargs):
        """`fields` are the answers to ask for; `user` is the account being changed, if any.

        A new support user needs a role to do anything, so adding one does not offer "No role".
        """
        super().__init__(*args, **kwargs)
        self.user = user
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        if "role" in self.fields and not offer_no_role:
            role = self.fields["role"]
            role.choices = [choice for choice in role.choices if choice[0] != NO_ROLE]
            role.help_text = ""

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
            cleaned["role"] = NO_ROLE
            self.errors.pop("role", None)
        if self.user is not None:
            self._support_users_remain(cleaned)
        return cleaned

    def _support_users_remain(self, cleaned: dict) -> None:
        """Refuse, at its question, making one of the last active support users inactive or an API user."""
        changes = {name: cleaned[name] for name in ("is_active", "is_api_user") if name in cleaned}
        refusal = support_user_removal_refusal(self.user, changes=changes)
        if refusal is not None:
            self.add_error("is_active" if removal_of(changes=changes) == DEACTIVATE else "is_api_user", refusal)

    def answers(self) -> dict:
        """The cleaned answers as the services take them: no role is ""."""
        answers = dict(self.cleaned_data)
        if answers.get("role") == NO_ROLE:
            answers["role"] = ""
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


# ---------------------------------------------------------------------------------------------------
# API clients
# ---------------------------------------------------------------------------------------------------

ANOTHER_DATE = "date"
# How long a new token works: (answer, label, months or days ahead).
EXPIRY_OPTIONS = (
    ("30-days", "30 days", datetime.timedelta(days=30)),
    ("90-days", "90 days", datetime.timedelta(days=90)),
    ("6-months", "6 months", DEFAULT_TOKEN_LIFETIME_MONTHS),
    ("12-months", "1 year", MAX_TOKEN_LIFETIME_MONTHS),
)


def token_expires_at(expiry: str, expires_on: datetime.date | None, now: datetime.datetime) -> datetime.datetime:
    """When a new token stops working: after the chosen time, or as the chosen date starts (UK time)."""
    if expiry == ANOTHER_DATE:
        return timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.min))
    ahead = next(ahead for answer, _, ahead in EXPIRY_OPTIONS if answer == expiry)
    return now + ahead if isinstance(ahead, datetime.timedelta) else months_ahead(now, ahead)


class ApiUserField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} ({user.email})"

    def display_answer(self, user) -> str:
        return self.label_from_instance(user)


class ExpiryField(forms.ChoiceField):
    """How long the token works; each option's hint is the date it would stop (`hint_dates`)."""

    widget = RadioWithHints

    def __init__(self, **kwargs):
        options = [(answer, label) for answer, label, _ in EXPIRY_OPTIONS]
        super().__init__(choices=[*options, (ANOTHER_DATE, "Another date")], **kwargs)

    @staticmethod
    def until(answer: str, now: datetime.datetime) -> str:
        return format_govuk_date(timezone.localtime(token_expires_at(answer, None, now)))

    def hint_dates(self, now: datetime.datetime) -> None:
        self.widget.hints = {answer: f"Until {self.until(answer, now)}" for answer, _, _ in EXPIRY_OPTIONS}

    def display_answer(self, value) -> str:
        label = dict(self.choices)[value]
        return label if value == ANOTHER_DATE else f"{label}, until {self.until(value, timezone.now())}"


class ApiClientForm(forms.Form):
    """An API client a support user adds for an API user: whose, its name, and when its token expires."""

    error_messages = {
        "owner_required": "Select the API user the client is for",
        "name_required": "Enter client name",
        "name_control_characters": "Client name must not contain control characters",
        "expiry_required": "Select when the token expires",
        "expires_on_required": "Enter expiry date",
        "expires_on_invalid": "Expiry date must be a real date",
        "expiry_not_in_future": EXPIRY_NOT_IN_FUTURE,
        "expiry_too_far": EXPIRY_TOO_FAR,
    }

    owner = ApiUserField(
        label="API user",
        queryset=User.objects.kept().filter(is_api_user=True, is_active=True).order_by("first_name", "last_name"),
        widget=forms.Select(attrs={"class": "app-select"}),
        empty_label="Select an API user",
        error_messages={
            "required": error_messages["owner_required"],
            "invalid_choice": error_messages["owner_required"],
        },
    )
    name = forms.CharField(
        label="Client name",
        max_length=CLIENT_NAME_MAX_LENGTH,
        help_text="What the client is, for example the name of the system that will use the token",
        widget=forms.TextInput(attrs={"class": "app-input", "autocomplete": "off"}),
        validators=[refuse_control_characters],
        error_messages=text_error_messages(error_messages["name_required"], error_messages["name_control_characters"]),
    )
    expiry = ExpiryField(
        label="When should the token expire?",
        error_messages={
            "required": error_messages["expiry_required"],
            "invalid_choice": error_messages["expiry_required"],
        },
    )
    expires_on = GovukDateField(
        label="Expiry date",
        required_message=error_messages["expires_on_required"],
        invalid_message=error_messages["expires_on_invalid"],
    )

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        now = timezone.now()
        if "expiry" in self.fields:
            self.fields["expiry"].hint_dates(now)
        if "expires_on" in self.fields:
            example = timezone.localtime(months_ahead(now, 3))
            self.fields["expires_on"].help_text = (
                "The token stops working as this day starts. It must be within the next 12 months. "
                f"For example, {example.day} {example.month} {example.year}"
            )

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on <= today:
            raise forms.ValidationError(self.error_messages["expiry_not_in_future"], code="expiry_not_in_future")
        if expires_on > months_ahead(timezone.localtime(), MAX_TOKEN_LIFETIME_MONTHS).date():
            raise forms.ValidationError(self.error_messages["expiry_too_far"], code="expiry_too_far")
        return expires_on

    def answers(self) -> dict:
        return dict(self.cleaned_data)
