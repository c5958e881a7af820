"""The service's error pages: 403, 404, 429, 500 and 503, in the same layout as its other pages.

They use the one layout (`pages/base.html`): signed-in support users see the service navigation on
them, as on any other page; everyone else sees none. No error page is ever kept by a browser or a
proxy (`Cache-Control: no-store`).

Under /api/ the 500 and the 503 are the API's JSON errors instead: an API client is never sent a page.
"""

import copy
import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty
from django.utils.html import escape

from registry.api.errors import ApiError, InternalServerError, ServiceUnavailable, error_response
from registry.cache import CACHE_UNAVAILABLE
from registry.pages.navigation import home_url, may_use_pages, navigation_links
from registry.security_events import security_event

logger = logging.getLogger(__name__)

# Where the API lives: its errors are JSON, whatever part of the service answers them.
API_PATH_PREFIX = "/api/"

# What Django raises when the database cannot be reached, or the connection dies part way (the
# server restarting, say): the request can work if tried again, so it is a 503, not a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class TooManyRequests(Exception):
    """Raise from a view to answer 429 with the service's page (`TooManyRequestsMiddleware` does it).

    `retry_after` is the number of seconds the client should wait, sent as `Retry-After`.
    """

    def __init__(self, retry_after: int | None = None):
        super().__init__("Too many requests")
        self.retry_after = retry_after


def permission_denied(request, exception=None):
    security_event("access_denied", outcome="denied", request=request, path=request.path, method=request.method)
    return _error_page(request, "registry/errors/403.html", "You do not have permission to perform this action", 403)


def csrf_failure(request, reason=""):
    """A form sent without this site's CSRF token: refused like any other forbidden request, and logged."""
    security_event("csrf_failure", outcome="denied", request=request, path=request.path, reason=reason)
    return _error_page(request, "registry/errors/403.html", "You do not have permission to perform this action", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "registry/errors/404.html", "Page not found", 404)


def too_many_requests(request, exception=None):
    """The 429 page. Call it from a view, or raise `TooManyRequests` and let the middleware call it."""
    response = _error_page(request, "registry/errors/429.html", "Sorry, there’s a problem completing this action", 429)
    retry_after = getattr(exception, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(max(int(retry_after), 0))
    return response


def server_error(request):
    """The 500 page, which must render when the database is down or the request broke half-way.

    So it asks the database nothing: the page is drawn for the user this request has already loaded
    (or for an anonymous visitor if none was), with the navigation that user's role allows. Should
    even that fail, a plain page with the same words is sent rather than none at all.

    Django calls it while handling the exception that broke the request, from a view or from a
    middleware alike: when that exception is the database (or the cache) being unavailable, the
    answer is the 503.
    """
    if database_unavailable(sys.exception()) or cache_unavailable(sys.exception()):
        return service_unavailable(request, sys.exception())
    if _is_api_request(request):
        return _api_error(request, InternalServerError)
    return _page_without_the_database(request, _SERVER_ERROR)


def service_unavailable(request, exception=None):
    """The 503 answer, for a request that failed because the database could not be used.

    Nothing about the request was wrong, and trying again once the database is back will work, so
    it says so; what went wrong is logged, one record per request. Like the 500 page it asks the
    database nothing.
    """
    what = "cache" if cache_unavailable(exception) else "database"
    logger.error(
        f"The {what} could not be used, so the request was answered 503.",
        extra={
            "event": f"{what}_unavailable",
            "method": request.method,
            "path": request.path,
            "error": _describe(exception),
            "request_id": getattr(request, "request_id", None),
        },
    )
    if _is_api_request(request):
        response = _api_error(request, ServiceUnavailable)
    else:
        response = _page_without_the_database(request, _SERVICE_UNAVAILABLE)
    # The record above is the request's one: Django would log the 503 again ("Service Unavailable"),
    # with the whole traceback when the exception left a middleware or view. An outage is not a bug.
    response._has_been_logged = True
    return response


def database_unavailable(exception: BaseException | None) -> bool:
    """Whether `exception`, or one that led to it, is the database being unavailable."""
    return _caused_by(exception, DATABASE_UNAVAILABLE)


def cache_unavailable(exception: BaseException | None) -> bool:
    """Whether `exception`, or one that led to it, is the shared cache (Redis) being unavailable."""
    return _caused_by(exception, CACHE_UNAVAILABLE)


def _caused_by(exception: BaseException | None, classes: tuple) -> bool:
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, classes):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def _describe(exception: BaseException | None) -> str | None:
    # The kind of error and its first line: enough to tell a refused connection from a dropped one.
    if exception is None:
        return None
    first_line = str(exception).strip().partition("\n")[0]
    return f"{type(exception).__name__}: {first_line}"[:500]


