"""The email notification questions, in the design history's words."""

from django import forms

from accounts.models import ChangeNotifications
from accounts.notifications.messages import FREQUENCY_REQUIRED, TOPICS_REQUIRED
from registry.forms.base import RegisterForm
from registry.models import ProviderChange
from registry.pages.widgets import RadioWithHints


class ChangeNotificationsForm(RegisterForm):
    frequency = forms.ChoiceField(
        label="How often do you want to get emails?",
        choices=ChangeNotifications.Frequency.choices,
        widget=RadioWithHints(),
        error_messages={"required": FREQUENCY_REQUIRED, "invalid_choice": FREQUENCY_REQUIRED},
    )
    topics = forms.MultipleChoiceField(
        label="What changes do you want to be notified about?",
        choices=ProviderChange.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": TOPICS_REQUIRED, "invalid_choice": TOPICS_REQUIRED},
    )

    def clean_topics(self):
        # In the order the question lists them, whatever order they were ticked or posted in.
        chosen = set(self.cleaned_data["topics"])
        return [topic for topic in ProviderChange.Topic.values if topic in chosen]
