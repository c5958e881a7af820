"""Security headers and cookies, checked against the settings production actually gets.

The settings module is loaded afresh with a production-like environment, and its security
settings applied to the test; so the tests check what production is configured with, not a copy.
"""

import importlib.util
import secrets

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse
from django.utils.csp import build_policy

from registry import urls as service_urls
from tests.factories import SupportAdministratorFactory
from tests.support.page import Page

pytestmark = pytest.mark.django_db

HOST = "register.example"
ISSUER = "https://oidc.signin.example/tenant"

PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": HOST,
    "SERVICE_URL": f"https://{HOST}",
    "SIGN_IN_METHOD": "dfe-sign-in",
    "DFE_SIGN_IN_ISSUER": ISSUER,
    "DFE_SIGN_IN_CLIENT_ID": "register",
    "DFE_SIGN_IN_CLIENT_SECRET": secrets.token_urlsafe(32),
    "GOVUK_NOTIFY_API_KEY": "test-key",
    "GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS": "11111111-1111-1111-1111-111111111111",
    "GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED": "22222222-2222-2222-2222-222222222222",
    # Every secret production must be given: the settings refuse to load without each of them.
    "API_TOKEN_HMAC_KEY": secrets.token_urlsafe(48),
}
# Settings that could weaken production if the environment running the tests had them set.
PRODUCTION_UNSET = ["SECURE_SSL_REDIRECT"]

SECURITY_SETTINGS = (
    "ALLOWED_HOSTS",
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_PATH",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_DOMAIN",
    "X_FRAME_OPTIONS",
)


def production_settings(monkeypatch) -> dict:
    """Every setting the service's settings module gives itself in a production-like environment."""
    for name in PRODUCTION_UNSET:
        monkeypatch.delenv(name, raising=False)
    for name, value in PRODUCTION_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.find_spec("registry.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


@pytest.fixture
def production(settings, monkeypatch):
    """This test runs with production's security settings, its requests arriving over HTTPS."""
    loaded = production_settings(monkeypatch)
    for name in SECURITY_SETTINGS:
        # Settings production leaves at Django's default keep the default here too.
        setattr(settings, name, loaded.get(name, getattr(django_settings, name)))
    return loaded


def https_get(client, url, **kwargs):
    # The load balancer ends TLS and says so in X-Forwarded-Proto, as SECURE_PROXY_SSL_HEADER expects.
    return client.get(url, headers={"Host": HOST, "X-Forwarded-Proto": "https"}, **kwargs)


@login_not_required
def broken(request):
    raise RuntimeError("broken")


# This module doubles as a URLconf: the service's own URLs and a view that fails.
urlpatterns = [path("test/broken/", broken), *service_urls.urlpatterns]
handler403, handler404, handler500 = service_urls.handler403, service_urls.handler404, service_urls.handler500


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


EXPECTED_CSP = {
    "default-src": ["'none'"],
    # No page has an inline script or style (the browser journeys would see the CSP refuse one).
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    # Signing in and out are forms whose answer is a redirect to DfE Sign-in.
    "form-action": ["'self'", "https://oidc.signin.example"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}


def assert_security_headers(response):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response
    assert "X-Powered-By" not in response
    assert response["X-Request-Id"]


def assert_not_stored(response):
    assert "no-store" in [directive.strip() for directive in response["Cache-Control"].split(",")]


@pytest.fixture
def signed_in(client, production):
    client.force_login(SupportAdministratorFactory(), backend="accounts.backends.ServiceAccountBackend")
    return client


def test_an_admin_page(signed_in):
    response = https_get(signed_in, reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    assert_security_headers(response)
    assert_not_stored(response)


def test_a_service_page_for_a_signed_in_user(signed_in):
    response = https_get(signed_in, reverse("your-account"))

    assert response.status_code == 200
    assert_security_headers(response)
    assert_not_stored(response)


def test_a_service_page_for_a_visitor(client, production):
    response = https_get(client, reverse("start"))

    assert response.status_code == 200
    assert_security_headers(response)


def test_a_404(signed_in):
    response = https_get(signed_in, "/no-such-page/")

    assert response.status_code == 404
    assert Page(response).title.startswith("Page not found")
    assert_security_headers(response)
    assert_not_stored(response)


def test_a_404_for_a_visitor(client, production):
    response = https_get(client, "/no-such-page/")

    assert response.status_code == 404
    assert_security_headers(response)
    assert_not_stored(response)


@pytest.mark.urls(__name__)
def test_a_500(signed_in):
    signed_in.raise_request_exception = False

    response = https_get(signed_in, "/test/broken/")

    assert response.status_code == 500
    assert Page(response).title.startswith("Sorry, there’s a problem with the service")
    assert_security_headers(response)
    assert_not_stored(response)


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("start"), headers={"Host": HOST, "X-Forwarded-Proto": "http"})

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/"


def test_the_session_cookie_is_locked_to_this_site_and_https(signed_in):
    # The first request after signing in starts the session's clock, so the session is saved and
    # its cookie set again.
    response = https_get(signed_in, reverse("your-account"))

    assert response.status_code == 200
    cookie = response.cookies["__Host-session"]
    header = cookie.output(header="").strip()
    assert header.startswith("__Host-session=")
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in header.split("; ")
    assert "Domain=" not in header


def test_the_csrf_cookie_is_locked_to_this_site_and_https(signed_in):
    # Signed-in pages have forms (signing out, at least), so the first one sets the CSRF cookie.
    response = https_get(signed_in, reverse("your-account"))

    assert response.status_code == 200
    cookie = response.cookies["__Host-csrftoken"]
    header = cookie.output(header="").strip()
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in header.split("; ")
    assert "Domain=" not in header


def test_the_signed_in_session_cookie_is_not_sent_over_plain_http(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["CSRF_COOKIE_NAME"].startswith("__Host-")


def test_local_development_has_the_same_content_security_policy(settings):
    # Only HSTS, HTTPS and the cookie flags depend on DEBUG, so what developers see is what
    # production sends (but for DfE Sign-in's address, which depends on the environment).
    policy = parse_csp(build_policy(settings.SECURE_CSP))
    assert policy.pop("form-action")[0] == "'self'"
    assert policy == {name: sources for name, sources in EXPECTED_CSP.items() if name != "form-action"}
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
    assert settings.SECURE_CROSS_ORIGIN_OPENER_POLICY == "same-origin"
    assert settings.X_FRAME_OPTIONS == "DENY"
