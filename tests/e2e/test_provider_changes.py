"""A provider's page and the changes made from it: its details and records, changing its details
through check your answers, adding a contact, and an accreditation that makes a school a SCITT."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from registry.models import AcademicYear
from tests.e2e.provider_steps import card, section, year_label
from tests.e2e.steps import (
    SERVICE_NAME,
    expect_error_summary,
    expect_heading,
    expect_no_error_summary,
    expect_success_message,
    fill_date,
    open_providers,
    sign_in_as,
    summary_rows,
)
from tests.factories import (
    AccreditationFactory,
    AccreditedProviderFactory,
    AddressFactory,
    ContactFactory,
    PartnershipFactory,
    ProviderFactory,
    SupportEditorFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The service's wording (registry/messages.py), word for word.
CONTACT_EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


def test_change_a_provider_and_add_a_contact(page, axe):
    current = AcademicYear.current_start_year()
    editor = SupportEditorFactory(first_name="Priya", last_name="Shah")
    provider = AccreditedProviderFactory(
        operating_name="Ash Tree SCITT",
        legal_name="Ash Tree Trust",
        code="A1T",
        ukprn="10012345",
        urn="123456",
        academic_years=[current],
        accreditation=False,
    )
    AccreditationFactory(provider=provider, number="5123", starts_on=datetime.date(2024, 8, 1))
    AddressFactory(provider=provider, address_line_1="1 Tile Kiln Lane", town_or_city="London", postcode="N13 6BY")
    ContactFactory(
        provider=provider, first_name="Mary", last_name="Lawson", email="mary.lawson@example.com", telephone=""
    )
    PartnershipFactory(
        accredited_provider=provider,
        training_partner=ProviderFactory(operating_name="Birch School"),
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024, 2025],
    )

    sign_in_as(page, axe, editor)
    open_providers(page)
    page.get_by_role("link", name="Ash Tree SCITT", exact=True).click()
    expect(page).to_have_title(f"View provider - {SERVICE_NAME}")
    expect_heading(page, "Ash Tree SCITT")
    expect(page.locator(".app-tags")).to_have_text(re.compile(r"^\s*Accredited\s*$"))
    expect(page.get_by_role("navigation", name="Provider sections").get_by_role("link")).to_have_text(
        ["Provider details", "Accreditations", "Addresses", "Contacts", "Partnerships"]
    )
    assert summary_rows(section(page, "Provider details")) == {
        "Operating name": ("Ash Tree SCITT", "Change Operating name"),
        "Legal name": ("Ash Tree Trust", "Change Legal name"),
        "Provider type": ("School-centred initial teacher training (SCITT)", None),
        "Accreditation status": ("Accredited", None),
        "UK provider reference number (UKPRN)": ("10012345", "Change UK provider reference number (UKPRN)"),
        "Unique reference number (URN)": ("123456", "Change Unique reference number (URN)"),
        "Provider code": ("A1T", "Change Provider code"),
        "RoTP id": (provider.register_id, None),
        "Date onboarded": ("1 August 2024", "Change Date onboarded"),
        "Date first active": ("1 August 2024", "Change Date first active"),
        "Active academic years": (year_label(current), "Change Active academic years"),
    }
    expect(page.get_by_role("link", name="Archive provider")).to_be_visible()

    accreditations = section(page, "Accreditations (1)")
    assert summary_rows(card(accreditations, "Accreditation 5123")) == {
        "Accredited provider number": ("5123", None),
        "Accreditation start date": ("1 August 2024", None),
        "Accreditation end date": ("Not entered", None),
    }
    expect(accreditations.get_by_role("link")).to_have_text(
        ["Add accreditation", "Change Accreditation 5123", "Delete Accreditation 5123"]
    )
    addresses = section(page, "Addresses (1)")
    assert summary_rows(card(addresses, "London, N13 6BY")) == {"Address": ("1 Tile Kiln Lane\nLondon\nN13 6BY", None)}
    expect(addresses.get_by_role("link", name="Change London, N13 6BY")).to_be_visible()
    contacts = section(page, "Contacts (1)")
    assert summary_rows(card(contacts, "Mary Lawson")) == {
        "Email address": ("mary.lawson@example.com", None),
        "Phone number": ("Not entered", None),
    }
    partnerships = section(page, "Partnerships (1)")
    assert summary_rows(card(partnerships, "Birch School")) == {
        "Training partner": ("Birch School", None),
        "Partnership start date": ("1 August 2024", None),
        "Partnership end date": ("Not entered", None),
        "Academic year": ("2024 to 2025, 2025 to 2026", None),
    }
    expect(partnerships.get_by_role("link", name="Birch School", exact=True)).to_be_visible()
    axe("Provider details")

    # Change its operating name: the form, a mistake, check your answers, back to change it, save.
    page.get_by_role("link", name="Change Operating name").click()
    expect(page).to_have_title(f"Provider details - Change provider - {SERVICE_NAME}")
    expect(page.locator(".app-caption")).to_have_text("Change provider - Ash Tree SCITT")
    expect_heading(page, "Provider details")
    expect(page.get_by_label("Operating name")).to_have_value("Ash Tree SCITT")
    expect(page.get_by_label(f"{year_label(current)} - current")).to_be_checked()
    axe("Change provider – provider details")

    page.get_by_label("Operating name").fill("")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(f"Error: Provider details - Change provider - {SERVICE_NAME}")
    expect_error_summary(page, "Enter operating name")
    expect(page.get_by_label("Legal name (optional)")).to_have_value("Ash Tree Trust")
    axe("Change provider – provider details, with errors")

    page.get_by_label("Operating name").fill("Ash Tree Teaching SCITT")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/edit/check/$"))
    expect(page).to_have_title(f"Check your answers - Change provider - {SERVICE_NAME}")
    expect_heading(page, "Check your answers")
    assert summary_rows(page) == {
        "Operating name": ("Ash Tree Teaching SCITT", "Change Operating name"),
        "Legal name": ("Ash Tree Trust", "Change Legal name"),
        "UK provider reference number (UKPRN)": ("10012345", "Change UK provider reference number (UKPRN)"),
        "Unique reference number (URN)": ("123456", "Change Unique reference number (URN)"),
        "Provider code": ("A1T", "Change Provider code"),
        "Date onboarded": ("1 August 2024", "Change Date onboarded"),
        "Date first active": ("1 August 2024", "Change Date first active"),
        "Academic years": (year_label(current), "Change Academic years"),
    }
    axe("Change provider – check your answers")

    page.get_by_role("link", name="Change Operating name").click()
    expect_no_error_summary(page)
    expect(page.get_by_label("Operating name")).to_have_value("Ash Tree Teaching SCITT")
    page.get_by_label("Operating name").fill("Ash Tree Teacher Training")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["Operating name"] == ("Ash Tree Teacher Training", "Change Operating name")

    page.get_by_role("button", name="Save provider").click()
    expect(page).to_have_url(re.compile(rf"/admin/registry/provider/{provider.pk}/change/#details$"))
    expect_success_message(page, "Provider updated")
    expect_heading(page, "Ash Tree Teacher Training")
    assert summary_rows(section(page, "Provider details"))["Operating name"] == (
        "Ash Tree Teacher Training",
        "Change Operating name",
    )
    axe("Provider details, after a change")

    # Add a contact, through check your answers; the page opens again at its contacts.
    section(page, "Contacts (1)").get_by_role("link", name="Add contact").click()
    expect(page).to_have_title(f"Contact details - Add contact - {SERVICE_NAME}")
    expect(page.locator(".app-caption")).to_have_text("Add contact - Ash Tree Teacher Training")
    expect_heading(page, "Contact details")
    axe("Add contact – contact details")

    page.get_by_label("First name").fill("Tom")
    page.get_by_label("Last name").fill("Baker")
    page.get_by_label("Email address").fill("tom.baker")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, CONTACT_EMAIL_INVALID)
    expect(page.get_by_label("First name")).to_have_value("Tom")
    axe("Add contact – contact details, with errors")

    page.get_by_label("Email address").fill("tom.baker@example.com")
    page.get_by_label("Phone number (optional)").fill("07700 900 982")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(f"Check your answers - Add contact - {SERVICE_NAME}")
    expect_heading(page, "Check your answers")
    assert summary_rows(page) == {
        "First name": ("Tom", "Change First name"),
        "Last name": ("Baker", "Change Last name"),
        "Email address": ("tom.baker@example.com", "Change Email address"),
        "Phone number": ("07700 900 982", "Change Phone number"),
    }
    axe("Add contact – check your answers")

    page.get_by_role("button", name="Save contact").click()
    expect(page).to_have_url(re.compile(r"/change/#contacts$"))
    expect_success_message(page, "Contact added")
    contacts = section(page, "Contacts (2)")
    expect(contacts.get_by_role("heading", level=2)).to_be_in_viewport()
    expect(contacts.get_by_role("heading", level=3)).to_have_text(["Mary Lawson", "Tom Baker"])
    assert summary_rows(card(contacts, "Tom Baker")) == {
        "Email address": ("tom.baker@example.com", None),
        "Phone number": ("07700 900 982", None),
    }
    axe("Provider details, after a change")


def test_an_accreditation_makes_a_school_a_scitt_and_check_your_answers_says_so(page, axe):
    editor = SupportEditorFactory(first_name="Priya", last_name="Shah")
    school = ProviderFactory(operating_name="Cedar School", code="C3S")

    sign_in_as(page, axe, editor)
    open_providers(page)
    page.get_by_role("link", name="Cedar School", exact=True).click()
    section(page, "Accreditations (0)").get_by_role("link", name="Add accreditation").click()
    expect(page).to_have_title(f"Accreditation details - Add accreditation - {SERVICE_NAME}")
    page.get_by_label("Accredited provider number").fill("5123")
    fill_date(page, "Accreditation start date", "1/8/2024")
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "Check your answers")
    expect(page.locator(".app-warning-text")).to_have_text(
        re.compile(
            r"Adding this accreditation will make Cedar School an accredited provider: its type will change "
            r"from School to SCITT\."
        )
    )
    axe("Add accreditation – check your answers, with a warning")
    page.get_by_role("button", name="Save accreditation").click()

    expect_success_message(page, "Accreditation added")
    expect(page).to_have_url(re.compile(rf"/provider/{school.pk}/change/#accreditations$"))
    expect(page.locator(".app-tags")).to_have_text(re.compile(r"^\s*Accredited\s*$"))
    assert summary_rows(section(page, "Provider details"))["Provider type"] == (
        "School-centred initial teacher training (SCITT)",
        None,
    )
