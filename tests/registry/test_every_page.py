"""Every screen is the service's own: every URL a person can reach, as every kind of account.

The URLs come from the URLconf itself (every pattern, nested ones included), filled with real
objects: a provider with one of each of its records, an archived provider, a user, an API client,
an email. A pattern this module cannot fill fails the test, so no page is skipped silently. Each
URL is asked for by each kind of account, redirects are followed to the page finally shown, and
for each HTML page shown the test records its status and the templates it rendered, then checks:

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
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path

from accounts.api_clients.services import api_client_create
from accounts.dfe_sign_in.errors import DfESignInUnavailable
from accounts.models import Email
from accounts.services import user_update
from registry import urls as service_urls
from registry.views import TooManyRequests
from tests.factories import (
    AccreditedProviderFactory,
    AddressFactory,
    ApiUserFactory,
    ArchivedProviderFactory,
    AuditorFactory,
    ContactFactory,
    PartnershipFactory,
    SupportAdministratorFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = ["administrator", "editor", "viewer", "auditor", "no_role", "api_user", "inactive", "signed_out"]

# Templates of the stock admin and the packages around it. A page drawing any of them is not the
# service's own, whatever else it renders.
STOCK_TEMPLATE_PREFIXES = ("admin/", "unfold/", "simple_history/", "guardian/", "registration/")

# The service's one layout: every HTML page a person sees extends it.
LAYOUT = "pages/base.html"

# Of those, the ones that make a page (rather than a part of one): a failure names them, and counts the rest.
STOCK_PAGE_TEMPLATES = (
    "admin/index.html",
    "admin/app_index.html",
    "admin/change_list.html",
    "admin/change_form.html",
    "admin/object_history.html",
    "admin/delete_confirmation.html",
    "admin/base_site.html",
    "admin/base.html",
    "admin/login.html",
    "admin/search.html",
    "simple_history/object_history.html",
    "simple_history/object_history_form.html",
    "unfold/layouts/base.html",
    "unfold/layouts/skeleton.html",
)

_GUARDIAN = "guardian's object permissions pages: to be replaced with the grant recording in issue 10"

# URL name → (the template prefix of the stock page it may still show, and why). The exception
# covers only a visit that shows that stock page; the same URL's refusals and redirects are checked.
KNOWN_EXCEPTIONS = {
    "registry_provider_permissions": ("admin/guardian/", _GUARDIAN),
    "registry_provider_permissions_manage_user": ("admin/guardian/", _GUARDIAN),
    "registry_provider_permissions_manage_group": ("admin/guardian/", _GUARDIAN),
}

# Redirects followed, at most, before the page finally shown.
MAX_REDIRECTS = 10


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


def routes(patterns=None, prefix=""):
    """(URL name, route) for every pattern in the URLconf, nested ones included, named or not."""
    if patterns is None:
        patterns = get_resolver(__name__).url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern.name or f"(unnamed) {prefix}{pattern.pattern}", prefix + str(pattern.pattern)


# --- Filling each route with real objects ----------------------------------------------------------


@dataclass(frozen=True)
class Objects:
    """The ids a route's parameters are filled with, by the model (`app/model`) the route is under."""

    ids: dict

    def fill(self, name: str, route: str) -> list[str]:
        """The paths `route` stands for here, or [] when it has a parameter no object fills."""
        model = "/".join(route.removeprefix("admin/").split("/")[:2])
        if route.startswith("admin/r/"):  # the admin's "view on site", for a user
            model = "accounts/user"
        ids = self.ids

        # Regular expressions the admin and the API use.
        if re.search(r"\^\(\?P<app_label>", route):
            labels = re.search(r"\(\?P<app_label>([^)]*)\)", route)[1].split("|")
            return [route.split("^")[0] + f"{label}/" for label in labels]
        if route.endswith("(?P<url>.*)$"):  # the admin's catch-all: its 404, and its added slash
            return [route.split("(?P<url>")[0] + "no-such-page/", route.split("(?P<url>")[0] + "no-such-page"]
        if route.endswith("^([^/]+)/history/([^/]+)/$"):  # simple-history's "history at this date"
            history = ids.get(f"{model}/history")
            if ids.get(model) is None or history is None:
                return []
            return [route.split("^")[0] + f"{ids[model]}/history/{history}/"]
        if route == "api/^docs/?$":
            return ["api/docs", "api/docs/"]
        if route == "api/^":  # the API's JSON 404
            return ["api/no-such-endpoint"]

        replacements = {
            # Only an archived provider is restored or deleted.
            r"^(admin/registry/provider/)<uuid:object_id>/(restore|delete)/$": (
                lambda match: f"{match[1]}{ids['registry/provider/archived']}/{match[2]}/"
            ),
            r"(\w+)/<uuid:record_id>": lambda match: f"{match[1]}/{ids.get(f'{model}/{match[1]}', '<missing>')}",
            r"<(?:uuid:|path:)?(?:object_id|object_pk)>": str(ids.get(model, "<missing>")),
            r"<(?:uuid:)?user_id>": str(ids["accounts/user"]),
            r"<group_id>": str(ids["auth/group"]),
            r"<path:content_type_id>": str(ids["content_type"]),
            r"<uuid:provider_id>": str(ids["registry/provider"]),
            r"<uuid:client_id>": str(ids["accounts/apiclient"]),
        }
        for pattern, value in replacements.items():
            route = re.sub(pattern, value, route)
        if re.search(r"<[^>]*>|[\^$()\[\]]", route):
            return []
        return [route]


