"""Archiving a provider (read-only, and out of the list unless archived providers are asked for) and
restoring it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.provider_steps import filter_by, listed_names, listed_row
from tests.e2e.steps import SERVICE_NAME, expect_heading, expect_success_message, open_providers, sign_in_as
from tests.factories import ProviderFactory, SupportEditorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The service's wording (registry/services), word for word.
ARCHIVED_NOTICE = "This provider is archived, so it cannot be changed. Restore the provider to change it."


def test_archive_and_restore_a_provider(page, axe):
    editor = SupportEditorFactory(first_name="Priya", last_name="Shah")
    for name in ("Ash Tree School", "Birch School", "Cedar School"):
        ProviderFactory(operating_name=name)

    sign_in_as(page, axe, editor)
    open_providers(page)
    expect_heading(page, "Providers (3)")
    page.get_by_role("link", name="Birch School", exact=True).click()

    page.get_by_role("link", name="Archive provider").click()
    expect(page).to_have_title(f"Confirm you want to archive provider - {SERVICE_NAME}")
    expect(page.locator(".app-caption")).to_have_text("Archive provider")
    expect_heading(page, "Confirm you want to archive Birch School")
    expect(page.get_by_role("main").locator(".app-body")).to_have_text(
        [
            "After archiving the provider, you will not be able to make changes to it.",
            "You can restore the provider at any time.",
        ]
    )
    axe("Archive provider – confirm")

    page.get_by_role("button", name="Archive provider").click()
    expect(page).to_have_url(re.compile(r"/change/$"))
    expect_success_message(page, "Provider archived")
    expect_heading(page, "Birch School")
    expect(page.locator(".app-tags")).to_have_text(re.compile(r"^\s*Not accredited\s+Archived\s*$"))
    expect(page.locator(".app-inset-text")).to_have_text(ARCHIVED_NOTICE)
    # Read-only until it is restored.
    expect(page.get_by_role("link", name=re.compile(r"^(Change|Add|Archive) "))).to_have_count(0)
    expect(page.get_by_role("link", name="Restore provider")).to_be_visible()
    expect(page.get_by_role("link", name="Delete provider")).to_be_visible()
    axe("Provider details, archived")

    # It leaves the list, unless archived providers are asked for.
    open_providers(page)
    expect_heading(page, "Providers (2)")
    expect(listed_names(page)).to_have_text(["Ash Tree School", "Cedar School"])
    axe("Providers list")

    filter_by(page, check=("Archived providers", "Include archived providers"))
    expect_heading(page, "Providers (3)")
    expect(listed_names(page)).to_have_text(["Ash Tree School", "Birch School", "Cedar School"])
    birch = listed_row(page, "Birch School")
    expect(birch.get_by_role("cell").nth(4)).to_have_text(re.compile(r"Not accredited\s*Archived"))
    expect(birch.get_by_role("link", name=re.compile(r"^Change"))).to_have_count(0)
    axe("Providers list, filtered")

    birch.get_by_role("link", name="Birch School", exact=True).click()
    page.get_by_role("link", name="Restore provider").click()
    expect(page).to_have_title(f"Confirm you want to restore provider - {SERVICE_NAME}")
    expect_heading(page, "Confirm you want to restore Birch School")
    expect(page.get_by_role("main").locator(".app-body")).to_have_text(
        ["After restoring the provider, you will be able to make changes to it."]
    )
    axe("Restore provider – confirm")

    page.get_by_role("button", name="Restore provider").click()
    expect_success_message(page, "Provider restored")
    expect(page.locator(".app-tags")).to_have_text(re.compile(r"^\s*Not accredited\s*$"))
    expect(page.locator(".app-inset-text")).to_have_count(0)
    expect(page.get_by_role("link", name="Archive provider")).to_be_visible()
    expect(page.get_by_role("link", name="Change Operating name")).to_be_visible()
    axe("Provider details, after a change")

    open_providers(page)
    expect_heading(page, "Providers (3)")
