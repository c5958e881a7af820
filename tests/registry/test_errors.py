"""The error pages: 403, 404, 429, 500 and 503, in the service's layout and words, never a stack trace."""

import uuid

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path, reverse

from accounts.models import User
from registry import urls as service_urls
from registry.middleware import RequestIdMiddleware
from registry.views import (
    TooManyRequests,
    page_not_found,
    permission_denied,
    server_error,
    service_unavailable,
    too_many_requests,
)
from tests.factories import ApiUserFactory, AuditorFactory, SupportAdministratorFactory, SupportViewerFactory
from tests.support.database_outage import REFUSED, database_unreachable
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

SERVICE_NAME = "Register of training providers"
EMAIL = "becomingateacher@digital.education.gov.uk"
BACKEND = "accounts.backends.ServiceAccountBackend"


# This module doubles as a URLconf: the service's own URLs, and views that fail in each way.


class Broken(Exception):
    """What the failing views raise: its message must never reach the page."""


SECRET_DETAIL = "database password is hunter2"


@login_not_required
def broken_for_anyone(request):
    raise Broken(SECRET_DETAIL)


def broken_for_signed_in(request):
    raise Broken(SECRET_DETAIL)


def broken_after_permission_check(request):
    request.user.has_perm("accounts.view_user")
    raise Broken(SECRET_DETAIL)


def denied(request):
    raise PermissionDenied("You may not")


def rate_limited(request):
    raise TooManyRequests(retry_after=180)


def rate_limited_by_helper(request):
    return too_many_requests(request)


@login_not_required
def database_gone(request):
    raise OperationalError(REFUSED)


@login_not_required
def database_connection_closed(request):
    raise InterfaceError("the connection is closed")


@login_not_required
def broken_by_the_database(request):
    # Code that meets a database error and fails some other way in dealing with it.
    try:
        raise OperationalError(REFUSED)
    except OperationalError:
        raise Broken(SECRET_DETAIL) from None


urlpatterns = [
    path("test/database-gone/", database_gone),
    path("test/database-connection-closed/", database_connection_closed),
    path("test/broken-by-the-database/", broken_by_the_database),
    # Under /api/ but outside the API's own views, as a failure in a middleware would be.
    path("api/test/database-gone/", database_gone),
    path("api/test/broken/", broken_for_anyone),
    path("test/broken/", broken_for_anyone),
    path("test/broken-signed-in/", broken_for_signed_in),
    path("test/broken-after-permissions/", broken_after_permission_check),
    path("test/denied/", denied),
    path("test/rate-limited/", rate_limited),
    path("test/rate-limited-by-helper/", rate_limited_by_helper),
    *service_urls.urlpatterns,
]
handler403, handler404, handler500 = service_urls.handler403, service_urls.handler404, service_urls.handler500


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


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


# 404 ---------------------------------------------------------------------------------------------


