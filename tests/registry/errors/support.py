"""Reading an error page the way a person meets it (its heading, words and navigation), the
navigation each kind of account should see, and requests in the state a failure leaves them."""

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from registry.middleware import RequestIdMiddleware
from tests.registry.errors.urls import SECRET_DETAIL
from tests.support.page import Page, attribute, text

SERVICE_NAME = "Register of training providers"
EMAIL = "becomingateacher@digital.education.gov.uk"
BACKEND = "accounts.backends.ServiceAccountBackend"

# For the tests that ask for one of the views in tests/registry/errors/urls.py.
with_failing_views = pytest.mark.urls("tests.registry.errors.urls")

ADMINISTRATOR_NAVIGATION = {
    "Providers": reverse("admin:registry_provider_changelist"),
    "Users": reverse("admin:accounts_user_changelist"),
    "API clients": reverse("admin:accounts_apiclient_changelist"),
    "Emails": reverse("admin:accounts_email_changelist"),
    "Activity": reverse("activity"),
}
VIEWER_NAVIGATION = {
    "Providers": reverse("admin:registry_provider_changelist"),
    "Users": reverse("admin:accounts_user_changelist"),
}
# Open to everyone, signed in or not.
FOOTER_LINKS = {
    reverse("accessibility"),
    reverse("cookies"),
    reverse("privacy"),
    reverse("help"),
    reverse("api:documentation"),
}


def signed_in(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def navigation(page: Page):
    """The service navigation: the sections the signed-in person may open."""
    found = [nav for nav in page.all("nav") if attribute(nav, "aria-label") == "Menu"]
    assert len(found) <= 1
    return found[0] if found else None


def navigation_links(page: Page) -> dict[str, str]:
    nav = navigation(page)
    return {text(link): attribute(link, "href") for link in page.all("a", within=nav)} if nav else {}


def account_links(page: Page) -> dict[str, str]:
    """The header's links for the signed-in person (Your account)."""
    found = [nav for nav in page.all("nav") if attribute(nav, "aria-label") == "Your account"]
    return {text(link): attribute(link, "href") for nav in found for link in page.all("a", within=nav)}


def sign_out_buttons(page: Page):
    return [
        form
        for form in page.all("form")
        if attribute(form, "action") == reverse("sign-out")
        and any(text(button) == "Sign out" for button in page.all("button", within=form))
    ]


def paragraphs(page: Page) -> list[str]:
    # text() puts a space between a link and the full stop after it.
    return [text(p).replace(" .", ".") for p in page.all("p", within=page.one("main"))]


def heading(page: Page) -> str:
    # unfold adds a hidden dialog with a heading of its own for staff, outside <main>.
    return text(page.one("h1", within=page.one("main")))


def assert_no_technical_detail(response):
    body = response.content.decode()
    for leak in ("Traceback", "Broken", SECRET_DETAIL, "Exception Value", "settings.py", "You may not"):
        assert leak not in body


def request_as_the_middleware_leaves_it(user=None, session_key=None):
    """A request with a session, a request id and a user, like one that failed half-way.

    Without `user`, the user is lazy, as `AuthenticationMiddleware` leaves it: not yet fetched.
    """
    request = RequestFactory().get("/somewhere/")
    if session_key:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session_key
    SessionMiddleware(lambda request: None).process_request(request)
    RequestIdMiddleware(lambda request: HttpResponse())(request)
    AuthenticationMiddleware(lambda request: None).process_request(request)
    if user is not None:
        request.user = user
    return request


def broken_render(*args, **kwargs):
    """Stands in for `render` in registry.views, to see the plain page sent when the real one cannot be drawn."""
    raise RuntimeError("the templates are broken too")
