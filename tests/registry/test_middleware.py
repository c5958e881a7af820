"""The service's own middleware: request ids, allowed methods, no-store, framing and 429s."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, path, resolve, reverse
from django.views.decorators.clickjacking import xframe_options_exempt, xframe_options_sameorigin

from registry import urls as service_urls
from registry.middleware import TooManyRequestsMiddleware
from registry.views import TooManyRequests
from tests.factories import SupportAdministratorFactory, SupportViewerFactory

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"


@login_not_required
def api_echo(request):
    return HttpResponse(request.method)


@login_not_required
@xframe_options_sameorigin
def frameable_by_the_site(request):
    return HttpResponse("framed")


@login_not_required
@xframe_options_exempt
def frameable_by_anyone(request):
    return HttpResponse("framed")


# This module doubles as a URLconf: the service's own URLs and a few views for the tests below.
urlpatterns = [
    path("api/echo/", api_echo),
    path("test/sameorigin/", frameable_by_the_site),
    path("test/exempt/", frameable_by_anyone),
    *service_urls.urlpatterns,
]
handler403, handler404, handler500 = service_urls.handler403, service_urls.handler404, service_urls.handler500


# Methods (ST-28) ----------------------------------------------------------------------------------


_SAMPLE_ID = "00000000-0000-0000-0000-000000000001"


def _admin_paths(patterns=None, prefix="/admin/"):
    """A path to every URL the admin site registers, ids made up: the method is refused before any lookup."""
    for pattern in admin.site.urls[0] if patterns is None else patterns:
        route = str(pattern.pattern)
        route = re.sub(r"\(\?P<app_label>(\w+)[^)]*\)", r"\1", route)
        route = route.replace("(?P<url>.*)", "no-such-page/")
        route = re.sub(r"<(?:uuid:)?object_id>", _SAMPLE_ID, route)
        route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
        route = route.replace("([^/]+)", "1").removeprefix("^").removesuffix("$")
        if isinstance(pattern, URLResolver):
            yield from _admin_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route


SERVICE_PATHS = ["/", "/sign-in/", "/sign-out/", "/unauthorised/", "/account/", "/personas/", "/no-such-page/"]
REFUSED = ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"]


@pytest.fixture
def signed_in_client():
    client = Client(raise_request_exception=False)
    client.force_login(SupportAdministratorFactory(), backend=BACKEND)
    return client


def test_the_admin_paths_are_real_admin_urls():
    paths = list(_admin_paths())

    assert "/admin/" in paths
    assert reverse("admin:accounts_user_changelist") in paths
    catch_all = resolve("/admin/no-such-page/").func
    for url in paths:
        match = resolve(url)
        assert match.namespace == "admin", url
        # Only the catch-all's own path reaches the catch-all: every other path is a page of its own.
        assert (match.func == catch_all) == (url == "/admin/no-such-page/"), url


@pytest.mark.parametrize("method", REFUSED)
def test_pages_refuse_methods_they_do_not_take(signed_in_client, method):
    outcomes = {}
    for url in [*SERVICE_PATHS, *_admin_paths()]:
        for client in (signed_in_client, Client(raise_request_exception=False)):
            response = client.generic(method, url)
            outcomes[(url, response.status_code)] = response

    assert {status for _, status in outcomes} == {405}, sorted(key for key in outcomes if key[1] != 405)
    for response in outcomes.values():
        assert response["Allow"] == "GET, HEAD, POST"
        assert not response.has_header("Access-Control-Allow-Origin")


def test_a_trace_is_not_echoed_back(signed_in_client):
    response = signed_in_client.generic("TRACE", reverse("admin:index"), headers={"X-Secret": "session-cookie-value"})

    assert response.status_code == 405
    assert b"session-cookie-value" not in response.content
    assert b"sessionid" not in response.content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_the_api_decides_its_own_methods(client, method):
    response = client.generic(method, "/api/echo/")

    assert response.status_code == 200
    assert response.content.decode() == method


@pytest.mark.urls(__name__)
def test_nothing_answers_trace_even_under_the_api(client):
    assert client.generic("TRACE", "/api/echo/").status_code == 405


@pytest.mark.parametrize("method", ["get", "head"])
def test_pages_still_answer_get_and_head(signed_in_client, method):
    response = getattr(signed_in_client, method)(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200


# Cache-Control (ST-13) -----------------------------------------------------------------------------


def _directives(response) -> set[str]:
    return {directive.strip() for directive in response.get("Cache-Control", "").split(",") if directive.strip()}


@pytest.mark.parametrize(
    "url_name", ["admin:registry_provider_changelist", "admin:accounts_user_changelist", "your-account", "personas"]
)
def test_every_page_a_signed_in_user_gets_is_not_stored(signed_in_client, url_name):
    response = signed_in_client.get(reverse(url_name))

    assert response.status_code == 200
    assert "no-store" in _directives(response)
    assert "public" not in _directives(response)


def test_a_redirect_to_a_signed_in_user_is_not_stored(signed_in_client):
    response = signed_in_client.get(reverse("start"))

    assert response.status_code == 302
    assert "no-store" in _directives(response)


@pytest.mark.parametrize("url_name", ["start", "personas"])
def test_pages_for_visitors_may_be_kept(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "no-store" not in _directives(response)


def test_errors_are_not_stored_even_for_visitors(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "no-store" in _directives(response)


def test_a_method_refused_is_not_stored(client):
    assert "no-store" in _directives(client.generic("TRACE", "/"))


def test_after_signing_out_the_last_page_is_gone_from_the_browser(client):
    viewer = SupportViewerFactory()
    client.force_login(viewer, backend=BACKEND)
    page = client.get(reverse("admin:accounts_user_changelist"))
    assert "no-store" in _directives(page)

    client.post(reverse("sign-out"))

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


# Framing -------------------------------------------------------------------------------------------


def test_admin_pages_unfold_marks_sameorigin_are_denied_all_the_same(signed_in_client):
    for url in (reverse("admin:accounts_user_changelist"), reverse("admin:index")):
        assert signed_in_client.get(url)["X-Frame-Options"] == "DENY"


@pytest.mark.urls(__name__)
def test_a_view_marked_sameorigin_is_denied(client):
    assert client.get("/test/sameorigin/")["X-Frame-Options"] == "DENY"


@pytest.mark.urls(__name__)
def test_a_view_exempted_on_purpose_stays_exempt(client):
    assert "X-Frame-Options" not in client.get("/test/exempt/")


# Request ids ---------------------------------------------------------------------------------------


def test_each_response_carries_a_request_id(client):
    first = client.get(reverse("start"))["X-Request-Id"]
    second = client.get(reverse("start"))["X-Request-Id"]

    assert first
    assert second
    assert first != second


@pytest.mark.parametrize(
    ("supplied", "kept"),
    [("req-0123456789", True), ("short", False), ("has spaces in it", False), ("x" * 65, False)],
)
def test_a_well_formed_request_id_from_the_load_balancer_is_kept(client, supplied, kept):
    response = client.get(reverse("start"), headers={"X-Request-Id": supplied})

    assert (response["X-Request-Id"] == supplied) is kept


# 429 -----------------------------------------------------------------------------------------------


def test_the_429_middleware_leaves_other_exceptions_alone():
    middleware = TooManyRequestsMiddleware(lambda request: HttpResponse())

    assert middleware.process_exception(RequestFactory().get("/"), ValueError("no")) is None


def test_the_429_middleware_answers_too_many_requests(rf):
    request = rf.get("/")
    request.user = SupportViewerFactory()
    middleware = TooManyRequestsMiddleware(lambda request: HttpResponse())

    response = middleware.process_exception(request, TooManyRequests(retry_after=60))

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
