"""Steps the journeys share: signing in as a persona, and reading the GOV.UK patterns on a page."""

import datetime
import re

from playwright.sync_api import Locator, Page, expect

SERVICE_NAME = "Register of training providers"


def sign_in_as(page: Page, axe, user) -> None:
    """Sign in through the persona page, as a developer would, and land on the admin's home page."""
    page.goto("/personas/")
    expect(page).to_have_title(f"Sign in as a persona - {SERVICE_NAME}")
    axe("Personas")
    page.get_by_role("button", name=f"Sign in as {user.full_name}", exact=True).click()
    # The admin's home sends each person on to the first section their role uses.
    expect(page).not_to_have_url(re.compile(r"/personas/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def open_users(page: Page) -> None:
    """The Users section, through the admin's sidebar."""
    open_from_sidebar(page, "Users")
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))


def open_providers(page: Page) -> None:
    """The Providers section, through the admin's sidebar."""
    open_from_sidebar(page, "Providers")
    expect(page).to_have_url(re.compile(r"/admin/registry/provider/$"))


def open_from_sidebar(page: Page, name: str) -> None:
    """Follow a link in the service's navigation (or, on a page still in the admin's chrome, its
    sidebar, whose links' accessible names start with their icons' ligatures)."""
    menu = page.locator(".app-service-navigation, #nav-sidebar-inner")
    menu.get_by_role("link", name=re.compile(rf"\b{name}$")).click()


def fill_date(page: Page, question: str, value: datetime.date | str) -> None:
    """Type a date into the question's GOV.UK date input, box by box, as a person does: found by
    the question (its fieldset's legend), then each box by its label. `value` is a date, or
    "day/month/year" as typed ("31/2/2025", "1/aug/2025"); "" empties the three boxes."""
    if isinstance(value, datetime.date):
        parts = [str(value.day), str(value.month), str(value.year)]
    else:
        parts = value.split("/") if value else ["", "", ""]
    group = page.get_by_role("group", name=question)
    for label, answer in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(label, exact=True).fill(answer)


def expect_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def expect_error_summary(page: Page, *messages: str) -> None:
    """The error summary lists exactly `messages`, and each field shows its own beside it."""
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="There is a problem"))
    expect(summary).to_be_visible()
    expect(summary.get_by_role("listitem")).to_have_text(list(messages))
    expect(page.locator(".app-error-message")).to_have_text([f"Error: {message}" for message in messages])


def expect_no_error_summary(page: Page) -> None:
    expect(page.get_by_role("heading", name="There is a problem")).to_have_count(0)


def summary_rows(scope: Page | Locator) -> dict[str, tuple[str, str | None]]:
    """Each summary list row on the page (or in one part of it): label → (value, the Change link's
    accessible name or None). A value may itself be a link (a partner's name); it is not a Change link."""
    rows = {}
    for row in scope.locator(".app-summary-list__row").all():
        label = row.locator(".app-summary-list__key").inner_text().strip()
        value = row.locator(".app-summary-list__value").inner_text().strip()
        links = row.locator(".app-summary-list__actions").get_by_role("link")
        rows[label] = (value, links.first.text_content().strip() if links.count() else None)
    return rows


def expect_success_message(page: Page, text: str) -> None:
    """The GOV.UK success banner above the heading (or, in the admin's chrome, its message list)."""
    exactly = re.compile(rf"^\s*{re.escape(text)}\s*$")
    banner = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="Success"))
    message = banner.locator(".app-notification-banner__heading").filter(has_text=exactly)
    expect(message.or_(page.get_by_role("listitem").filter(has_text=exactly))).to_be_visible()
