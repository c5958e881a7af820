"""API access: the page on which support administrators switch the API off and on, without a deploy.

What it does is `accounts.api_access.api_access_switch`'s: every API request is answered 503 while
the API is off, in every process at once; the documentation stays up, and the pages are unaffected.
Each change is in the switch's history, with who made it, and on the Activity page.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts.api_access import api_access_last_change, api_access_switch
from accounts.models import ApiAccess
from accounts.permissions import user_can_switch_api
from registry.activity.formats import actor_name
from registry.formats import format_govuk_datetime
from registry.pages.summary import row, tags
from registry.pages.views import FormPage
from registry.pages.widgets import RadioWithHints

ON, OFF = "on", "off"
SWITCHED = {True: "API switched on", False: "API switched off"}


class ApiAccessForm(forms.Form):
    is_on = forms.TypedChoiceField(
        label="Can API clients use the API?",
        choices=[(ON, "On"), (OFF, "Off")],
        coerce=lambda answer: answer == ON,
        widget=RadioWithHints(
            hints={
                ON: "API clients read the register with their tokens.",
                OFF: "Every API request is refused (‘503 Service unavailable’) until the API is switched on "
                "again. The API documentation stays up.",
            }
        ),
        error_messages={"required": "Select if the API is on or off", "invalid_choice": "Select on or off"},
    )


def api_status_tags(is_on: bool) -> str:
    return tags(("On", "success") if is_on else ("Off", "warning"))


class ApiAccessPage(FormPage):
    title = "API access"
    caption = "API clients"

    def has_permission(self):
        return user_can_switch_api(self.request.user)

    def get(self, request, *args, **kwargs):
        access = ApiAccess.load()
        return self.render(ApiAccessForm(initial={"is_on": ON if access.is_on else OFF}), access)

    def post(self, request, *args, **kwargs):
        form = ApiAccessForm(request.POST)
        if not form.is_valid():
            return self.render(form, ApiAccess.load())
        is_on = form.cleaned_data["is_on"]
        was_on = ApiAccess.load().is_on
        api_access_switch(actor=request.user, is_on=is_on)
        if is_on != was_on:
            messages.success(request, SWITCHED[is_on])
        return redirect(reverse("api-access"))

    def render(self, form, access: ApiAccess):
        last = api_access_last_change()
        changed = (
            f"By {actor_name(last.history_user) if last.history_user else 'the system'} "
            f"on {format_govuk_datetime(last.history_date)}"
            if last is not None
            else "Never changed"
        )
        return self.render_form(
            form,
            paragraphs=[
                "Switching the API off stops every API client at once: each request is refused until the API is "
                "switched on again. The service's pages are not affected."
            ],
            rows=[row("API", api_status_tags(access.is_on)), row("Last changed", changed)],
            submit_label="Save",
            cancel_url=reverse("admin:accounts_apiclient_changelist"),
        )
