"""Signing in, and the service's own pages around it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import SERVICE_NAME, expect_heading, sign_in_as
from tests.factories import SupportAdministratorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_administrator_signs_in_as_a_persona(page, axe):
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")

    page.goto("/")
    expect(page).to_have_title(SERVICE_NAME)
    expect_heading(page, SERVICE_NAME)
    axe("Start")

    # Locally, signing in is choosing a persona.
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/personas/$"))
    sign_in_as(page, axe, administrator)
    expect(page.get_by_text("Anne Wilson").first).to_be_visible()
    axe("Admin home")

    page.goto("/account/")
    expect(page).to_have_title(f"Your account - {SERVICE_NAME}")
    expect_heading(page, "Your account")
    expect(page.get_by_text("Signed in as Anne Wilson")).to_be_visible()
    axe("Your account")

    page.goto("/no-such-page/")
    expect_heading(page, "Page not found")
    axe("Page not found (404)")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect_heading(page, SERVICE_NAME)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_sign_in_pages_with_dfe_sign_in(page, axe, settings):
    """Where the service is deployed, people sign in with DfE Sign-in (never reached in these tests)."""
    settings.SIGN_IN_METHOD = "dfe-sign-in"

    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page).to_have_title(f"Sign in - {SERVICE_NAME}")
    expect(page.get_by_role("button", name="Sign in using DfE Sign-in")).to_be_visible()
    axe("Sign in")

    # Where someone who signed in to DfE Sign-in, but has no account here, is sent.
    page.goto("/sign-in/user-not-found/")
    expect_heading(page, "Ask for an account to access the Register of training providers")
    axe("User not found")


def test_navigation_from_the_keyboard_on_a_narrow_screen(page, axe):
    """Below 1280 pixels the admin's navigation is folded away; the header's button brings it back."""
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in_as(page, axe, administrator)
    navigation = page.locator("#nav-sidebar-inner")
    expect(navigation).not_to_be_in_viewport()
    axe("Admin home, narrow screen")

    toggle = page.get_by_role("button", name="Show or hide navigation")
    toggle.focus()
    page.keyboard.press("Enter")
    users = navigation.get_by_role("link", name=re.compile(r"\bUsers$"))
    expect(users).to_be_in_viewport()
    axe("Admin home, narrow screen, navigation open")

    # The same button folds it away again.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(navigation).not_to_be_in_viewport()
    toggle.focus()
    page.keyboard.press("Enter")

    users.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))
    expect_heading(page, "Users (1)")
    axe("Users list, narrow screen")
