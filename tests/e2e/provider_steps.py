"""Steps the provider journeys share: finding providers in the list (its search, filters and pages),
and reading a provider's page (its sections and their records' cards)."""

import re

from playwright.sync_api import Locator, Page, expect


def listed_names(page: Page) -> Locator:
    """The providers on this page of the list, by name, in their order (each row's heading)."""
    return page.get_by_role("table").get_by_role("rowheader")


def listed_row(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))


def search_box(page: Page) -> Locator:
    """The list's search box, found by its label and described by its hint."""
    return page.get_by_role("search").get_by_label("Search providers", exact=True)


def search(page: Page, words: str) -> None:
    search_box(page).fill(words)
    page.keyboard.press("Enter")
    query = re.escape(words.replace(" ", "+"))
    expect(page).to_have_url(re.compile(rf"\?q={query}$" if words else r"/provider/(\?q=)?$"))


def filters(page: Page) -> Locator:
    """The list's filters: a form named by its heading, "Filter"."""
    return page.get_by_role("form", name="Filter")


def choice(scope: Locator, question: str, answer: str) -> Locator:
    """A filter's checkbox, found within its group (a fieldset, named by its legend)."""
    return scope.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True)


def filter_by(page: Page, *, check: tuple[str, str] | None = None, uncheck: tuple[str, str] | None = None) -> None:
    """Untick one (question, answer) and tick another, and apply the filters."""
    if uncheck:
        choice(filters(page), *uncheck).uncheck()
    if check:
        choice(filters(page), *check).check()
    filters(page).get_by_role("button", name="Apply filters").click()


def selected_filters(page: Page) -> Locator:
    """The links that remove each filter in use ("Remove this filter HEI"), shown above the results."""
    region = page.get_by_role("region", name="Selected filters")
    return region.get_by_role("link", name=re.compile(r"^Remove this filter "))


def pagination(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Pagination")


def section(page: Page, title: str) -> Locator:
    """One of a provider's sections ("Contacts (2)"), a region named by its heading."""
    return page.get_by_role("region", name=title, exact=True)


def card(scope: Locator, title: str) -> Locator:
    """One record's summary card in a section."""
    return scope.locator(".app-summary-card").filter(
        has=scope.page.get_by_role("heading", level=3, name=title, exact=True)
    )


def year_label(start_year: int) -> str:
    return f"{start_year} to {start_year + 1}"
