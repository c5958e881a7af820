"""Pages of words anyone may read, signed in or not: accessibility, cookies, privacy, help."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator

from registry.pages.views import Page


@method_decorator(login_not_required, name="dispatch")
class ContentPage(Page):
    """A page of running text (its template); `title` is its heading too."""

    http_method_names = ["get", "head"]

    def has_permission(self) -> bool:
        return True


class CookiesPage(ContentPage):
    """The cookies the service sets, by the names and lifetimes in its settings, so the page never drifts."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(cookies=service_cookies(), **kwargs)


def service_cookies() -> list[dict]:
    """Each cookie the service sets: its name, what it is for and when it expires."""
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in as you move from page to page.",
            "expires": (
                f"After {duration(settings.SESSION_COOKIE_AGE)}, or when you sign out. You are signed out "
                f"sooner if you do nothing in the service for {duration(settings.SESSION_IDLE_SECONDS)}."
            ),
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Makes sure that forms you send to the service came from the service, not from another website.",
            "expires": f"After {duration(settings.CSRF_COOKIE_AGE)}",
        },
        {
            "name": "messages",
            "purpose": "Carries a message about what you just did, such as “Provider updated”, to the next page.",
            "expires": "When that page has shown the message, or when you close your browser",
        },
    ]


def duration(seconds: int) -> str:
    """ "2 hours", "12 hours", "1 year": a lifetime in the largest whole unit that fits."""
    for unit, size in (("year", 52 * 7 * 24 * 3600), ("day", 24 * 3600), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"
