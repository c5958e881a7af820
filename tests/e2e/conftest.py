"""Browser journeys: Debian's chromium, driven by Playwright's sync API, against Django's live server.

One browser for the whole run and a new context (cookies, storage) for each test. Every page a
journey checks is run through axe-core (tests/e2e/axe.py) and the checks axe lacks
(tests/e2e/page_checks.py); the counts per page are printed at the end of the run. Each journey's
last page is saved to tests/e2e/screenshots/<journey>.png, and each page checked, once a run, to
<page>-desktop.png (1440 pixels wide) and <page>-phone.png (390 pixels wide).
"""

import os
import re
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.accounts.emails.conftest import run_worker  # noqa: F401  (a fixture)
from tests.e2e import page_checks
from tests.e2e.allowances import ALLOWANCES
from tests.e2e.axe import PageCheck, axe_run, page_allowances
from tests.support.fake_notify import fake_notify  # noqa: F401  (a fixture)
from tests.support.fake_places import fake_places  # noqa: F401  (a fixture)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root.
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Long enough for a 2-core machine that is also running the live server; short enough to fail fast.
TIMEOUT_MS = 15_000

AXE_CHECKS = pytest.StashKey[dict[str, PageCheck]]()
AXE_VERSION = pytest.StashKey[str]()
# Page name → the problems page_checks found on it, over every visit; and the pages already saved.
PAGE_PROBLEMS = pytest.StashKey[dict[str, set[str]]]()
SCREENSHOTS_TAKEN = pytest.StashKey[set[str]]()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database exists, stopped after the browser.

    Started before the database, the server would not know it is SQLite in memory, and each of its
    request threads would open (and leave open) a connection of its own instead of sharing ours.
    """
    yield live_server
    request_threads_join()


def request_threads_join(timeout: float = 5.0) -> None:
    """Wait for the live server's request threads, which end once the browser closes its connections.

    A thread still running when the database is flushed, or the server stopped, would use a
    connection that is no longer shared with it.
    """
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture(scope="package")
def browser(live_server):
    """One chromium for the journeys, closed once they are done (and before the live server stops).

    Playwright's sync API marks its event loop as running in this thread from its first call until
    it stops. Meanwhile Django takes this thread's code for async code: it refuses database access
    unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and keeps connections apart from the thread's own. So
    the journeys allow it, and reuse the thread's connections (those the test database, and its data
    kept for serialized rollback, are on); the tests after them run as before.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make test` does: .ci/ensure-chromium).")
    wrappers = {alias: connections[alias] for alias in connections}
    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser context on the live server; the last page it shows is saved as the journey's screenshot."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1440, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    # The service has no favicon: chromium's request for one would reach the server after each page,
    # alongside the journey's next request, on the one database connection they share.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page = context.new_page()
    # What the browser refused or failed to run: a script or style the Content Security Policy
    # blocked, or a script that threw. Either means a page does not work as it was written to.
    refused = []
    page.on("console", lambda message: refused.append(message.text) if _is_refusal(message) else None)
    page.on("pageerror", lambda error: refused.append(f"script error: {error}"))
    yield page
    try:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{journey_name(request.node)}.png", full_page=True)
    finally:
        context.close()
        request_threads_join()
    assert not refused, "The browser refused or failed to run part of a page:\n" + "\n".join(refused)


def _is_refusal(message) -> bool:
    return message.type == "error" and "Content Security Policy" in message.text


def journey_name(item) -> str:
    """`test_add_user` → `add_user`; `test_refused[api-user]` → `refused-api-user`."""
    name = item.name.removeprefix("test_")
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")


@pytest.fixture
def axe(request, page):
    """`axe("Page name")`: check the page shown now; fail on any violation no exception covers, and on
    any problem the checks axe lacks find (tests/e2e/page_checks.py). The first time a run checks a
    page of that name, it is also saved at the desktop's and the phone's width, and must not scroll
    sideways on the phone."""
    checks = request.config.stash.setdefault(AXE_CHECKS, {})
    page_problems = request.config.stash.setdefault(PAGE_PROBLEMS, {})
    taken = request.config.stash.setdefault(SCREENSHOTS_TAKEN, set())

    def check(name: str) -> None:
        # Styles and fonts decide colours and sizes: check the page as it is shown, not half-loaded.
        page.wait_for_load_state()
        page.evaluate("() => document.fonts.ready.then(() => true)")
        allowances = page_allowances(ALLOWANCES, name)
        version, violations = axe_run(page, allowances=allowances)
        request.config.stash[AXE_VERSION] = version
        checks.setdefault(name, PageCheck(name)).record(violations)
        failing = [each for each in violations if not each.allowed_by]
        problems = page_checks.page_problems(page)
        if name not in taken:
            taken.add(name)
            problems += page_checks.screenshots(page, SCREENSHOTS, name)
        page_problems.setdefault(name, set()).update(problems)
        report = []
        if failing:
            report.append(f"axe found {len(failing)} violation(s) on {name} ({page.url}):")
            report += [each.describe() for each in failing]
        if problems:
            report.append(f"{len(problems)} problem(s) axe does not check on {name} ({page.url}):")
            report += [f"    {each}" for each in problems]
        assert not report, "\n".join(report)

    return check


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """axe counts per page: elements failing a rule (over all visits), and how many an exception allows."""
    checks = config.stash.get(AXE_CHECKS, None)
    if not checks:
        return
    version = config.stash.get(AXE_VERSION, "?")
    terminalreporter.section(f"axe-core {version}: WCAG 2.2 AA violations per page (found / allowed)")
    width = max(len(name) for name in [*checks, "Total"])
    terminalreporter.write_line(f"{'Page':<{width}}  Visits  Found  Allowed  Rules allowed")
    for name, check in sorted(checks.items()):
        rules = ", ".join(check.allowed_rules) or "-"
        terminalreporter.write_line(
            f"{name:<{width}}  {check.visits:>6}  {len(check.found):>5}  {len(check.allowed):>7}  {rules}"
        )
    visits = sum(check.visits for check in checks.values())
    found = sum(len(check.found) for check in checks.values())
    allowed = sum(len(check.allowed) for check in checks.values())
    terminalreporter.write_line(f"{'Total':<{width}}  {visits:>6}  {found:>5}  {allowed:>7}")
    problems = config.stash.get(PAGE_PROBLEMS, {})
    failing = {name: found for name, found in problems.items() if found}
    terminalreporter.section(
        "Checks axe lacks (icon names, one <h1>, one <main>, skip link, button contrast, phone width)"
    )
    terminalreporter.write_line(f"{len(problems)} pages checked, {len(failing)} with problems")
    for name, found in sorted(failing.items()):
        terminalreporter.write_line(f"{name}: {len(found)}")
        for each in sorted(found):
            terminalreporter.write_line(f"    {each}")