def test_page_not_found_in_the_service_words(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = Page(response)
    assert page.title == f"Page not found - {SERVICE_NAME}"
    assert heading(page) == "Page not found"
    assert paragraphs(page) == [
        "If you entered a web address, check it is correct.",
        "If you pasted the web address, check you copied the entire address.",
        f"If you have any questions, email {EMAIL}.",
    ]
    [email] = page.all("a", within=page.one("main"))
    assert attribute(email, "href") == f"mailto:{EMAIL}"


def test_page_not_found_shows_no_navigation_to_a_visitor_who_is_not_signed_in(client):
    page = Page(client.get("/no-such-page/"))

    assert navigation(page) is None
    assert sign_out_buttons(page) == []


def test_page_not_found_shows_the_navigation_to_a_signed_in_support_user(administrator_client):
    response = administrator_client.get("/no-such-page/")

    assert response.status_code == 404
    page = Page(response)
    assert navigation_links(page) == ADMINISTRATOR_NAVIGATION
    assert account_links(page) == {"Your account": reverse("your-account")}
    assert len(sign_out_buttons(page)) == 1


def test_a_missing_record_in_the_admin_gets_the_service_404_page(administrator_client):
    response = administrator_client.get(reverse("admin:accounts_user_change", args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert heading(Page(response)) == "Page not found"


def test_an_unknown_admin_address_gets_the_service_404_page(administrator_client):
    response = administrator_client.get("/admin/no-such-page/")

    assert response.status_code == 404
    assert heading(Page(response)) == "Page not found"


# 403 ---------------------------------------------------------------------------------------------


def test_permission_denied_in_the_admin_gets_the_service_403_page(client):
    viewer = SupportViewerFactory()
    signed_in(client, viewer)

    response = client.get(reverse("admin:accounts_user_add"))

    assert response.status_code == 403
    page = Page(response)
    assert page.title == f"You do not have permission to perform this action - {SERVICE_NAME}"
    assert heading(page) == "You do not have permission to perform this action"
    assert paragraphs(page) == [f"If you think you should have access, contact: {EMAIL}."]
    [email] = page.all("a", within=page.one("main"))
    assert attribute(email, "href") == f"mailto:{EMAIL}"
    assert navigation_links(page) == VIEWER_NAVIGATION
    assert_no_technical_detail(response)


def test_the_navigation_on_a_403_leaves_out_the_pages_the_user_may_not_open(client):
    signed_in(client, AuditorFactory())

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 403
    assert navigation_links(Page(response)) == {"Activity": reverse("activity")}


@pytest.mark.urls(__name__)
def test_permission_denied_outside_the_admin_gets_the_service_403_page(administrator_client):
    response = administrator_client.get("/test/denied/")

    assert response.status_code == 403
    assert heading(Page(response)) == "You do not have permission to perform this action"
    assert_no_technical_detail(response)


# 429 ---------------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_too_many_requests_raised_by_a_view_gets_the_429_page(administrator_client):
    response = administrator_client.get("/test/rate-limited/")

    assert response.status_code == 429
    page = Page(response)
    assert page.title == f"Sorry, there’s a problem completing this action - {SERVICE_NAME}"
    assert heading(page) == "Sorry, there’s a problem completing this action"
    assert paragraphs(page) == ["You have tried this action too many times. Try again later."]
    assert response["Retry-After"] == "180"
    assert navigation_links(page) == ADMINISTRATOR_NAVIGATION
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls(__name__)
def test_a_view_can_answer_429_itself(administrator_client):
    response = administrator_client.get("/test/rate-limited-by-helper/")

    assert response.status_code == 429
    assert heading(Page(response)) == "Sorry, there’s a problem completing this action"
    assert "Retry-After" not in response


# 500 ---------------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_service_page_and_no_stack_trace(failing_client):
    response = failing_client.get("/test/broken/")

    assert response.status_code == 500
    page = Page(response)
    assert page.title == f"Sorry, there’s a problem with the service - {SERVICE_NAME}"
    assert heading(page) == "Sorry, there’s a problem with the service"
    assert paragraphs(page)[0] == "Try again later."
    assert_no_technical_detail(response)
    assert navigation(page) is None


@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_request_id_so_the_report_can_be_traced(failing_client):
    response = failing_client.get("/test/broken/", headers={"X-Request-Id": "req-0123456789abcdef"})

    assert response["X-Request-Id"] == "req-0123456789abcdef"
    page = Page(response)
    assert text(page.one("code", within=page.one("main"))) == "req-0123456789abcdef"


@pytest.mark.urls(__name__)
def test_a_server_error_shows_a_signed_in_user_their_navigation(failing_client):
    signed_in(failing_client, SupportViewerFactory())

    page = Page(failing_client.get("/test/broken-signed-in/"))

    # Signing in was checked before the failure, so the page knows who it is for; what they may
    # open comes from their role, a column of the row already read, so no query is needed for it.
    assert navigation_links(page) == VIEWER_NAVIGATION
    assert account_links(page) == {"Your account": reverse("your-account")}
    assert len(sign_out_buttons(page)) == 1


@pytest.mark.urls(__name__)
def test_a_server_error_after_a_permission_check_shows_the_same_navigation(failing_client):
    signed_in(failing_client, SupportViewerFactory())

    page = Page(failing_client.get("/test/broken-after-permissions/"))

    assert navigation_links(page) == VIEWER_NAVIGATION


@pytest.mark.urls(__name__)
def test_a_server_error_page_renders_when_the_database_is_down(failing_client, django_db_blocker):
    signed_in(failing_client, SupportAdministratorFactory())

    with django_db_blocker.block():
        response = failing_client.get("/test/broken-signed-in/", headers={"X-Request-Id": "req-database-down"})

    assert response.status_code == 500
    page = Page(response)
    assert heading(page) == "Sorry, there’s a problem with the service"
    assert text(page.one("code", within=page.one("main"))) == "req-database-down"
    # Who is signed in could not be read, so there is no navigation.
    assert navigation(page) is None
    assert "no-store" in response["Cache-Control"]


def _request_as_the_middleware_leaves_it(user=None, session_key=None):
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


def test_the_500_handler_asks_the_database_nothing(client, django_assert_num_queries):
    signed_in(client, SupportAdministratorFactory())
    request = _request_as_the_middleware_leaves_it(session_key=client.session.session_key)

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    page = Page(response)
    assert heading(page) == "Sorry, there’s a problem with the service"
    assert text(page.one("code", within=page.one("main"))) == request.request_id
    # Who is signed in was never fetched, and is not fetched now.
    assert navigation(page) is None


def test_the_500_handler_uses_a_signed_in_user_already_loaded_without_asking_the_database(
    django_assert_num_queries,
):
    administrator = User.objects.get(pk=SupportAdministratorFactory().pk)
    request = _request_as_the_middleware_leaves_it(user=administrator)

    with django_assert_num_queries(0):
        response = server_error(request)

    page = Page(response)
    assert navigation_links(page) == ADMINISTRATOR_NAVIGATION
    assert account_links(page) == {"Your account": reverse("your-account")}
    # The service's name leads to the administrator's home page, worked out without a query too.
    [home] = [link for link in page.all("a") if text(link) == SERVICE_NAME]
    assert attribute(home, "href") == reverse("admin:accounts_user_changelist")


# 503 ---------------------------------------------------------------------------------------------


def assert_service_unavailable_page(response, request_id=None):
    assert response.status_code == 503
    page = Page(response)
    assert page.title == f"Sorry, the service is unavailable - {SERVICE_NAME}"
    assert heading(page) == "Sorry, the service is unavailable"
    assert paragraphs(page)[0] == "Try again later."
    if request_id is not None:
        assert text(page.one("code", within=page.one("main"))) == request_id
    assert "no-store" in response["Cache-Control"]
    assert_no_technical_detail(response)
    for leak in ("OperationalError", "Connection refused", "5432"):
        assert leak not in response.content.decode()
    return page


def outage_records(caplog):
    return [record for record in caplog.records if getattr(record, "event", None) == "database_unavailable"]


@pytest.mark.urls(__name__)
def test_a_database_outage_shows_the_service_unavailable_page_not_a_server_error(failing_client, caplog):
    response = failing_client.get("/test/database-gone/", headers={"X-Request-Id": "req-database-gone"})

    assert_service_unavailable_page(response, request_id="req-database-gone")
    assert response["X-Request-Id"] == "req-database-gone"


@pytest.mark.urls(__name__)
def test_a_database_outage_is_logged_once_with_the_request_and_the_error(failing_client, caplog):
    failing_client.post("/test/database-gone/", headers={"X-Request-Id": "req-database-gone"})

    (record,) = outage_records(caplog)
    assert record.levelname == "ERROR"
    assert (record.method, record.path, record.request_id) == ("POST", "/test/database-gone/", "req-database-gone")
    assert record.error == (
        'OperationalError: connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/test/database-connection-closed/", "/test/broken-by-the-database/"])
def test_a_closed_connection_or_an_error_caused_by_the_database_is_a_503_too(failing_client, url):
    assert_service_unavailable_page(failing_client.get(url))


def test_a_database_outage_while_signed_in_is_a_503_even_before_any_view_runs(failing_client):
    signed_in(failing_client, SupportAdministratorFactory())

    # Who is signed in is read by the middleware, before the view: that fails first.
    with database_unreachable():
        response = failing_client.get(reverse("admin:accounts_user_changelist"))

    page = assert_service_unavailable_page(response)
    # Who is signed in could not be read, so there is no navigation.
    assert navigation(page) is None

    assert failing_client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_a_form_sent_while_the_database_is_down_is_a_503_and_saves_nothing(failing_client):
    signed_in(failing_client, SupportAdministratorFactory())
    session = failing_client.session
    session["draft:user-add"] = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada.lovelace@education.gov.uk",
        "is_api_user": False,
    }
    session.save()

    with database_unreachable():
        response = failing_client.post(reverse("admin:accounts_user_add_check"))

    assert_service_unavailable_page(response)
    assert not User.objects.filter(email="ada.lovelace@education.gov.uk").exists()


def test_the_503_handler_asks_the_database_nothing(client, django_assert_num_queries):
    signed_in(client, SupportAdministratorFactory())
    request = _request_as_the_middleware_leaves_it(session_key=client.session.session_key)

    with django_assert_num_queries(0):
        response = service_unavailable(request)

    assert_service_unavailable_page(response, request_id=request.request_id)


@pytest.mark.urls(__name__)
def test_under_api_a_database_outage_outside_the_api_views_is_the_apis_json_503(failing_client):
    response = failing_client.get("/api/test/database-gone/", headers={"X-Request-Id": "req-api-database"})

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "errors": [
            {
                "error": "ServiceUnavailable",
                "message": "The service is unavailable: try again later",
                "request_id": "req-api-database",
            }
        ]
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls(__name__)
def test_under_api_any_other_failure_outside_the_api_views_is_the_apis_json_500(failing_client):
    response = failing_client.get("/api/test/broken/", headers={"X-Request-Id": "req-api-broken"})

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "errors": [
            {
                "error": "InternalServerError",
                "message": "Sorry, there is a problem with the service",
                "request_id": "req-api-broken",
            }
        ]
    }
    assert SECRET_DETAIL not in response.content.decode()


def broken_render(*args, **kwargs):
    raise RuntimeError("the templates are broken too")


def test_if_the_503_page_cannot_be_drawn_a_plain_one_is_sent(monkeypatch, caplog):
    monkeypatch.setattr("registry.views.render", broken_render)
    request = _request_as_the_middleware_leaves_it(user=AnonymousUser())

    response = service_unavailable(request)

    assert response.status_code == 503
    page = Page(response)
    assert page.title == f"Sorry, the service is unavailable - {SERVICE_NAME}"
    assert heading(page) == "Sorry, the service is unavailable"
    assert text(page.one("code")) == request.request_id
    assert "no-store" in response["Cache-Control"]
    assert "The 503 page could not be drawn" in caplog.text


# Every error page -----------------------------------------------------------------------------------

HANDLERS = [
    pytest.param(permission_denied, 403, id="403"),
    pytest.param(page_not_found, 404, id="404"),
    pytest.param(too_many_requests, 429, id="429"),
    pytest.param(lambda request, exception=None: server_error(request), 500, id="500"),
    pytest.param(lambda request, exception=None: service_unavailable(request), 503, id="503"),
]


@pytest.mark.parametrize(("handler", "status"), HANDLERS)
def test_error_pages_are_never_stored(handler, status):
    request = _request_as_the_middleware_leaves_it(user=AnonymousUser())

    response = handler(request, exception=None)

    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("handler", "status"), HANDLERS)
def test_error_pages_lead_an_api_user_nowhere_they_cannot_go(handler, status):
    # API users never have a web session; should an error page be drawn for one all the same, it
    # offers them no page of the web interface.
    request = _request_as_the_middleware_leaves_it(user=ApiUserFactory())

    page = Page(handler(request, exception=None))

    assert navigation(page) is None
    # Signing out is open to anyone; nothing else is offered but the start page, the footer's pages
    # (open to everyone) and an email address.
    hrefs = {attribute(link, "href") for link in page.all("a")}
    assert hrefs <= {"#main-content", reverse("start"), f"mailto:{EMAIL}", *FOOTER_LINKS}


@pytest.mark.parametrize(("handler", "status"), HANDLERS)
def test_error_pages_have_one_heading_a_main_landmark_and_a_skip_link(handler, status):
    request = _request_as_the_middleware_leaves_it(user=AnonymousUser())

    page = Page(handler(request, exception=None))

    main = page.one("main")
    assert attribute(main, "id") == "main-content"
    page.one("h1", within=main)
    skip_link = page.all("a", within=page.one("body"))[0]
    assert text(skip_link) == "Skip to main content"
    assert page.title == f"{heading(page)} - {SERVICE_NAME}"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("user_factory", "url"),
    [
        pytest.param(SupportAdministratorFactory, "/no-such-page/", id="administrator-404"),
        pytest.param(SupportViewerFactory, "/admin/accounts/user/add/", id="viewer-403"),
        pytest.param(AuditorFactory, "/test/rate-limited/", id="auditor-429"),
        pytest.param(SupportViewerFactory, "/test/broken-after-permissions/", id="viewer-500"),
    ],
)
def test_every_link_on_an_error_page_leads_somewhere_the_user_may_go(failing_client, user_factory, url):
    signed_in(failing_client, user_factory())

    page = Page(failing_client.get(url))

    for link in page.all("a"):
        href = attribute(link, "href")
        if href.startswith(("mailto:", "#")):
            continue
        response = failing_client.get(href)
        assert response.status_code in (200, 302), f"{text(link)!r} ({href}) answered {response.status_code}"
        if response.status_code == 302:
            assert response.url == reverse("admin:index"), f"{text(link)!r} ({href}) went to {response.url}"


def test_if_the_500_page_cannot_be_drawn_a_plain_one_is_sent(monkeypatch, caplog):
    monkeypatch.setattr("registry.views.render", broken_render)
    request = _request_as_the_middleware_leaves_it(user=AnonymousUser())

    response = server_error(request)

    assert response.status_code == 500
    page = Page(response)
    assert page.title == f"Sorry, there’s a problem with the service - {SERVICE_NAME}"
    assert heading(page) == "Sorry, there’s a problem with the service"
    assert paragraphs(page)[0] == "Try again later."
    assert text(page.one("code")) == request.request_id
    assert "no-store" in response["Cache-Control"]
    assert "the templates are broken too" not in response.content.decode()
    assert "The 500 page could not be drawn" in caplog.text
