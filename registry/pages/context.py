"""What every page's layout reads: the service's name, its navigation and where "home" is."""

from django.conf import settings

from registry.pages.navigation import home_url, may_use_pages, navigation_links


def layout(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "feedback_url": settings.FEEDBACK_URL,
        "support_email": settings.SUPPORT_EMAIL,
        "navigation": lambda: navigation_links(user, request.path),
        "home_url": lambda: home_url(user),
        "signed_in": lambda: may_use_pages(user),
    }
