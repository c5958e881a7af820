"""What every error page (403, 404, 429, 500, 503) has in common: never stored, one heading, a main
landmark and a skip link, and no link anywhere its reader may not go."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from registry.views import page_not_found, permission_denied, server_error, service_unavailable, too_many_requests
from tests.factories import ApiUserFactory, AuditorFactory, SupportAdministratorFactory, SupportViewerFactory
from tests.registry.errors.support import (
    EMAIL,
    FOOTER_LINKS,
    SERVICE_NAME,
    heading,
    navigation,
    request_as_the_middleware_leaves_it,
    signed_in,
    with_failing_views,
)
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db


HANDLERS = [
    pytest.param(permission_denied, 403, id="403"),
    pytest.param(page_not_found, 404, id="404"),
    pytest.param(too_many_requests, 429, id="429"),
    pytest.param(lambda request, exception=None: server_error(request), 500, id="500"),
    pytest.param(lambda request, exception=None: service_unavailable(request), 503, id="503"),
]


@pytest.mark.parametrize(("handler", "status"), HANDLERS)
def test_error_pages_are_never_stored(handler, status):
    request = request_as_the_middleware_leaves_it(user=AnonymousUser())

    response = handler(request, exception=None)

    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("handler", "status"), HANDLERS)
def test_error_pages_lead_an_api_user_nowhere_they_cannot_go(handler, status):
    # API users never have a web session; should an error page be drawn for one all the same, it
    # offers them no page of the web interface.
    request = request_as_the_middleware_leaves_it(user=ApiUserFactory())

    page = Page(handler(request, exception=None))

    assert navigation(page) is None
    # Signing out is open to anyone; nothing else is offered but the start page, the footer's pages
    # (open to everyone) and an email address.
    hrefs = {attribute(link, "href") for link in page.all("a")}
    assert hrefs <= {"#main-content", reverse("start"), f"mailto:{EMAIL}", *FOOTER_LINKS}


@pytest.mark.parametrize(("handler", "status"), HANDLERS)
def test_error_pages_have_one_heading_a_main_landmark_and_a_skip_link(handler, status):
    request = request_as_the_middleware_leaves_it(user=AnonymousUser())

    page = Page(handler(request, exception=None))

    main = page.one("main")
    assert attribute(main, "id") == "main-content"
    page.one("h1", within=main)
    skip_link = page.all("a", within=page.one("body"))[0]
    assert text(skip_link) == "Skip to main content"
    assert page.title == f"{heading(page)} - {SERVICE_NAME}"


@with_failing_views
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
