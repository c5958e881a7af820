"""Managing users in the admin: add, change and delete, and what each role may do there."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    SERVICE_NAME,
    expect_error_summary,
    expect_heading,
    expect_no_error_summary,
    expect_success_message,
    open_users,
    sign_in_as,
    summary_rows,
)
from tests.factories import SupportViewerFactory, UserFactory

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

    # The search box is found by its label, as a screen reader names it.
    search = page.get_by_role("search").get_by_label("Search users", exact=True)
    expect(search).to_have_attribute("placeholder", "Search by name or email address")
    search.fill("lawson")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=lawson$"))
    expect_heading(page, "Users (1)")
    expect(page.get_by_role("link", name="Mary Lawson", exact=True)).to_be_visible()
    axe("Users list, searched")

    page.get_by_role("link", name="Add user").click()
    expect(page).to_have_title(f"Add user - personal details - {SERVICE_NAME}")
    expect_heading(page, "Personal details")
    axe("Add user – personal details")

    # Nothing answered: every question says what it needs.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(f"Error: Add user - personal details - {SERVICE_NAME}")
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
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/add/check/$"))
    expect_heading(page, "Check your answers")
    assert summary_rows(page) == {
        "First name": ("Jane", "Change first name"),
        "Last name": ("Smith", "Change last name"),
        "Email address": ("jane.smith@education.gov.uk", "Change email address"),
        "Is the account an API user?": ("No", "Change is the account an api user?"),
    }
    axe("Add user – check your answers")

    # Changing an answer goes back to the form, with every answer as it was.
    page.get_by_role("link", name="Change first name").click()
    expect_no_error_summary(page)
    expect(page.get_by_label("First name")).to_have_value("Jane")
    expect(page.get_by_label("Email address")).to_have_value("jane.smith@education.gov.uk")
    page.get_by_label("First name").fill("Janet")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["First name"] == ("Janet", "Change first name")

    page.get_by_role("button", name="Save user").click()
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))
    expect_success_message(page, "User added")
    expect_heading(page, "Users (3)")
    expect(page.get_by_role("link", name="Janet Smith", exact=True)).to_be_visible()
    axe("Users list, after a change")

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

    page.get_by_role("link", name="Change last name").click()
    expect(page).to_have_title(f"Change user - personal details - {SERVICE_NAME}")
    expect_heading(page, "Personal details")
    expect(page.get_by_label("Last name")).to_have_value("Baker")
    axe("Change user – personal details")

    page.get_by_label("Last name").fill("")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Enter last name")
    axe("Change user – personal details, with errors")

    page.get_by_label("Last name").fill("Bakewell")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["Last name"] == ("Bakewell", "Change last name")
    axe("Change user – check your answers")

    page.get_by_role("button", name="Save user").click()
    expect_success_message(page, "User updated")
    expect_heading(page, "Tom Bakewell")
    assert summary_rows(page)["Last name"] == ("Bakewell", "Change last name")
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
        "Is the account an API user?": ("No", "Change is the account an api user?"),
        "Is the account active?": ("Yes", "Change is the account active?"),
        "Role": ("Support viewer", "Change role"),
    }
    axe("User details, signed-in user")

    page.get_by_role("link", name="Change is the account active?").click()
    expect(page.get_by_text("This user has signed in, so their name and email address")).to_be_visible()
    assert summary_rows(page) == {
        "First name": ("Sam", None),
        "Last name": ("Okafor", None),
        "Email address": ("sam.okafor@education.gov.uk", None),
    }
    expect(page.get_by_role("textbox")).to_have_count(0)
    questions = ["Is the account an API user?", "Is the account active?", "Role"]
    expect(page.get_by_role("group")).to_have_text([re.compile(rf"^\s*{re.escape(each)}") for each in questions])
    axe("Change user – personal details, signed-in user")

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
    assert summary_rows(page)["Is the account active?"] == ("No", "Change is the account active?")


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
