"""Every screen is the service's own: every URL a person can reach, as every kind of account.

The URLs come from the URLconf itself (every pattern, nested ones included), filled with real
objects: a provider with one of each of its records, an archived provider, a user, an API client,
an email (tests/support/routes.py). A pattern that cannot be filled fails the test, so no page is
skipped silently. Each URL is asked for by each kind of account, redirects are followed to the page
finally shown, and for each HTML page shown the test records its status and the templates it
rendered, then checks (tests/support/every_page.py):

- none of Django's, unfold's, simple-history's or guardian's templates drew it (`admin/…`,
  `unfold/…`, `simple_history/…`, `guardian/…`, `registration/…`): those are the stock admin's
  screens, not the service's;
- it renders `pages/base.html`, the service's one layout;
- it has exactly one `<h1>`, with text in it, exactly one `<main>`, a skip link to `#main-content`
  (and the element it skips to), and no Material Symbols icons (`material-symbols`, whose ligatures
  screen readers read out as words such as "chevron_right").

The error pages (403, 404, 429, 500, 503) are reached too: three test-only URLs break the way a
real page can. The DfE Sign-in pages, 404s with persona sign-in, are visited with it switched on.

Pages that may stay on a stock template for now are listed in KNOWN_EXCEPTIONS with the reason; an
exception that is no longer needed fails the test too, so the list only ever shrinks. The failure
message lists every offending (URL, accounts, templates) at once. To see every visit, failing or not,
set EVERY_PAGE_REPORT to a file name: each URL, account, status, page shown and templates, a line each.
"""

import logging
import os
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.urls import path

from accounts.dfe_sign_in.errors import DfESignInUnavailable
from registry import urls as service_urls
from registry.views import TooManyRequests
from tests.factories import SupportAdministratorFactory
from tests.support.every_page import ACCOUNTS, client_for, failures, visit, write_report
from tests.support.kinds_of_account import one_of_each_kind
from tests.support.routes import register_objects, routes

pytestmark = pytest.mark.django_db

# URL name → (the template prefix of the stock page it may still show, and why). The exception
# covers only a visit that shows that stock page; the same URL's refusals and redirects are checked.
# None is left: the last, guardian's object permissions pages, gave way to the service's own
# (registry/admin/provider_access.py).
KNOWN_EXCEPTIONS: dict[str, tuple[str, str]] = {}


# --- The URLconf, with the error pages no URL reaches on its own -----------------------------------


@login_not_required
def _server_error(request):
    raise RuntimeError("A page that breaks, for the 500 page (tests/registry/test_every_page.py)")


@login_not_required
def _database_unavailable(request):
    raise OperationalError("The database is away, for the 503 page (tests/registry/test_every_page.py)")


@login_not_required
def _too_many_requests(request):
    raise TooManyRequests(retry_after=30)


# The service's URLs, and three that break the way a real page can: the error pages they answer
# with are pages people see too. (The 403 and 404 pages are reached by the service's own URLs.)
urlpatterns = [
    path("test-only/server-error/", _server_error, name="test-server-error"),
    path("test-only/database-unavailable/", _database_unavailable, name="test-database-unavailable"),
    path("test-only/too-many-requests/", _too_many_requests, name="test-too-many-requests"),
    *service_urls.urlpatterns,
]
handler403 = service_urls.handler403
handler404 = service_urls.handler404
handler500 = service_urls.handler500


@pytest.fixture(autouse=True)
def urlconf(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture(autouse=True)
def quiet():
    """Hundreds of refusals, 404s and the broken pages above are logged: none of it helps here."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


@pytest.fixture
def accounts(db):
    return {**one_of_each_kind(SupportAdministratorFactory(first_name="Anne", last_name="Wilson")), "signed_out": None}


@pytest.fixture
def objects(accounts):
    return register_objects(actor=accounts["administrator"])


def visits_as_everyone(accounts, paths) -> list:
    """Each (URL name, path, method) asked for as each kind of account, with a client of its own."""
    return [
        visit(client_for(accounts, account), name, path, account, method, exceptions=KNOWN_EXCEPTIONS)
        for name, path, method in paths
        for account in ACCOUNTS
    ]


# --- The checks ------------------------------------------------------------------------------------


def test_every_route_is_visited(objects):
    """No route is left out because the walker does not know how to fill it."""
    unfilled = [f"{name}: {route}" for name, route in routes(__name__) if not objects.fill(name, route)]
    assert not unfilled, "Teach Objects.fill (in tests/support/routes.py) these parameters:\n" + "\n".join(unfilled)


def test_every_page_is_the_services_own(accounts, objects):
    filled = sorted({(name, "/" + each) for name, route in routes(__name__) for each in objects.fill(name, route)})
    # And a page no URL names: the service's 404, outside the admin too.
    paths = [(name, path, "get") for name, path in [*filled, ("(no such page)", "/no-such-page/")]]
    visits = visits_as_everyone(accounts, paths)
    if report := os.environ.get("EVERY_PAGE_REPORT"):
        write_report(Path(report), visits)

    message = failures(visits, len({path for _, path, _ in paths}))
    not_needed = sorted(set(KNOWN_EXCEPTIONS) - {each.name for each in visits if each.problems and each.excepted})
    if not_needed:
        message.append("\nKnown exceptions no longer needed (remove them from KNOWN_EXCEPTIONS): ")
        message[-1] += ", ".join(not_needed)
    assert not message, "\n".join(message)
    # Something was checked: the account pages at least are HTML pages.
    assert sum(each.html for each in visits) > len(ACCOUNTS)


def test_sign_in_pages_with_dfe_sign_in(accounts, settings):
    """Where the service is deployed, people sign in with DfE Sign-in: its pages answer 404 otherwise.

    DfE Sign-in itself is never reached: starting is made to fail as if it were down (the page that
    says so), and the callback is reached without a code (the page for a sign-in that failed).
    """
    settings.SIGN_IN_METHOD = "dfe-sign-in"
    paths = [
        ("sign-in", "/sign-in/", "get"),
        ("dfe-sign-in", "/sign-in/dfe/", "post"),  # the sign-in page's button
        ("dfe-sign-in-callback", "/auth/dfe/callback/", "get"),
        ("user-not-found", "/sign-in/user-not-found/", "get"),
    ]
    unavailable = DfESignInUnavailable("provider_unreachable")
    with mock.patch("accounts.views.dfe_sign_in.dfe_sign_in_start", side_effect=unavailable):
        visits = visits_as_everyone(accounts, paths)

    assert not (message := failures(visits, len(paths))), "\n".join(message)
    # Each was shown to someone: none of them is still the 404 it is with persona sign-in.
    assert {each.name for each in visits if each.html and each.status != 404} == {name for name, *_ in paths}


def test_the_known_exceptions_have_reasons():
    assert all(prefix and reason.strip() for prefix, reason in KNOWN_EXCEPTIONS.values())
