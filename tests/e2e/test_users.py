"""Managing users in the admin: add, change and delete, and what each role may do there."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    SERVICE_NAME,
    expect_error_summary,
    expect_heading,
    expect_no_error_summary,
    expect_success_message,
    fill_date,
    open_users,
    sign_in_as,
    summary_rows,
)
from tests.factories import ApiUserFactory, SupportViewerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The design history's wording, word for word (the `administrator` fixture is Anne Wilson, from tests/conftest.py).
DFE_EMAIL_INVALID = "Enter a Department for Education email address in the correct format, like name@education.gov.uk"


def fill_personal_details(page, *, first_name, last_name, email, api_user=None):
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Email address").fill(email)
    if api_user is not None:
        page.get_by_role("group", name="Is the account an API user?").get_by_label(api_user, exact=True).check()


def test_add_user(page, axe, administrator, fake_notify, run_worker):
    UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")
    sign_in_as(page, axe, administrator)
    open_users(page)
    expect_heading(page, "Users (2)")
    axe("Users list")

    # The search box is found by its label, as a screen reader names it, and described by its hint.
    search = page.get_by_role("search").get_by_label("Search users", exact=True)
    expect(search).to_have_accessible_description("Search by name or email address")
    search.fill("lawson")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=lawson$"))
    expect_heading(page, "Users (1)")
    expect(page.get_by_role("link", name="Mary Lawson", exact=True)).to_be_visible()
    axe("Users list, searched")

    page.get_by_role("link", name="Add user").click()
    expect(page).to_have_title(f"Personal details - Add user - {SERVICE_NAME}")
    expect_heading(page, "Personal details")
    axe("Add user – personal details")

    # Nothing answered: every question says what it needs.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(f"Error: Personal details - Add user - {SERVICE_NAME}")
    # The error summary takes the focus, so a screen reader reads it first.
    expect(page.locator(".app-error-summary")).to_be_focused()
    expect_error_summary(
        page, "Enter first name", "Enter last name", "Enter email address", "Select if the account is an API user"
    )
    axe("Add user – personal details, with errors")

    # An address outside the Department for Education; the other answers are kept.
    fill_personal_details(page, first_name="Jane", last_name="Smith", email="jane.smith@example.com", api_user="No")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, DFE_EMAIL_INVALID)
    expect(page.get_by_label("First name")).to_have_value("Jane")
    expect(page.get_by_role("group", name="Is the account an API user?").get_by_label("No", exact=True)).to_be_checked()

    # Someone else's address.
    page.get_by_label("Email address").fill("Mary.Lawson@education.gov.uk")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Email address already in use")
    axe("Add user – personal details, with errors")

    page.get_by_label("Email address").fill("jane.smith@education.gov.uk")
    page.get_by_role("button", name="Continue").click()

    # A support user's role, each with what it lets them do.
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/add/role/$"))
    expect(page).to_have_title(f"Role - Add user - {SERVICE_NAME}")
    expect_heading(page, "Role")
    role = page.get_by_role("group", name="Role")
    expect(role.get_by_label("Support viewer", exact=True)).to_have_accessible_description(
        "See providers and users, without changing them"
    )
    expect(role.get_by_label("No role")).to_have_count(0)
    axe("Add user – role")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Select a role")
    role.get_by_label("Support viewer", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/admin/accounts/user/add/check/$"))
    expect_heading(page, "Check your answers")
    assert summary_rows(page) == {
        "First name": ("Jane", "Change First name"),
        "Last name": ("Smith", "Change Last name"),
        "Email address": ("jane.smith@education.gov.uk", "Change Email address"),
        "Is the account an API user?": ("No", "Change Is the account an API user?"),
        "Role": ("Support viewer", "Change Role"),
    }
    axe("Add user – check your answers")

    # Changing an answer goes back to its question, with every answer as it was.
    page.get_by_role("link", name="Change First name").click()
    expect(page.get_by_label("First name")).to_be_in_viewport()
    expect_no_error_summary(page)
    expect(page.get_by_label("First name")).to_have_value("Jane")
    expect(page.get_by_label("Email address")).to_have_value("jane.smith@education.gov.uk")
    page.get_by_label("First name").fill("Janet")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["First name"] == ("Janet", "Change First name")

    # Saved: the new user's own page, under a success banner.
    page.get_by_role("button", name="Save user").click()
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/[0-9a-f-]+/change/$"))
    expect_success_message(page, "User added")
    expect_heading(page, "Janet Smith")
    assert summary_rows(page)["Role"] == ("Support viewer", "Change Role")
    axe("User details, after a change")
    open_users(page)
    expect_heading(page, "Users (3)")
    expect(page.get_by_role("link", name="Janet Smith", exact=True)).to_be_visible()

    # The new user's sign-in details go out through GOV.UK Notify.
    run_worker()
    assert [(email.email_address, email.personalisation["first_name"]) for email in fake_notify.emails] == [
        ("jane.smith@education.gov.uk", "Janet")
    ]


def test_change_user(page, axe, administrator):
    UserFactory(first_name="Tom", last_name="Baker", email="tom.baker@education.gov.uk")
    sign_in_as(page, axe, administrator)
    open_users(page)

    page.get_by_role("link", name="Tom Baker", exact=True).click()
    expect(page).to_have_title(f"View user - {SERVICE_NAME}")
    expect_heading(page, "Tom Baker")
    expect(page.get_by_text("User has never signed in")).to_be_visible()
    axe("User details")

    page.get_by_role("link", name="Change Last name").click()
    expect(page).to_have_title(f"Change user - {SERVICE_NAME}")
    expect_heading(page, "Change user")
    expect(page.get_by_label("Last name")).to_have_value("Baker")
    axe("Change user")

    page.get_by_label("Last name").fill("")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Enter last name")
    axe("Change user, with errors")

    page.get_by_label("Last name").fill("Bakewell")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["Last name"] == ("Bakewell", "Change Last name")
    axe("Change user – check your answers")

    page.get_by_role("button", name="Save user").click()
    expect_success_message(page, "User updated")
    expect_heading(page, "Tom Bakewell")
    assert summary_rows(page)["Last name"] == ("Bakewell", "Change Last name")
    axe("User details, after a change")

    # The change is in the user's history.
    page.get_by_role("link", name="View history").click()
    expect(page).to_have_url(re.compile(r"/history/$"))
    expect(page.get_by_role("table").first).to_contain_text("Bakewell")
    axe("User history")


def test_delete_user(page, axe, administrator, fake_notify, run_worker):
    UserFactory(first_name="Tom", last_name="Baker", email="tom.baker@education.gov.uk")
    sign_in_as(page, axe, administrator)
    open_users(page)
    page.get_by_role("link", name="Tom Baker", exact=True).click()

    page.get_by_role("link", name="Delete user").click()
    expect(page).to_have_title(f"Confirm you want to delete user - {SERVICE_NAME}")
    expect_heading(page, "Confirm you want to delete Tom Baker")
    expect(page.locator(".app-warning-text")).to_have_text(
        re.compile(r"^\s*!\s*Warning\s*Deleting a user is permanent – you cannot undo it\.\s*$")
    )
    axe("Delete user – confirm")

    page.get_by_role("button", name="Delete user").click()
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))
    expect_success_message(page, "User deleted")
    expect_heading(page, "Users (1)")
    expect(page.get_by_role("link", name="Tom Baker")).to_have_count(0)
    axe("Users list, after a change")

    # They are told by email that their account has gone.
    run_worker()
    assert [(email.email_address, email.subject) for email in fake_notify.emails] == [
        ("tom.baker@education.gov.uk", "Your account for the Register of training providers has been removed")
    ]


def test_signed_in_user_has_locked_fields(page, axe, administrator):
    """Once someone has signed in, DfE Sign-in owns their name and email address."""
    SupportViewerFactory(first_name="Sam", last_name="Okafor", email="sam.okafor@education.gov.uk", signed_in=True)
    sign_in_as(page, axe, administrator)
    open_users(page)
    page.get_by_role("link", name="Sam Okafor", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Last signed in at "))).to_be_visible()
    assert summary_rows(page) == {
        "First name": ("Sam", None),
        "Last name": ("Okafor", None),
        "Email address": ("sam.okafor@education.gov.uk", None),
        "Is the account an API user?": ("No", "Change Is the account an API user?"),
        "Is the account active?": ("Yes", "Change Is the account active?"),
        "Role": ("Support viewer", "Change Role"),
    }
    axe("User details, signed-in user")

    page.get_by_role("link", name="Change Is the account active?").click()
    expect(page.get_by_text("This user has signed in, so their name and email address")).to_be_visible()
    assert summary_rows(page) == {
        "First name": ("Sam", None),
        "Last name": ("Okafor", None),
        "Email address": ("sam.okafor@education.gov.uk", None),
    }
    expect(page.get_by_role("textbox")).to_have_count(0)
    questions = ["Is the account an API user?", "Is the account active?", "Role"]
    expect(page.get_by_role("group")).to_have_text([re.compile(rf"^\s*{re.escape(each)}") for each in questions])
    axe("Change user, signed-in user")

    page.get_by_role("group", name="Is the account active?").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert [label for label, (_, change) in summary_rows(page).items() if change] == [
        "Is the account an API user?",
        "Is the account active?",
        "Role",
    ]
    axe("Change user – check your answers")

    page.get_by_role("button", name="Save user").click()
    expect_success_message(page, "User updated")
    expect(page.locator(".app-tags")).to_have_text(re.compile(r"Inactive"))
    assert summary_rows(page)["Is the account active?"] == ("No", "Change Is the account active?")


def test_support_viewer_cannot_change_users(page, axe):
    viewer = SupportViewerFactory(first_name="Colin", last_name="Chapman", email="colin.chapman@education.gov.uk")
    UserFactory(first_name="Tom", last_name="Baker", email="tom.baker@education.gov.uk")
    sign_in_as(page, axe, viewer)
    axe("Admin home, support viewer")
    open_users(page)
    expect_heading(page, "Users (2)")
    expect(page.get_by_role("link", name="Add user")).to_have_count(0)
    axe("Users list, support viewer")

    page.get_by_role("link", name="Tom Baker", exact=True).click()
    expect_heading(page, "Tom Baker")
    assert all(change is None for _, change in summary_rows(page).values())
    expect(page.get_by_role("link", name=re.compile(r"^Change"))).to_have_count(0)
    expect(page.get_by_role("link", name="Delete user")).to_have_count(0)
    axe("User details, support viewer")

    # Nor can they go to the pages directly.
    page.goto("/admin/accounts/user/add/")
    expect_heading(page, "You do not have permission to perform this action")
    axe("Permission denied (403)")


def test_api_clients(page, axe, administrator):
    """An API user's client, added from their page with an expiry of one's choosing, then revoked."""
    ApiUserFactory(first_name="Ahmed", last_name="Ali", email="ahmed.ali@education.gov.uk")
    sign_in_as(page, axe, administrator)
    open_users(page)
    page.get_by_role("link", name="Ahmed Ali", exact=True).click()
    expect(page.get_by_text("This user has no API clients")).to_be_visible()
    axe("User details, API user")

    page.get_by_role("link", name="Add API client").click()
    expect(page).to_have_title(f"API client details - Add API client - {SERVICE_NAME}")
    expect(page.get_by_label("API user")).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))
    page.get_by_label("Client name").fill("Timetabling system")
    axe("Add API client – details")
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "When should the token expire?")
    page.get_by_label("Another date").check()
    axe("Add API client – expiry")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Expiry date")
    fill_date(page, "Expiry date", "1/1/2020")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Expiry date must be in the future")
    axe("Add API client – expiry date, with errors")
    expires_on = datetime.date.today() + datetime.timedelta(days=60)
    fill_date(page, "Expiry date", expires_on)
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "Check your answers")
    rows = summary_rows(page)
    assert rows["API user"] == ("Ahmed Ali (ahmed.ali@education.gov.uk)", "Change API user")
    assert rows["Expiry date"][0] == f"{expires_on.day} {expires_on:%B %Y}"
    axe("Add API client – check your answers")
    page.get_by_role("button", name="Save API client").click()

    # The token, once.
    expect_success_message(page, "API client added")
    expect_heading(page, "API client token created")
    assert summary_rows(page)["Token"][0].startswith("rotp_")
    axe("API client token")
    page.get_by_role("link", name="I have copied the token").click()

    expect_heading(page, "Timetabling system")
    expect(page.locator(".app-tags")).to_have_text("Active")
    axe("API client")
    page.get_by_role("link", name="Revoke API client").click()
    expect(page).to_have_title(f"Confirm you want to revoke API client - {SERVICE_NAME}")
    axe("Revoke API client – confirm")
    page.get_by_role("button", name="Revoke API client").click()
    expect_success_message(page, "API client revoked")
    expect(page.locator(".app-tags")).to_have_text("Revoked")

    # Kept, tagged, and found from its API user's page.
    page.get_by_role("link", name="Ahmed Ali").click()
    page.get_by_role("link", name="View all API clients (1)").click()
    expect_heading(page, "API clients (1)")
    expect(page.get_by_role("link", name="Remove this filter Ahmed Ali")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Timetabling system"))).to_contain_text("Revoked")
    axe("API clients list, filtered")
