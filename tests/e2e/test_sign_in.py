"""Signing in, and the service's own pages around it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import SERVICE_NAME, expect_heading, sign_in_as, summary_rows
from tests.factories import SupportAdministratorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_administrator_signs_in_as_a_persona(page, axe):
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")

    page.goto("/")
    expect(page).to_have_title(SERVICE_NAME)
    expect_heading(page, SERVICE_NAME)
    axe("Start")

    # Locally, signing in is choosing a persona. The start page's Sign in is a GOV.UK start button.
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/personas/$"))
    sign_in_as(page, axe, administrator)
    # An administrator's home is the Users section.
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users")).to_have_attribute(
        "aria-current", "true"
    )

    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Your account").click()
    expect(page).to_have_title(f"Your account - {SERVICE_NAME}")
    expect_heading(page, "Your account")
    rows = summary_rows(page)
    assert rows["First name"][0] == "Anne"
    assert rows["Role"][0] == "Support administrator"
    expect(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Home")).to_have_attribute(
        "href", "/admin/accounts/user/"
    )
    axe("Your account")

    # The error pages keep the service's navigation.
    page.goto("/no-such-page/")
    expect_heading(page, "Page not found")
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Providers")).to_be_visible()
    axe("Page not found (404)")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect_heading(page, SERVICE_NAME)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_signing_in_from_the_keyboard(page, axe):
    """The start button and the persona's button both work from the keyboard alone."""
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")

    page.goto("/")
    # The first Tab reaches the skip link.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    start = page.get_by_role("button", name="Sign in", exact=True)
    for _ in range(10):
        if start.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(start).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/personas/$"))

    persona = page.get_by_role("button", name=f"Sign in as {administrator.full_name}", exact=True)
    persona.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))
    axe("Users, signed in from the keyboard")


def test_sign_in_pages_with_dfe_sign_in(page, axe, settings):
    """Where the service is deployed, people sign in with DfE Sign-in (never reached in these tests)."""
    settings.SIGN_IN_METHOD = "dfe-sign-in"

    page.goto("/")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page).to_have_title(f"Sign in - {SERVICE_NAME}")
    expect(page.get_by_role("button", name="Sign in using DfE Sign-in")).to_be_visible()
    axe("Sign in")

    # Where someone who signed in to DfE Sign-in, but has no account here, is sent.
    page.goto("/sign-in/user-not-found/")
    expect_heading(page, "Ask for an account to access the Register of training providers")
    axe("User not found")
