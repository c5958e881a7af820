"""The form support users fill in to add an API client for an API user."""

from django import forms
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from accounts.models import User


class ApiClientForm(forms.Form):
    error_messages = {
        "owner_required": "Select the API user the client is for",
        "name_required": "Enter client name",
    }

    owner = forms.ModelChoiceField(
        label="API user",
        queryset=User.objects.kept().filter(is_api_user=True, is_active=True).order_by("first_name", "last_name"),
        widget=UnfoldAdminSelectWidget,
        empty_label="Select an API user",
        error_messages={
            "required": error_messages["owner_required"],
            "invalid_choice": error_messages["owner_required"],
        },
    )
    name = forms.CharField(
        label="Client name",
        max_length=100,
        help_text="What the client is, for example the name of the system that will use the token",
        widget=UnfoldAdminTextInputWidget(attrs={"autocomplete": "off"}),
        error_messages={"required": error_messages["name_required"]},
    )

    def answers(self) -> dict:
        return {"owner": str(self.cleaned_data["owner"].pk), "name": self.cleaned_data["name"]}
