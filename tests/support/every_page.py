"""Visiting every page as every kind of account, and saying what is wrong with what each is shown.

`visit` asks for a path with a client signed in as one account (`client_for`), follows redirects on
this site to the page finally shown, and records a `Visit`: the status, the templates rendered, and
its problems as a page of the service's own (stock templates; not the one layout; not one `<h1>`,
one `<main>` and a skip link; Material Symbols icons). `failures` turns the visits with problems into
a failure message, by area, by screen and by URL; `write_report` writes every visit to a file.

Used by tests/registry/test_every_page.py, whose URLs come from tests/support/routes.py.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.test import Client

from tests.support.kinds_of_account import KINDS_OF_ACCOUNT

# Every kind of account, and someone signed out (`None` in place of their account).
ACCOUNTS = [*KINDS_OF_ACCOUNT, "signed_out"]

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


# Redirects followed, at most, before the page finally shown.
MAX_REDIRECTS = 10


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
    excepted: bool  # the page shown is a stock page the test still allows for this URL name

    @property
    def page_template(self) -> str:
        """The template the view rendered (the first), which the others extend or are included by."""
        return self.templates[0] if self.templates else "-"


def visit(
    client: Client, name: str, path: str, account: str, method: str = "get", *, exceptions: dict | None = None
) -> Visit:
    """Ask for `path`, follow redirects on this site to the page finally shown, and check that page.

    `exceptions`: URL name → (the template prefix of a stock page that URL may still show, and why).
    """
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
    allowed, _ = (exceptions or {}).get(name, (None, None))
    excepted = allowed is not None and bool(templates) and templates[0].startswith(allowed)
    return Visit(name, path, account, response.status_code, shown, html, templates, tuple(problems), excepted)


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
