"""The 500 page: no stack trace, the request id to trace the report, the navigation of whoever is
signed in, drawn without asking the database anything, and a plain page if even it cannot be drawn."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import User
from registry.views import server_error
from tests.factories import SupportAdministratorFactory, SupportViewerFactory
from tests.registry.errors.support import (
    ADMINISTRATOR_NAVIGATION,
    SERVICE_NAME,
    VIEWER_NAVIGATION,
    account_links,
    assert_no_technical_detail,
    broken_render,
    heading,
    navigation,
    navigation_links,
    paragraphs,
    request_as_the_middleware_leaves_it,
    sign_out_buttons,
    signed_in,
    with_failing_views,
)
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db


@with_failing_views
def test_a_server_error_shows_the_service_page_and_no_stack_trace(failing_client):
    response = failing_client.get("/test/broken/")

    assert response.status_code == 500
    page = Page(response)
    assert page.title == f"Sorry, there’s a problem with the service - {SERVICE_NAME}"
    assert heading(page) == "Sorry, there’s a problem with the service"
    assert paragraphs(page)[0] == "Try again later."
    assert_no_technical_detail(response)
    assert navigation(page) is None


@with_failing_views
def test_a_server_error_shows_the_request_id_so_the_report_can_be_traced(failing_client):
    response = failing_client.get("/test/broken/", headers={"X-Request-Id": "req-0123456789abcdef"})

    assert response["X-Request-Id"] == "req-0123456789abcdef"
    page = Page(response)
    assert text(page.one("code", within=page.one("main"))) == "req-0123456789abcdef"


@with_failing_views
def test_a_server_error_shows_a_signed_in_user_their_navigation(failing_client):
    signed_in(failing_client, SupportViewerFactory())

    page = Page(failing_client.get("/test/broken-signed-in/"))

    # Signing in was checked before the failure, so the page knows who it is for; what they may
    # open comes from their role, a column of the row already read, so no query is needed for it.
    assert navigation_links(page) == VIEWER_NAVIGATION
    assert account_links(page) == {"Your account": reverse("your-account")}
    assert len(sign_out_buttons(page)) == 1


@with_failing_views
def test_a_server_error_after_a_permission_check_shows_the_same_navigation(failing_client):
    signed_in(failing_client, SupportViewerFactory())

    page = Page(failing_client.get("/test/broken-after-permissions/"))

    assert navigation_links(page) == VIEWER_NAVIGATION


@with_failing_views
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


def test_the_500_handler_asks_the_database_nothing(client, django_assert_num_queries):
    signed_in(client, SupportAdministratorFactory())
    request = request_as_the_middleware_leaves_it(session_key=client.session.session_key)

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
    request = request_as_the_middleware_leaves_it(user=administrator)

    with django_assert_num_queries(0):
        response = server_error(request)

    page = Page(response)
    assert navigation_links(page) == ADMINISTRATOR_NAVIGATION
    assert account_links(page) == {"Your account": reverse("your-account")}
    # The service's name leads to the administrator's home page, worked out without a query too.
    [home] = [link for link in page.all("a") if text(link) == SERVICE_NAME]
    assert attribute(home, "href") == reverse("admin:accounts_user_changelist")


def test_if_the_500_page_cannot_be_drawn_a_plain_one_is_sent(monkeypatch, caplog):
    monkeypatch.setattr("registry.views.render", broken_render)
    request = request_as_the_middleware_leaves_it(user=AnonymousUser())

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
