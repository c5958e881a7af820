"""Your account: what the service holds about the signed-in person, to read but not to change.

It is also the home page of someone who has no role yet (registry.pages.navigation.home_url): the
page says so, and who to ask for one.
"""

from django.urls import reverse

from accounts.notifications.pages import change_notifications_rows
from registry.formats import format_govuk_datetime
from registry.pages.navigation import home_url
from registry.pages.summary import row
from registry.pages.views import Page

NO_ROLE = "No role"


class YourAccountView(Page):
    """Signed-in support users only: `LoginRequiredMiddleware` sends everyone else to sign in.

    Nothing here can be changed: a person's name and email address come from DfE Sign-in, and
    their role, whether the account is active, or an API user's, is for an administrator to decide.
    What can be changed is whether the person is emailed when providers change (accounts.notifications).
    """

    template_name = "accounts/account.html"
    title = "Your account"
    http_method_names = ["get", "head"]

    def has_permission(self) -> bool:
        # A web session only ever belongs to such an account; this holds even if that changes.
        return self.request.user.can_use_web_interface

    def get_context_data(self, **kwargs):
        user = self.request.user
        home = home_url(user)
        return super().get_context_data(
            hint=account_last_signed_in(user),
            has_role=bool(user.role),
            # The breadcrumb leads home, unless this page is home (someone with no role yet).
            breadcrumb_home_url=home if home != reverse("your-account") else None,
            # Email notifications of the register's changes: None for someone who may not have them.
            notification_rows=change_notifications_rows(user),
            rows=[
                row("First name", user.first_name),
                row("Last name", user.last_name),
                row("Email address", user.email),
                row("Role", user.role or NO_ROLE),
                row("Is the account an API user?", user.is_api_user),
                row("Is the account active?", user.is_active),
            ],
            **kwargs,
        )


def account_last_signed_in(user) -> str:
    if user.last_signed_in_at is None:
        return "User has never signed in"
    return f"Last signed in at {format_govuk_datetime(user.last_signed_in_at)}"
