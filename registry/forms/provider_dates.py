"""The two dates Add provider asks first, when the provider onboarded and when it first became
active, and the academic years worked out from them.

Each date is asked as DfE's service asks it: radios with the likely answers (today or yesterday;
the same day as it onboarded) and "Another day", which reveals a GOV.UK date input. Whichever is
chosen, the form's answer is the date itself (`onboarded_on`, `first_active_on`), checked by the
provider rules (`provider_date_rules`) and worded by `registry.messages`.
"""

import datetime

from django import forms
from django.utils import timezone

from registry.formats import format_govuk_date
from registry.forms.base import AcademicYearsField, DateField, RegisterForm
from registry.messages import PROVIDER_MESSAGES
from registry.pages.widgets import RadiosWithReveal, bind_reveals
from registry.provider_date_rules import provider_date_problems

ANOTHER_DAY = "another_day"
DATE_HINT = "For example, 27 3 2025"


class _DateChoiceForm(RegisterForm):
    """A radio question (`choice_name`) whose answer is a date (`date_name`): one the choice names,
    or, for "Another day", the one typed in the boxes it reveals."""

    error_messages = PROVIDER_MESSAGES
    choice_name = ""
    date_name = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A date the choice worked out ("Today") is not offered again as one typed for "Another day".
        if self.initial.get(self.choice_name) != ANOTHER_DAY:
            self.initial = {name: value for name, value in self.initial.items() if name != self.date_name}
        bind_reveals(self)

    def chosen_date(self, choice: str) -> datetime.date | None:
        """The date an option other than "Another day" stands for."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get(self.choice_name)
        if choice != ANOTHER_DAY:
            # The boxes count only when "Another day" is chosen: what they hold otherwise is no answer.
            self._errors.pop(self.date_name, None)
            self.fields[self.date_name].widget.error_parts = frozenset()
            cleaned[self.date_name] = self.chosen_date(choice) if choice else None
        elif self.date_name not in self.errors and cleaned.get(self.date_name) is None:
            self.add_error(self.date_name, self.error(f"{self.date_name}_required"))
        if cleaned.get(self.date_name):
            self.add_problems(provider_date_problems({self.date_name: cleaned[self.date_name]}, timezone.localdate()))
        return cleaned

    def answers(self) -> dict:
        return {self.date_name: self.cleaned_data.get(self.date_name)}


class OnboardedForm(_DateChoiceForm):
    """When did the provider onboard? Today, yesterday or another day."""

    choice_name = "onboarded"
    date_name = "onboarded_on"

    onboarded = forms.ChoiceField(
        label="When did the provider onboard?",
        choices=[("today", "Today"), ("yesterday", "Yesterday"), (ANOTHER_DAY, "Another day")],
        widget=RadiosWithReveal(reveals={ANOTHER_DAY: "onboarded_on"}),
        error_messages={
            "required": PROVIDER_MESSAGES["onboarded_when_required"],
            "invalid_choice": PROVIDER_MESSAGES["onboarded_when_required"],
        },
    )
    onboarded_on = DateField(
        label="Date onboarded", help_text=DATE_HINT, invalid_message=PROVIDER_MESSAGES["onboarded_on_invalid"]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Each likely day says which date it is, so nobody has to work it out.
        self.fields["onboarded"].widget.hints = {
            "today": format_govuk_date(today),
            "yesterday": format_govuk_date(today - datetime.timedelta(days=1)),
        }

    def chosen_date(self, choice):
        today = timezone.localdate()
        return today if choice == "today" else today - datetime.timedelta(days=1)


class FirstActiveForm(_DateChoiceForm):
    """When did the provider first become active? The day it onboarded (`onboarded_on`), or another day."""

    choice_name = "first_active"
    date_name = "first_active_on"

    first_active = forms.ChoiceField(
        label="When did the provider first become active?",
        widget=RadiosWithReveal(reveals={ANOTHER_DAY: "first_active_on"}),
        error_messages={
            "required": PROVIDER_MESSAGES["first_active_when_required"],
            "invalid_choice": PROVIDER_MESSAGES["first_active_when_required"],
        },
    )
    first_active_on = DateField(
        label="Date first active", help_text=DATE_HINT, invalid_message=PROVIDER_MESSAGES["first_active_on_invalid"]
    )

    def __init__(self, *args, onboarded_on: datetime.date | str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.onboarded_on = _as_date(onboarded_on)
        same = f"Same as onboarded at date, {format_govuk_date(self.onboarded_on)}" if self.onboarded_on else None
        self.fields["first_active"].choices = [
            *([("same", same)] if same else []),
            (ANOTHER_DAY, "Another day"),
        ]

    def chosen_date(self, choice):
        return self.onboarded_on


class ActiveAcademicYearsForm(RegisterForm):
    """The academic years the provider has been active in: worked out from when it first became
    active, and changed here if they are not right."""

    error_messages = PROVIDER_MESSAGES

    academic_years = AcademicYearsField(
        label="Academic years",
        help_text="Select all that apply",
        required_message=PROVIDER_MESSAGES["academic_years_required"],
    )


def _as_date(value) -> datetime.date | None:
    """A date as a flow's draft keeps it ("2025-08-01"), or None."""
    if isinstance(value, datetime.date) or not value:
        return value or None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