@pytest.fixture
def objects(accounts):
    administrator = accounts["administrator"]
    target = UserFactory(first_name="Mary", last_name="Lawson")
    user_update(
        actor=administrator, user_id=target.pk, changes={"last_name": "Lawson-Reid"}, seen_updated_at=target.updated_at
    )
    email = Email.objects.create(
        kind=Email.Kind.SIGN_IN_DETAILS, to=target.email, user=target, status=Email.Status.FAILED
    )
    api_client, _ = api_client_create(actor=administrator, owner=ApiUserFactory(), name="Timetabling system")
    # A provider with one of each of its records (its accreditation comes with it), and an archived one.
    provider = AccreditedProviderFactory()
    return Objects(
        {
            "accounts/user": target.pk,
            "accounts/user/history": target.history.first().history_id,
            "accounts/email": email.pk,
            "accounts/apiclient": api_client.pk,
            "accounts/apiclient/history": api_client.history.first().history_id,
            "auth/group": Group.objects.first().pk,
            "content_type": ContentType.objects.get_for_model(target).pk,
            "registry/provider": provider.pk,
            "registry/provider/history": provider.history.first().history_id,
            "registry/provider/archived": ArchivedProviderFactory().pk,
            "registry/provider/accreditations": provider.accreditations.get().pk,
            "registry/provider/addresses": AddressFactory(provider=provider).pk,
            "registry/provider/contacts": ContactFactory(provider=provider).pk,
            "registry/provider/partnerships": PartnershipFactory(accredited_provider=provider).pk,
        }
    )


@pytest.fixture
def accounts(db):
    return {
        "administrator": SupportAdministratorFactory(first_name="Anne", last_name="Wilson"),
        "editor": SupportEditorFactory(),
        "viewer": SupportViewerFactory(),
        "auditor": AuditorFactory(),
        "no_role": UserFactory(),
        "api_user": ApiUserFactory(),
        "inactive": SupportAdministratorFactory(is_active=False),
        "signed_out": None,
    }


# --- Visiting and checking -------------------------------------------------------------------------


@dataclass
class Visit:
    name: str
    path: str
    account: str
    status: int
    shown: str  # the path of the page finally shown
    html: bool  # an HTML page was shown (not JSON, CSV, JavaScript, nor an empty 405)
    templates: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def page_template(self) -> str:
        """The template the view rendered (the first), which the others extend or are included by."""
        return self.templates[0] if self.templates else "-"

    @property
    def excepted(self) -> bool:
        prefix, _ = KNOWN_EXCEPTIONS.get(self.name, (None, None))
        return prefix is not None and self.page_template.startswith(prefix)


def visit(client: Client, name: str, path: str, account: str, method: str = "get") -> Visit:
    """Ask for `path`, follow redirects on this site to the page finally shown, and check that page."""
    response = getattr(client, method)(path)
    shown = path
    for _ in range(MAX_REDIRECTS):
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        location = urlsplit(response["Location"])
        if location.netloc and location.netloc not in ("testserver", ""):
            break  # another site (DfE Sign-in): not a page of ours
        shown = location.path + (f"?{location.query}" if location.query else "")
        response = client.get(shown)
    templates = tuple(dict.fromkeys(t.name for t in getattr(response, "templates", []) if t.name))
    content_type = response.get("Content-Type", "")
    body = b"" if response.streaming else response.content
    html = content_type.startswith("text/html") and bool(body.strip())
    problems = []
    stock = [t for t in templates if t.startswith(STOCK_TEMPLATE_PREFIXES)]
    if stock:
        # The page templates among them, then the others, up to five in all.
        named = [t for t in stock if t in STOCK_PAGE_TEMPLATES or t == templates[0]]
        named += [t for t in stock if t not in named][: max(0, 5 - len(named))]
        more = f" (+{len(stock) - len(named)} more of unfold's or the admin's)" if len(stock) > len(named) else ""
        problems.append("stock templates " + ", ".join(named) + more)
    if html:
        problems += html_problems(body.decode(errors="replace"))
        if LAYOUT not in templates:
            problems.append(f"no {LAYOUT}")
    return Visit(name, path, account, response.status_code, shown, html, templates, tuple(problems))


def html_problems(html: str) -> list[str]:
    problems = []
    if (count := len(re.findall(r"<h1[\s>]", html, re.IGNORECASE))) != 1:
        problems.append(f"{count} <h1>")
    elif not re.sub(r"<[^>]*>|\s", "", re.search(r"<h1[\s>].*?</h1>", html, re.IGNORECASE | re.DOTALL)[0][3:]):
        problems.append("an empty <h1>")
    if (count := len(re.findall(r"<main[\s>]", html, re.IGNORECASE))) != 1:
        problems.append(f"{count} <main>")
    if not re.search(r"<a\s[^>]*href=[\"']#main-content[\"']", html, re.IGNORECASE):
        problems.append("no skip link to #main-content")
    elif not re.search(r"\sid=[\"']main-content[\"']", html):
        problems.append("the skip link's #main-content is missing")
    if "material-symbols" in html.lower():
        problems.append("Material Symbols icons")
    return problems


