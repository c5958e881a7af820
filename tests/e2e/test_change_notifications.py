"""Email notifications: a support user sets up a daily email, an editor changes providers, the daily
job runs, and GOV.UK Notify (the fake) gets one email listing exactly those changes, once."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ChangeNotifications
from registry.services.addresses import address_create
from registry.services.providers import provider_update
from tests.e2e.provider_steps import section
from tests.e2e.steps import (
    SERVICE_NAME,
    expect_error_summary,
    expect_heading,
    expect_no_error_summary,
    expect_success_message,
    open_providers,
    sign_in_as,
    summary_rows,
)
from tests.factories import ProviderFactory, SupportEditorFactory, SupportViewerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOW_OFTEN = "How often do you want to get emails?"
WHAT_CHANGES = "What changes do you want to be notified about?"


def test_a_daily_email_of_the_changes_since_setting_up(page, axe, fake_notify, run_worker, live_server, settings):
    settings.SERVICE_URL = live_server.url
    mary = SupportViewerFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")
    anne = SupportEditorFactory(first_name="Anne", last_name="Wilson")
    springfield = ProviderFactory(operating_name="Springfield SCITT")
    ashford = ProviderFactory(operating_name="Ashford Primary School")
    cobham = ProviderFactory(operating_name="Cobham Primary School")
    # Before Mary sets up her emails: not in them.
    provider_update(actor=anne, provider=cobham, changes={"legal_name": "Cobham Primary Trust"})

    sign_in_as(page, axe, mary)
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Your account").click()
    expect_heading(page, "Your account")
    expect(page.get_by_role("heading", level=2, name="Email notifications")).to_be_visible()
    axe("Your account, without email notifications")

    page.get_by_role("link", name="Set up email notifications").click()
    expect(page).to_have_title(f"{HOW_OFTEN} - Set up email notifications - {SERVICE_NAME}")
    expect_heading(page, HOW_OFTEN)
    how_often = page.get_by_role("group", name=HOW_OFTEN)
    expect(how_often.get_by_role("radio")).to_have_count(4)
    axe("Email notifications – how often")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(f"Error: {HOW_OFTEN} - Set up email notifications - {SERVICE_NAME}")
    expect_error_summary(page, "Select how often you want to get emails")
    axe("Email notifications – how often, with errors")
    how_often.get_by_label("Once a day", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(f"{WHAT_CHANGES} - Set up email notifications - {SERVICE_NAME}")
    expect_heading(page, WHAT_CHANGES)
    what_changes = page.get_by_role("group", name=WHAT_CHANGES)
    expect(what_changes).to_have_accessible_description("Select all that apply.")
    axe("Email notifications – what changes")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Select what changes you want to be notified about")
    axe("Email notifications – what changes, with errors")
    what_changes.get_by_label("Provider details", exact=True).check()
    what_changes.get_by_label("Provider contacts", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(f"Check your answers - Set up email notifications - {SERVICE_NAME}")
    expect_heading(page, "Check your answers")
    assert summary_rows(page) == {
        HOW_OFTEN: ("Once a day", f"Change {HOW_OFTEN}"),
        WHAT_CHANGES: ("Provider details\nProvider contacts", f"Change {WHAT_CHANGES}"),
    }
    axe("Email notifications – check your answers")

    # Change goes back to the question with the answer kept, and Continue comes back here.
    page.get_by_role("link", name=f"Change {HOW_OFTEN}").click()
    expect_no_error_summary(page)
    expect(page.get_by_role("group", name=HOW_OFTEN).get_by_label("Once a day", exact=True)).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/account/$"))
    expect_success_message(page, "Email notifications set up")
    assert {
        label: value for label, value in summary_rows(page).items() if label.startswith(("How often", "What changes"))
    } == {
        "How often you get emails": ("Once a day", "Change How often you get emails"),
        "What changes you are emailed about": (
            "Provider details\nProvider contacts",
            "Change What changes you are emailed about",
        ),
    }
    axe("Your account, with email notifications")

    # Anne changes providers: two changes Mary asked about, one she did not.
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, axe, anne)
    open_providers(page)
    page.get_by_role("link", name="Springfield SCITT", exact=True).click()
    page.get_by_role("link", name="Change Legal name").click()
    page.get_by_label("Legal name").fill("Springfield Teaching Trust")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Save provider").click()
    expect_success_message(page, "Provider updated")
    section(page, "Contacts (0)").get_by_role("link", name="Add contact").click()
    page.get_by_label("First name").fill("Tom")
    page.get_by_label("Last name").fill("Baker")
    page.get_by_label("Email address").fill("tom.baker@example.com")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Save contact").click()
    expect_success_message(page, "Contact added")
    address_create(
        actor=anne, provider=ashford, address_line_1="1 Tile Kiln Lane", town_or_city="London", postcode="N13 6BY"
    )

    # A day passes, and the daily job runs; the email worker sends what it queued.
    ChangeNotifications.objects.update(covered_at=timezone.now() - datetime.timedelta(days=1))
    call_command("send_change_digests")
    run_worker()

    [email] = fake_notify.emails
    assert email.email_address == "mary.lawson@education.gov.uk"
    assert email.subject == "Your daily email: 1 provider changed"
    provider_url = f"{live_server.url}/admin/registry/provider/{springfield.pk}/change/"
    assert email.personalisation["changes"] == (
        f"Springfield SCITT\n{provider_url}\n* Provider updated by Anne Wilson\n* Contact added by Anne Wilson"
    )

    # Running the job again sends nothing more.
    call_command("send_change_digests")
    run_worker()
    assert len(fake_notify.emails) == 1

    # The email's link to Mary's settings opens them, to change or stop the emails.
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, axe, mary)
    page.goto(email.personalisation["settings_url"])
    expect(page).to_have_title(f"{HOW_OFTEN} - Change email notifications - {SERVICE_NAME}")
    expect(page.get_by_role("group", name=HOW_OFTEN).get_by_label("Once a day", exact=True)).to_be_checked()
