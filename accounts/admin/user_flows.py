"""Adding and changing a user: the questions, check your answers, then the service saves."""

from django.urls import reverse

from accounts import permissions
from accounts.admin.user_pages import UserPage, user_url
from accounts.forms import NO_ROLE, PERSONAL_DETAILS, USER_FIELDS, UserDetailsForm
from accounts.minimum_support_users import CANNOT_COMPLETE, TooFewSupportUsers
from accounts.services import UserChangedElsewhere, user_create, user_update
from registry.pages.change_flows import ChangeFlow
from registry.pages.flows import Flow, FlowRefused, Step
from registry.pages.stop import Stop
from registry.pages.summary import row

LOCKED_EXPLANATION = (
    "This user has signed in, so their name and email address come from DfE Sign-in and cannot be changed here."
)


class AddUser(Flow):
    """Personal details → the role of a support user (for those who may give one) → check → save."""

    form_class = UserDetailsForm
    action = "Add user"
    submit_label = "Save user"
    success_message = "User added"
    steps = (
        Step("", "Personal details", PERSONAL_DETAILS),
        Step("role", "Role", ("role",), applies=lambda answers: answers.get("is_api_user") is False),
    )

    def has_permission(self):
        return permissions.user_can_add_user(self.request.user)

    def active_steps(self, answers):
        may_give_roles = permissions.user_can_give_roles(self.request.user)
        return [step for step in super().active_steps(answers) if step.slug != "role" or may_give_roles]

    def form_kwargs(self, step, answers):
        return {"offer_no_role": False}

    def save(self, answers):
        self.added = user_create(actor=self.request.user, **answers)

    def cancel_url(self):
        return reverse("admin:accounts_user_changelist")

    def done_url(self):
        return user_url(self.added)


class ChangeUser(UserPage, ChangeFlow):
    """The answers the actor may change (the rest shown read-only; a POST of one is refused) → check → save."""

    form_class = UserDetailsForm
    action = "Change user"
    thing = "user"
    submit_label = "Save user"
    success_message = "User updated"
    steps = (Step("", "Change user", USER_FIELDS),)
    refusals = (FlowRefused, UserChangedElsewhere)

    def setup_object(self, **kwargs):
        super().setup_object(**kwargs)
        self.changeable = permissions.user_changeable_fields(self.request.user, self.user)

    def has_permission(self):
        return bool(self.changeable) and not set(self.request.POST) & (set(USER_FIELDS) - self.changeable)

    def initial_answers(self):
        return {**super().initial_answers(), "role": self.user.role or NO_ROLE}

    def form_kwargs(self, step, answers):
        return {"fields": [name for name in step.fields if name in self.changeable], "user": self.user}

    def get_caption(self):
        return f"User - {self.user.full_name}"

    def step_context(self, step, form):
        return locked_answers(self.user, self.changeable)

    def check_rows(self, answers):
        # An API user has no role: "No role" would suggest one could be given.
        return [row for row in super().check_rows(answers) if row["field"] != "role" or not answers.get("is_api_user")]

    def before_save(self):
        # `user_update` compares the version itself, under the locks it takes in the order every change
        # to accounts takes them (the active support users', then the account's). Locking the account
        # first here would make a deactivation and a deletion at once wait on each other: a deadlock.
        return None

    def save(self, answers):
        user_update_or_stop(self.request.user, self.user, self.changes(answers), self.started_at_version())

    def cancel_url(self):
        return user_url(self.user)


def user_update_or_stop(actor, user, changes: dict, seen_updated_at) -> None:
    """Save the changes; if someone else has made another support user inactive since the question was
    answered, and this one is now among the last, say so on the service's stop page."""
    try:
        user_update(actor=actor, user_id=user.pk, changes=changes, seen_updated_at=seen_updated_at)
    except TooFewSupportUsers as error:
        stop = Stop(CANNOT_COMPLETE, (error.message,), (("Go back to the user", user_url(user)),))
        raise FlowRefused(error.message, stop=stop) from None


def locked_answers(user, changeable) -> dict:
    """The personal details that can no longer change, shown read-only above the questions, and why."""
    locked = [name for name in PERSONAL_DETAILS if name not in changeable]
    if not locked:
        return {}
    labels = {name: field.label for name, field in UserDetailsForm.base_fields.items()}
    return {
        "paragraphs": [LOCKED_EXPLANATION],
        "rows": [row(labels[name], getattr(user, name), field=name) for name in locked],
    }
