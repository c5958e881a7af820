"""The service's own pages, for each kind of account: home, the service navigation, the header and footer.

Each role signs in through the persona page and lands on its home (pages/navigation.py's
`home_url`); every link of its navigation is then followed and each page checked (axe, and the
checks in page_checks.py, with screenshots at the desktop's and the phone's width).
"""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import SERVICE_NAME
from tests.factories import (
    AuditorFactory,
    SupportAdministratorFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Each section's URL, as the navigation links to it.
SECTIONS = {
    "Providers": "/admin/registry/provider/",
    "Users": "/admin/accounts/user/",
    "API clients": "/admin/accounts/apiclient/",
    "Emails": "/admin/accounts/email/",
    "Activity": "/admin/activity/",
    "Your account": "/account/",
}


@dataclass(frozen=True)
class Role:
    name: str
    factory: type
    home: str  # the section a person of this role lands on
    navigation: tuple[str, ...]  # the service navigation's links, in order


EVERY_SECTION = ("Providers", "Users", "API clients", "Emails", "Activity")

ROLES = [
    Role("administrator", SupportAdministratorFactory, "Users", EVERY_SECTION),
    Role("editor", SupportEditorFactory, "Providers", ("Providers", "Users")),
    Role("viewer", SupportViewerFactory, "Providers", ("Providers", "Users")),
    Role("auditor", AuditorFactory, "Activity", ("Activity",)),
    # No role yet: no section, and their account page says why.
    Role("no role", UserFactory, "Your account", ()),
]


def service_navigation(page: Page):
    return page.get_by_role("navigation", name="Menu")


def expect_section(page: Page, section: str) -> None:
    """The section's page is shown: its URL, its one heading, and its name first in the title."""
    expect(page).to_have_url(re.compile(rf"{re.escape(SECTIONS[section])}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^\s*{re.escape(section)}\b", re.I))
    expect(page).to_have_title(re.compile(rf"^{re.escape(section)}\b.* - {re.escape(SERVICE_NAME)}$", re.I))


def sign_in(page: Page, axe, user) -> None:
    """Sign in as `user` through the persona page (the service's sign-in wherever it runs locally)."""
    page.goto("/personas/")
    expect(page).to_have_title(f"Sign in as a persona - {SERVICE_NAME}")
    axe("Personas")
    page.get_by_role("button", name=f"Sign in as {user.full_name}", exact=True).click()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name.replace(" ", "-"))
def test_each_role_lands_on_its_home_and_opens_its_navigation(page, axe, role):
    user = role.factory(first_name="Sam", last_name="Taylor")

    sign_in(page, axe, user)
    expect_section(page, role.home)
    axe(f"{role.home} (home, {role.name})")

    navigation = service_navigation(page)
    if not role.navigation:
        expect(navigation).to_have_count(0)
    else:
        links = navigation.get_by_role("link")
        expect(links).to_have_text(list(role.navigation))
        # The home page's own section is the one marked current.
        if role.home in role.navigation:
            expect(navigation.get_by_role("link", name=role.home, exact=True)).to_have_attribute("aria-current", "true")
        for section in role.navigation:
            service_navigation(page).get_by_role("link", name=section, exact=True).click()
            expect_section(page, section)
            current = service_navigation(page).locator("[aria-current]")
            expect(current).to_have_count(1)
            expect(current).to_have_text(section)
            axe(f"{section} ({role.name})")

    # The header's account links: Your account, and Sign out.
    account = page.get_by_role("navigation", name="Your account")
    account.get_by_role("link", name="Your account", exact=True).click()
    expect_section(page, "Your account")
    expect(account.get_by_role("link", name="Your account", exact=True)).to_have_attribute("aria-current", "page")
    axe(f"Your account ({role.name})")

    account.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE_NAME)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_start_page_sign_in_button(page, axe):
    page.goto("/")
    expect(page).to_have_title(SERVICE_NAME)
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE_NAME)
    expect(service_navigation(page)).to_have_count(0)
    axe("Start")

    # A link drawn as a button, named only "Sign in" (no icon's name read out after it).
    sign_in_button = page.get_by_role("main").locator("a.app-button, button.app-button")
    sign_in_button = sign_in_button.filter(has_text=re.compile(r"^\s*Sign in\s*$"))
    expect(sign_in_button).to_have_count(1)
    sign_in_button.click()
    # Locally, signing in is choosing a persona.
    expect(page).to_have_url(re.compile(r"/personas/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in as a persona")


FOOTER_PAGES = [
    # (the footer link, the page's heading and title)
    ("Accessibility", "Accessibility statement"),
    ("Cookies", "Cookies"),
    ("Privacy notice", "Privacy notice"),
    ("Help and feedback", "Help and feedback"),
]


def test_footer_pages_signed_out(page, axe):
    page.goto("/")
    for link, heading in FOOTER_PAGES:
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        expect(page).to_have_title(f"{heading} - {SERVICE_NAME}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        # Signed out: no service navigation, and no account links.
        expect(service_navigation(page)).to_have_count(0)
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        axe(f"{heading} (signed out)")


def test_navigation_menu_on_a_phone(page, axe):
    """At a phone's width the navigation folds behind a Menu button that says whether it is open."""
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, axe, administrator)
    expect_section(page, "Users")

    toggle = service_navigation(page).get_by_role("button", name="Menu", exact=True)
    links = service_navigation(page).get_by_role("link")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "app-navigation")
    expect(links.first).to_be_hidden()
    axe("Users (phone, menu closed)")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(links).to_have_text(list(EVERY_SECTION))
    expect(links.first).to_be_visible()
    axe("Users (phone, menu open)")

    # From the keyboard too: Enter closes it again.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(links.first).to_be_hidden()

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    service_navigation(page).get_by_role("link", name="Providers", exact=True).click()
    expect_section(page, "Providers")
    # A new page starts with the menu closed.
    expect(service_navigation(page).get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
