"""Your account: what the service holds about the signed-in person, to read but not to change."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from accounts.formats import format_govuk_datetime
from accounts.views.pages import ServicePageMixin


class YourAccountView(ServicePageMixin, TemplateView):
    """Signed-in support users only: `LoginRequiredMiddleware` sends everyone else to sign in.

    Nothing here can be changed: a person's name and email address come from DfE Sign-in, and
    whether the account is active, or an API user's, is for an administrator to decide.
    """

    template_name = "accounts/account.html"
    extra_context = {"title": "Your account"}
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        # A web session only ever belongs to such an account; this holds even if that changes.
        if not request.user.can_use_web_interface:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            last_signed_in=account_last_signed_in(user),
            rows=[
                {"label": "First name", "value": user.first_name},
                {"label": "Last name", "value": user.last_name},
                {"label": "Email address", "value": user.email},
                {"label": "Is the account an API user?", "value": "Yes" if user.is_api_user else "No"},
                {"label": "Is the account active?", "value": "Yes" if user.is_active else "No"},
            ],
            **kwargs,
        )


def account_last_signed_in(user) -> str:
    if user.last_signed_in_at is None:
        return "User has never signed in"
    return f"Last signed in at {format_govuk_datetime(user.last_signed_in_at)}"