def client_for(accounts: dict, account: str) -> Client:
    # A new client each time: a page that signs someone out must not change what the next one shows.
    client = Client(raise_request_exception=False)
    if accounts[account] is not None:
        client.force_login(accounts[account], backend="accounts.backends.ServiceAccountBackend")
    return client


def describe(failing: list[Visit]) -> str:
    """One line for each URL and outcome, with every account that got it."""
    grouped = defaultdict(list)
    for each in failing:
        grouped[(each.path, each.name, each.status, each.shown, each.page_template, each.problems)].append(each.account)
    lines = []
    for (url, name, status, shown, page, problems), who in sorted(grouped.items(), key=lambda item: item[0][0]):
        arrived = f" → {shown}" if shown != url else ""
        lines.append(f"{url} ({name}) as {', '.join(who)}: {status}{arrived} [{page}]\n    {'; '.join(problems)}")
    return "\n".join(lines)


def screens(failing: list[Visit]) -> str:
    """The failing screens, by the template that draws them: how many URLs and which accounts show each."""
    grouped = defaultdict(lambda: (set(), set()))
    for each in failing:
        paths, who = grouped[(each.page_template, each.problems)]
        paths.add(each.path)
        who.add(each.account)
    lines = []
    for (page, problems), (paths, who) in sorted(grouped.items(), key=lambda item: (-len(item[1][0]), item[0])):
        accounts = ", ".join(account for account in ACCOUNTS if account in who)
        lines.append(f"{page}: {len(paths)} URL(s), as {accounts}\n    {'; '.join(problems)}")
    return "\n".join(lines)


def areas(failing: list[Visit]) -> str:
    """How many URLs fail in each part of the service, to see at a glance whose screens are left."""
    found = defaultdict(set)
    for each in failing:
        parts = each.path.strip("/").split("/")
        area = "/".join(parts[:3]) if parts[0] == "admin" and len(parts) > 2 else "/".join(parts[:2]) or "/"
        found[area].add(each.path)
    return "\n".join(f"  /{area.strip('/')}: {len(paths)} URL(s)" for area, paths in sorted(found.items()))


def write_report(file: Path, visits: list[Visit]) -> None:
    """Every visit, one a line (tab-separated): for looking at what each account is shown where."""
    columns = ("path", "name", "account", "status", "shown", "html", "excepted", "problems", "templates")
    lines = ["\t".join(columns)]
    for each in visits:
        row = (each.path, each.name, each.account, each.status, each.shown, each.html, each.excepted)
        lines.append("\t".join([*map(str, row), "; ".join(each.problems), ", ".join(each.templates)]))
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_route_is_visited(objects):
    """No route is left out because this module does not know how to fill it."""
    unfilled = [f"{name}: {route}" for name, route in routes() if not objects.fill(name, route)]
    assert not unfilled, "Teach Objects.fill these routes' parameters:\n" + "\n".join(unfilled)


def failures(visits: list[Visit], urls: int) -> list[str]:
    """The failure message's parts: a count, then by area, by screen, and every URL; [] if none."""
    failing = [each for each in visits if each.problems and not each.excepted]
    if not failing:
        return []
    return [
        f"{len({each.path for each in failing})} of {urls} URL(s) show a page that is not the service's own "
        f"({len(failing)} of {len(visits)} visits; {sum(each.html for each in visits)} visits showed an HTML page).",
        f"\nBy area:\n{areas(failing)}",
        f"\nBy screen (the template the view rendered):\n{screens(failing)}",
        f"\nEvery URL:\n{describe(failing)}",
    ]


def test_every_page_is_the_services_own(accounts, objects):
    paths = sorted({(name, "/" + each) for name, route in routes() for each in objects.fill(name, route)})
    # A page no URL names: the service's 404, outside the admin too.
    paths.append(("(no such page)", "/no-such-page/"))
    visits = [visit(client_for(accounts, account), name, path, account) for name, path in paths for account in ACCOUNTS]
    if report := os.environ.get("EVERY_PAGE_REPORT"):
        write_report(Path(report), visits)

    message = failures(visits, len({path for _, path in paths}))
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
        visits = [
            visit(client_for(accounts, account), name, path, account, method)
            for name, path, method in paths
            for account in ACCOUNTS
        ]

    assert not (message := failures(visits, len(paths))), "\n".join(message)
    # Each was shown to someone: none of them is still the 404 it is with persona sign-in.
    assert {each.name for each in visits if each.html and each.status != 404} == {name for name, *_ in paths}


def test_the_known_exceptions_have_reasons():
    assert all(prefix and reason.strip() for prefix, reason in KNOWN_EXCEPTIONS.values())
