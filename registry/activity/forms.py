"""The Activity page's filters, read from the query string and checked like any other form."""

import datetime

from django import forms
from django.utils import timezone

from accounts.models import User
from registry.activity.filters import ACTIONS, BY_THE_SYSTEM, ActivityFilters
from registry.activity.formats import actor_name
from registry.activity.sources import ACTIVITY_SOURCES, activity_source
from registry.pages.dates import GovukDateField

DATE_HINT = "For example, 21 5 2025"
# Nothing was recorded before the service existed; the bound also keeps day arithmetic in range.
EARLIEST_DATE = datetime.date(2000, 1, 1)


def _actor_choice(actor: User) -> str:
    return f"{actor_name(actor)} (user ID {actor.pk})" if actor.is_deleted else actor_name(actor)


class ActivityDateField(GovukDateField):
    """A day to filter from or to, asked with the GOV.UK date input (day, month and year boxes)."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, required=False, help_text=DATE_HINT, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < EARLIEST_DATE:
            raise forms.ValidationError(f"{self.label} must be the same as or after 1 January 2000", code="too_early")
        if value > timezone.localdate():
            raise forms.ValidationError(f"{self.label} must be today or in the past", code="in_future")


class ActivityFilterForm(forms.Form):
    record_type = forms.ChoiceField(
        label="Record type",
        required=False,
        choices=[("", "All record types"), *((source.key, source.record_type) for source in ACTIVITY_SOURCES)],
        widget=forms.Select(attrs={"class": "app-select"}),
        error_messages={"invalid_choice": "Select a record type from the list"},
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "All actions"), *((action, action.capitalize()) for action in ACTIONS)],
        widget=forms.Select(attrs={"class": "app-select"}),
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    actor = forms.ChoiceField(
        label="Changed by",
        required=False,
        widget=forms.Select(attrs={"class": "app-select"}),
        error_messages={"invalid_choice": "Select who made the change from the list"},
    )
    date_from = ActivityDateField(label="Date from")
    date_to = ActivityDateField(label="Date to")

    def __init__(self, *args, actors: list[User], **kwargs):
        """`actors` are the people who have made changes: the only ones worth offering."""
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [
            ("", "Anyone"),
            (BY_THE_SYSTEM, "The system"),
            *((str(actor.pk), _actor_choice(actor)) for actor in actors),
        ]

    def full_clean(self):
        super().full_clean()
        # Screen readers announce an input's hint and error with it.
        for name, field in self.fields.items():
            described_by = [f"id_{name}_helptext"] if field.help_text else []
            if name in self.errors:
                described_by.append(f"id_{name}-error")
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", forms.ValidationError("Date to must be the same as or after date from"))
        return cleaned

    @property
    def is_filtered(self) -> bool:
        # A date's answer is its three boxes (`date_from-day`…), empty when all three are.
        return any(self[name].data for name in self.fields)

    def filters(self) -> ActivityFilters:
        """The answers that are valid: one wrong answer does not throw away the others."""
        self.is_valid()
        answers = self.cleaned_data
        source = activity_source(answers.get("record_type") or "")
        return ActivityFilters(
            sources=(source,) if source else ACTIVITY_SOURCES,
            actor=answers.get("actor") or None,
            action=answers.get("action") or None,
            date_from=answers.get("date_from"),
            date_to=answers.get("date_to"),
        )
