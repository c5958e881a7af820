"""Middleware of the service's own."""

import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpResponseNotAllowed
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from registry.api.errors import HttpsRequired, MethodNotAllowed, error_response
from registry.logging import current_request_id
from registry.security_events import security_event
from registry.views import API_PATH_PREFIX, TooManyRequests, too_many_requests

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id, shown in logs and error pages, so a report can be traced.

    A well-formed id from the load balancer (X-Request-Id) is kept; anything else is replaced.
    Every record logged from here until the response has been sent carries it
    (registry.logging.RequestIdFilter), Django's own log of an error response included.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_request_id_forget, dispatch_uid="registry.middleware.request_id_forget")

    def __call__(self, request):
        supplied = request.headers.get("X-Request-Id", "")
        request.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        # Left set after this returns, for what is logged about the response on the way out; each
        # request sets its own, and `request_finished` clears it once the response has been sent.
        current_request_id.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response


def _request_id_forget(**kwargs):
    current_request_id.set(None)


# Methods a web page may be asked with. Forms only ever GET and POST; nothing the browser does on
# its own needs OPTIONS, since the service takes no cross-origin requests.
WEB_PAGE_METHODS = ("GET", "HEAD", "POST")
# Methods nothing in the service answers: TRACE would echo the request back, cookies and all.
REFUSED_METHODS = frozenset({"TRACE", "TRACK", "CONNECT"})


class AllowedMethodsMiddleware:
    """Answer 405 to any method a page does not take, before a view can treat it as a GET.

    Django's admin views answer every method other than POST as if it were a GET, so without this a
    TRACE, PUT or DELETE would get the page back. Paths under /api/ (`API_PATH_PREFIX`) are left to
    the API's own views, which decide for themselves which methods they take, except for the methods
    nothing answers: those get the API's JSON 405, with the methods the path does take in `Allow`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        method = request.method.upper()
        is_api = request.path_info.startswith(API_PATH_PREFIX)
        if method in REFUSED_METHODS or (method not in WEB_PAGE_METHODS and not is_api):
            if is_api:
                response = error_response(MethodNotAllowed(_api_methods(request)))
            else:
                response = HttpResponseNotAllowed(WEB_PAGE_METHODS)
            patch_cache_control(response, no_store=True, private=True)
            return response
        return self.get_response(request)


def _api_methods(request) -> list[str]:
    """The methods the API takes at the request's path: its route's, or GET and HEAD (the
    documentation, and the JSON 404 of a path the API does not have)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return ["GET", "HEAD"]
    route = getattr(match.func, "route", None)
    return route.allowed if route is not None else ["GET", "HEAD"]


class ApiHttpsOnlyMiddleware:
    """Refuse the API over plain HTTP with its JSON 403, where pages are redirected to HTTPS.

    With `SECURE_SSL_REDIRECT` on, SecurityMiddleware answers a plain HTTP request with a redirect to
    HTTPS. A browser follows it having sent nothing secret; an API client that follows it sends its
    token a second time, and may do so in clear again on the next call without ever noticing. So
    under /api/ the request is refused, and logged (the token it carried must be taken as seen), and
    the client's developer sees why at once (ASVS 4.1.2). Placed before SecurityMiddleware; paths in
    `SECURE_REDIRECT_EXEMPT` are left alone, as SecurityMiddleware leaves them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SECURE_SSL_REDIRECT
            and request.path_info.startswith(API_PATH_PREFIX)
            and not request.is_secure()
            and not _redirect_exempt(request.path_info)
        ):
            security_event(
                "api_plain_http",
                outcome="denied",
                request=request,
                path=request.path,
                method=request.method,
                token_sent="HTTP_AUTHORIZATION" in request.META,
            )
            response = error_response(HttpsRequired())
            response["X-Content-Type-Options"] = "nosniff"
            patch_cache_control(response, no_store=True, private=True)
            return response
        return self.get_response(request)


def _redirect_exempt(path: str) -> bool:
    return any(re.search(pattern, path.lstrip("/")) for pattern in settings.SECURE_REDIRECT_EXEMPT)


class DenyFramingMiddleware:
    """`X-Frame-Options: DENY` on every response, the pages unfold marks SAMEORIGIN included.

    unfold lets its change list and change form be framed by the admin itself, for the pop-ups in
    which it adds or picks a related record; the service's content security policy allows no
    framing at all (`frame-ancestors 'none'`), so this header says the same to older browsers.
    Django's XFrameOptionsMiddleware stays in MIDDLEWARE for the responses this one never sees.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, "xframe_options_exempt", False):
            response["X-Frame-Options"] = "DENY"
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user, and on every error.

    What a signed-in user sees is about people, so no browser or proxy may keep a copy: once they
    sign out, the Back button must not bring it back. Errors are never worth keeping either.
    The status is looked at first, so an error (a database that is down, say) is answered without
    asking who the user is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 400 or _is_signed_in(request):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _is_signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class TooManyRequestsMiddleware:
    """Turn a `TooManyRequests` raised by a view into the service's 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TooManyRequests):
            return too_many_requests(request, exception)
        return None
