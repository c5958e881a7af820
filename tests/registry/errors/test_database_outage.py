"""The 503 page for a database that cannot be reached: instead of a 500, logged once, before any view
runs too, saving nothing, drawn without asking the database, and a plain page if even it cannot be drawn."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import User
from registry.views import service_unavailable
from tests.factories import SupportAdministratorFactory
from tests.registry.errors.support import (
    SERVICE_NAME,
    assert_no_technical_detail,
    broken_render,
    heading,
    navigation,
    paragraphs,
    request_as_the_middleware_leaves_it,
    signed_in,
    with_failing_views,
)
from tests.support.database_outage import database_unreachable
from tests.support.page import Page, text

pytestmark = pytest.mark.django_db


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


@with_failing_views
def test_a_database_outage_shows_the_service_unavailable_page_not_a_server_error(failing_client, caplog):
    response = failing_client.get("/test/database-gone/", headers={"X-Request-Id": "req-database-gone"})

    assert_service_unavailable_page(response, request_id="req-database-gone")
    assert response["X-Request-Id"] == "req-database-gone"


@with_failing_views
def test_a_database_outage_is_logged_once_with_the_request_and_the_error(failing_client, caplog):
    failing_client.post("/test/database-gone/", headers={"X-Request-Id": "req-database-gone"})

    (record,) = outage_records(caplog)
    assert record.levelname == "ERROR"
    assert (record.method, record.path, record.request_id) == ("POST", "/test/database-gone/", "req-database-gone")
    assert record.error == (
        'OperationalError: connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )


@with_failing_views
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
    request = request_as_the_middleware_leaves_it(session_key=client.session.session_key)

    with django_assert_num_queries(0):
        response = service_unavailable(request)

    assert_service_unavailable_page(response, request_id=request.request_id)


def test_if_the_503_page_cannot_be_drawn_a_plain_one_is_sent(monkeypatch, caplog):
    monkeypatch.setattr("registry.views.render", broken_render)
    request = request_as_the_middleware_leaves_it(user=AnonymousUser())

    response = service_unavailable(request)

    assert response.status_code == 503
    page = Page(response)
    assert page.title == f"Sorry, the service is unavailable - {SERVICE_NAME}"
    assert heading(page) == "Sorry, the service is unavailable"
    assert text(page.one("code")) == request.request_id
    assert "no-store" in response["Cache-Control"]
    assert "The 503 page could not be drawn" in caplog.text
