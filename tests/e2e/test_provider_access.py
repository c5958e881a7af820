"""A support administrator shares one provider with a person, then takes the access away, on the
service's own pages (they replaced guardian's "Object permissions" pages): each page checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    SERVICE_NAME,
    expect_error_summary,
    expect_heading,
    expect_success_message,
    open_providers,
    sign_in_as,
    summary_rows,
)
from tests.factories import AccreditedProviderFactory, ApiUserFactory, SupportAdministratorFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_give_and_remove_access_to_a_provider(page, axe):
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")
    AccreditedProviderFactory(operating_name="Ash Tree SCITT")
    UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")
    ApiUserFactory(first_name="Mary", last_name="Api", email="mary.api@example.com")

    sign_in_as(page, axe, administrator)
    open_providers(page)
    page.get_by_role("link", name="Ash Tree SCITT", exact=True).click()
    page.get_by_role("link", name="Manage access").click()
    expect(page).to_have_title(f"Provider access - {SERVICE_NAME}")
    expect_heading(page, "People with access to Ash Tree SCITT")
    expect(page.get_by_text("Nobody has been given access to Ash Tree SCITT alone.")).to_be_visible()
    axe("Provider access, nobody")

    page.get_by_role("link", name="Give someone access").click()
    expect_heading(page, "Who do you want to give access to?")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Select the person you want to give access to")
    axe("Give access – person, error")

    page.get_by_label("Search by name or email address").fill("mary")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 person found for ‘mary’")
    # The API user is not offered: only active support users can be given access.
    expect(page.get_by_role("radio")).to_have_count(1)
    axe("Give access – person, found")
    page.get_by_role("radio", name="Mary Lawson (mary.lawson@education.gov.uk)").check()
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "What can they do?")
    axe("Give access – what they can do")
    page.get_by_role("radio", name="Change this provider and its records").check()
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "Check your answers")
    assert summary_rows(page) == {
        "Person": ("Mary Lawson (mary.lawson@education.gov.uk)", "Change Person"),
        "What can they do?": ("Change this provider and its records", "Change What can they do?"),
    }
    axe("Give access – check your answers")
    page.get_by_role("button", name="Give access").click()

    expect(page).to_have_url(re.compile(r"/access/$"))
    expect_success_message(page, "Access given to Mary Lawson")
    expect(page.get_by_role("heading", name="People given access (1)")).to_be_visible()
    axe("Provider access, one person")

    page.get_by_role("link", name="Remove access Mary Lawson").click()
    expect_heading(page, "Confirm you want to remove access for Mary Lawson")
    axe("Remove access – confirm")
    page.get_by_role("button", name="Remove access").click()

    expect_success_message(page, "Access removed from Mary Lawson")
    expect(page.get_by_text("Nobody has been given access to Ash Tree SCITT alone.")).to_be_visible()
