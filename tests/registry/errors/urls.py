"""A URLconf for the error pages' tests: the service's own URLs, and views that fail in each way.

Tests that need one of these views are marked `@with_failing_views` (tests/registry/errors/support.py).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.urls import path

from registry import urls as service_urls
from registry.views import TooManyRequests, too_many_requests
from tests.support.database_outage import REFUSED

# What the failing views' exception says: it must never reach the page.
SECRET_DETAIL = "database password is hunter2"


class Broken(Exception):
    """What the failing views raise: its message must never reach the page."""


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
