"""Callbacks named in settings.UNFOLD: the sidebar and the environment badge."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse_lazy

from accounts.api_clients.permissions import user_can_manage_api_clients
from registry.activity.permissions import user_can_view_activity
from registry.permissions import user_can_view_providers


def environment_badge(request):
    if settings.DEBUG:
        return ["Local", "info"]
    return None


def stylesheet(request):
    """The service's own components (summary lists, error summaries) beside unfold's styles."""
    return static("registry/admin.css")


def sidebar_navigation(request):
    return [
        {
            "title": "Register",
            "items": [
                {
                    "title": "Providers",
                    "icon": "school",
                    "link": reverse_lazy("admin:registry_provider_changelist"),
                    "permission": lambda request: user_can_view_providers(request.user),
                },
            ],
        },
        {
            "title": "Users",
            "items": [
                {
                    "title": "Users",
                    "icon": "group",
                    "link": reverse_lazy("admin:accounts_user_changelist"),
                    "permission": lambda request: request.user.has_perm("accounts.view_user"),
                },
                {
                    "title": "API clients",
                    "icon": "key",
                    "link": reverse_lazy("admin:accounts_apiclient_changelist"),
                    "permission": lambda request: user_can_manage_api_clients(request.user),
                },
                {
                    "title": "Activity",
                    "icon": "history",
                    "link": reverse_lazy("activity"),
                    "permission": lambda request: user_can_view_activity(request.user),
                },
                {
                    "title": "Emails",
                    "icon": "mail",
                    "link": reverse_lazy("admin:accounts_email_changelist"),
                    "permission": lambda request: request.user.has_perm("accounts.view_email"),
                },
            ],
        },
    ]