def _is_api_request(request) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def _api_error(request, error_class: type[ApiError]):
    response = error_response(error_class(request_id=getattr(request, "request_id", None)))
    patch_cache_control(response, no_store=True, private=True)
    return response


@dataclass(frozen=True)
class _ErrorPage:
    """What differs between the pages drawn without the database: the 500 and the 503."""

    status: int
    title: str


_SERVER_ERROR = _ErrorPage(500, "Sorry, there’s a problem with the service")
_SERVICE_UNAVAILABLE = _ErrorPage(503, "Sorry, the service is unavailable")
# Both say the same below their headings, from what can be known without the database.
_PAGE_WITHOUT_THE_DATABASE = "registry/errors/500.html"


def _page_without_the_database(request, page: _ErrorPage):
    try:
        return _server_error_page(request, page)
    except Exception:
        logger.exception("The %s page could not be drawn; sent the plain one instead.", page.status)
        response = HttpResponse(
            _PLAIN_SERVER_ERROR_PAGE.format(
                title=escape(page.title),
                request_id=escape(getattr(request, "request_id", "")),
                service_name=escape(settings.SERVICE_NAME),
                contact_email=settings.SUPPORT_EMAIL,
            ),
            status=page.status,
        )
        patch_cache_control(response, no_store=True, private=True)
        return response


_PLAIN_SERVER_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{title} - {service_name}</title></head>
<body>
<main id="main-content">
<h1>{title}</h1>
<p>Try again later.</p>
<p>If you report this problem to <a href="mailto:{contact_email}">{contact_email}</a>,
give this reference so we can find out what happened: <code>{request_id}</code></p>
</main>
</body>
</html>
"""


def _server_error_page(request, page: _ErrorPage):
    """The page in the one layout, drawn for the user this request has already loaded (if any).

    The layout's navigation and home link are worked out here, for that user: a person's permissions
    come from their role, a column of the row already loaded, so asking them costs no query. A user
    not yet loaded is left alone and the page is drawn for an anonymous visitor.
    """
    user = _user_already_loaded(request)
    context = {
        "navigation": navigation_links(user, request.path),
        "home_url": home_url(user),
        "signed_in": may_use_pages(user),
        # The messages live in the session (and so maybe in the database): none are shown here.
        "messages": (),
        "request_id": getattr(request, "request_id", ""),
    }
    return _error_page(_with_user(request, user), _PAGE_WITHOUT_THE_DATABASE, page.title, page.status, context=context)


def _error_page(request, template_name, title, status, *, context=None):
    context = {**(context or {}), "title": title, "heading": title}
    response = render(request, template_name, context, status=status)
    patch_cache_control(response, no_store=True, private=True)
    return response


def _user_already_loaded(request):
    """The signed-in user if this request has already fetched them, else an anonymous one.

    `AuthenticationMiddleware` makes `request.user` lazy: it is fetched (from the session, and so
    perhaps the database) only when first used. A lazy user not yet fetched is left alone.
    """
    user = getattr(request, "user", None)
    # isinstance() looks at the wrapper's own type first, so it does not fetch the user.
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is not None and user.is_authenticated:
        return user
    return AnonymousUser()


def _with_user(request, user):
    """The same request, seen as coming from `user`: templates and the admin site read `request.user`."""
    copied = copy.copy(request)
    copied.user = user
    return copied
