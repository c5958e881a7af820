"""Accounts that may not use the web pages are refused at sign-in, and get no way into the admin."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import SERVICE_NAME, expect_heading
from tests.factories import ApiUserFactory, InactiveUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize(
    "factory", [pytest.param(ApiUserFactory, id="api-user"), pytest.param(InactiveUserFactory, id="inactive-user")]
)
def test_refused_at_persona_sign_in(page, axe, factory):
    factory(first_name="Priya", last_name="Shah", email="priya.shah@education.gov.uk")

    page.goto("/personas/")
    axe("Personas")
    page.get_by_role("button", name="Sign in as Priya Shah", exact=True).click()
    expect(page).to_have_url(re.compile(r"/unauthorised/$"))
    expect(page).to_have_title(f"Your account is not authorised - {SERVICE_NAME}")
    expect_heading(page, "Your account is not authorised")
    axe("Your account is not authorised")

    # No session was started: the admin sends them back to sign in.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/personas/\?next="))
    expect_heading(page, "Sign in as a persona")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
