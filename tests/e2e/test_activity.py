"""The Activity page, as an auditor reads it after the support team has made some changes."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accounts.services import user_create, user_delete, user_update
from registry.services.addresses import address_create, address_delete
from registry.services.partnerships import partnership_create
from tests.e2e.steps import (
    SERVICE_NAME,
    expect_error_summary,
    expect_heading,
    fill_date,
    sign_in_as,
)
from tests.factories import (
    AccreditedProviderFactory,
    AuditorFactory,
    ProviderFactory,
    SupportAdministratorFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_auditor_reads_activity(page, axe):
    auditor = AuditorFactory(first_name="Omar", last_name="Hassan", email="omar.hassan@education.gov.uk")
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")
    tom = user_create(
        actor=administrator, first_name="Tom", last_name="Baker", email="tom.baker@education.gov.uk", is_api_user=False
    )
    tom = user_update(
        actor=administrator, user_id=tom.pk, changes={"last_name": "Bakewell"}, seen_updated_at=tom.updated_at
    )
    user_delete(actor=administrator, user_id=tom.pk)

    sign_in_as(page, axe, auditor)
    # An auditor's home is the Activity page.
    expect(page).to_have_url(re.compile(r"/admin/activity/$"))
    expect(page).to_have_title(f"Activity - {SERVICE_NAME}")
    expect_heading(page, "Activity")
    # The three changes above, and the two accounts the test made (by the system).
    entries = page.locator(".app-activity__entry")
    expect(entries).to_have_count(5)
    # Everything fits on one page: no Previous or Next.
    expect(page.get_by_role("navigation", name="Pagination")).to_have_count(0)
    axe("Activity")

    # An auditor may not open the users' own pages: each entry leads to the record's history instead.
    entries.first.get_by_role("link", name="Tom Bakewell").click()
    expect(page).to_have_title(f"User history - {SERVICE_NAME}")
    expect_heading(page, "Tom Bakewell")
    history = page.locator(".app-history__entry")
    expect(history.get_by_role("heading", level=2)).to_have_text(["User deleted", "User updated", "User added"])
    expect(history.nth(1).get_by_role("table", name="What changed").get_by_role("row").nth(1)).to_have_text(
        re.compile(r"^\s*Last name\s*Baker\s*Bakewell\s*$")
    )
    axe("User history, auditor")
    page.get_by_role("link", name="Back", exact=True).click()
    expect_heading(page, "Activity")

    # A date that is not one.
    fill_date(page, "Date from", "31/2/2025")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_title(f"Error: Activity - {SERVICE_NAME}")
    expect_error_summary(page, "Date from must be a real date")
    # The whole date is wrong: all three boxes are marked, and still hold what was typed.
    date_from = page.get_by_role("group", name="Date from")
    expect(date_from.locator(".app-input--error")).to_have_count(3)
    expect(date_from.get_by_label("Month", exact=True)).to_have_value("2")
    axe("Activity, with errors")

    fill_date(page, "Date from", "")
    page.get_by_label("Changed by").select_option(label="Anne Wilson")
    page.get_by_role("button", name="Apply filters").click()
    expect(entries).to_have_count(3)
    expect(entries.get_by_role("heading", level=3)).to_have_text(["User deleted", "User updated", "User added"])
    expect(entries.get_by_text("By Anne Wilson at")).to_have_count(3)
    changes = entries.nth(1).get_by_role("table", name="What changed")
    expect(changes.get_by_role("row").nth(1)).to_have_text(re.compile(r"^\s*Last name\s*Baker\s*Bakewell\s*$"))
    axe("Activity, filtered")


def test_auditor_pages_to_older_changes_and_back(page, axe):
    auditor = AuditorFactory(first_name="Omar", last_name="Hassan", email="omar.hassan@education.gov.uk")
    # The auditor's account and 30 more, each added by the system: 31 changes, 25 a page.
    UserFactory.create_batch(30)

    sign_in_as(page, axe, auditor)
    entries = page.locator(".app-activity__entry")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(entries).to_have_count(25)
    expect(pagination.get_by_role("link", name="Previous")).to_have_count(0)
    newest = entries.first.inner_text()

    pagination.get_by_role("link", name="Next").click()
    expect(entries).to_have_count(6)
    expect(pagination.get_by_role("link", name="Next")).to_have_count(0)
    axe("Activity, older changes")

    pagination.get_by_role("link", name="Previous").click()
    expect(entries).to_have_count(25)
    expect(entries.first).to_have_text(newest)


def test_auditor_follows_a_providers_records_to_the_providers_history(page, axe):
    auditor = AuditorFactory(first_name="Omar", last_name="Hassan", email="omar.hassan@education.gov.uk")
    administrator = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")
    school = ProviderFactory(operating_name="Ash Tree Academy", academic_years=[])
    scitt = AccreditedProviderFactory(operating_name="Oak SCITT", accreditation=False, academic_years=[])
    address = address_create(
        actor=administrator,
        provider=school,
        address_line_1="1 Tile Kiln Lane",
        town_or_city="Leeds",
        postcode="LS1 4AP",
    )
    address_delete(actor=administrator, address=address)
    partnership_create(
        actor=administrator,
        accredited_provider=scitt,
        training_partner=school,
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024],
    )

    sign_in_as(page, axe, auditor)
    page.get_by_label("Changed by").select_option(label="Anne Wilson")
    page.get_by_role("button", name="Apply filters").click()
    entries = page.locator(".app-activity__entry")
    expect(entries.get_by_role("heading", level=3)).to_have_text(
        ["Partnership added", "Address deleted", "Address added"]
    )
    # A partnership is named after both its providers, each a link; an address names its provider.
    expect(entries.first.locator(".app-activity__record")).to_have_text(
        "Partnership between Oak SCITT and Ash Tree Academy"
    )
    expect(entries.first.get_by_role("link")).to_have_text(["Oak SCITT", "Ash Tree Academy"])
    expect(entries.nth(1).locator(".app-activity__provider")).to_have_text(
        re.compile(r"^\s*Provider:\s*Ash Tree Academy\s*$")
    )
    # A deletion says so, and lists nothing else.
    expect(entries.nth(1).get_by_role("table")).to_have_count(0)
    axe("Activity, the register's records")

    # An auditor may not open providers' pages: a provider leads to its history.
    entries.nth(1).get_by_role("link", name="Ash Tree Academy").click()
    expect(page).to_have_title(f"Provider history - {SERVICE_NAME}")
    expect_heading(page, "Ash Tree Academy")
    expect(page.locator(".app-history__entry").get_by_role("heading", level=2)).to_have_text(
        ["Partnership added", "Address deleted", "Address added", "Provider added"]
    )
