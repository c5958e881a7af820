"""Callbacks named in settings.UNFOLD, for the only pages still drawn by unfold: guardian's
"Object permissions" pages for a provider (support administrators only). Every other page is the
service's own (registry.pages)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse_lazy

from registry.permissions import user_can_view_providers


def environment_badge(request):
    if settings.DEBUG:
        return ["Local", "info"]
    return None


def stylesheet(request):
    """The service's own components (summary lists, error summaries) beside unfold's styles."""
    return static("registry/admin.css")


def sidebar_navigation(request):
    """The way back from a provider's object permissions to the providers."""
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
    ]
