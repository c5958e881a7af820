"""Set up email notifications: how often, about what, check your answers, save (from Your account).

A flow of the page engine (`registry.pages.flows`), mounted beside Your account rather than in the
admin: it is about the signed-in person alone.
"""

from django.urls import path, reverse

from accounts.models import ChangeNotifications
from accounts.notifications.forms import ChangeNotificationsForm
from accounts.notifications.permissions import user_can_get_change_notifications
from accounts.notifications.selectors import change_notifications_of
from accounts.notifications.services import change_notifications_update
from registry.pages.flows import CHECK, Flow, Step

Frequency = ChangeNotifications.Frequency
URL_NAME = "change-notifications"
TOPICS = "changes"

SET_UP = "Set up email notifications"
CHANGE = "Change email notifications"


def _wants_emails(answers: dict) -> bool:
    return answers.get("frequency") not in (None, "", Frequency.NEVER)


class ChangeNotificationsFlow(Flow):
    form_class = ChangeNotificationsForm
    steps = (
        Step("", "How often do you want to get emails?", ("frequency",)),
        # Someone who wants no emails is not asked what about.
        Step(TOPICS, "What changes do you want to be notified about?", ("topics",), applies=_wants_emails),
    )
    url_name = URL_NAME

    def setup_object(self, **kwargs):
        self.current = change_notifications_of(self.request.user)
        self.action = CHANGE if self.current is not None and self.current.is_on else SET_UP

    def has_permission(self):
        return user_can_get_change_notifications(self.request.user)

    def page_url(self, slug: str) -> str:
        return reverse(f"{URL_NAME}-{slug}" if slug else URL_NAME)

    def cancel_url(self):
        return reverse("your-account")

    def initial_answers(self):
        if self.current is None:
            return {}
        return {"frequency": self.current.frequency, "topics": list(self.current.topics)}

    def step_get(self):
        # "Change" beside an answer in Your account opens its question with the other answer kept.
        if "new" in self.request.GET and self.page != "" and self.current is not None and self.current.is_on:
            self.start()
            self.draft.save({**self.draft.get(), "visited": [step.slug for step in self.steps]})
        return super().step_get()

    def check_rows(self, answers):
        rows = super().check_rows(answers)
        for row in rows:
            if row["field"] == "topics":
                # One choice a line, as the question listed them.
                row["lines"] = row["value"].split(", ")
        return rows

    def render_form(self, form, **context):
        # A page asking one checkbox question asks it as its heading too, as one radio question does.
        questions = list(form)
        single = questions[0] if len(questions) == 1 else None
        if context.get("heading_field") is None and single and single.field.widget.input_type == "checkbox":
            context["heading_field"] = single.name
        return super().render_form(form, **context)

    def save(self, answers):
        was_on = self.current is not None and self.current.is_on
        saved = change_notifications_update(
            actor=self.request.user, frequency=answers["frequency"], topics=answers.get("topics", [])
        )
        if not saved.is_on:
            self.success_message = "Email notifications turned off"
        elif was_on:
            self.success_message = "Email notifications updated"
        else:
            self.success_message = "Email notifications set up"

    def done_url(self):
        return reverse("your-account")


def change_notifications_urls(route: str = "account/email-notifications/") -> list:
    """The flow's pages: its questions at `route` and `route`changes/, check your answers at `route`check/."""
    return [
        path(
            f"{route}{slug}/" if slug else route,
            ChangeNotificationsFlow.as_view(page=slug),
            name=f"{URL_NAME}-{slug}" if slug else URL_NAME,
        )
        for slug in [*(step.slug for step in ChangeNotificationsFlow.steps), CHECK]
    ]


def change_notifications_rows(user) -> list[dict] | None:
    """Your account's "Email notifications": the person's choices, each with its Change link; None
    for someone who may not be emailed the register's changes."""
    if not user_can_get_change_notifications(user):
        return None
    current = change_notifications_of(user)
    if current is None:
        return []
    rows = [
        {
            "label": "How often you get emails",
            "value": current.get_frequency_display(),
            "change_url": reverse(URL_NAME) + "?new",
            "field": "frequency",
        }
    ]
    if current.is_on:
        labels = dict(ChangeNotificationsForm.base_fields["topics"].choices)
        rows.append(
            {
                "label": "What changes you are emailed about",
                "value": "",
                "lines": [labels[topic] for topic in current.topics if topic in labels],
                "change_url": reverse(f"{URL_NAME}-{TOPICS}") + "?new",
                "field": "topics",
            }
        )
    return rows
