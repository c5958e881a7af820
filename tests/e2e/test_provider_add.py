"""Adding a provider from nothing, as DfE's service asks it: when it onboarded, when it first became
active, accredited or not, its type, details, accreditation and address (typed in without an
Ordnance Survey key; found by postcode with one), then check your answers, where a Change link goes
back to a question and returns, and the provider's new page."""

import re

import pytest
from playwright.sync_api import expect

from registry.forms.base import academic_year_label
from registry.models import AcademicYear, Provider
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
from tests.factories import SupportEditorFactory
from tests.support.fake_places import Mode

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _years(first: int) -> str:
    return ", ".join(year_label(year) for year in range(first, AcademicYear.current_start_year() + 1))


def _continue(page) -> None:
    page.get_by_role("button", name="Continue").click()


def test_add_an_accredited_provider_from_nothing(page, axe):
    current = AcademicYear.current_start_year()
    editor = SupportEditorFactory(first_name="Priya", last_name="Shah")

    sign_in_as(page, axe, editor)
    open_providers(page)
    page.get_by_role("link", name="Add provider", exact=True).click()

    # When it onboarded: the date boxes show only once "Another day" is chosen.
    expect(page).to_have_title(f"When did the provider onboard? - Add provider - {SERVICE_NAME}")
    expect(page.locator(".app-caption")).to_have_text("Add provider")
    expect_heading(page, "When did the provider onboard?")
    expect(page.get_by_role("group", name="Date onboarded")).to_be_hidden()
    axe("Add provider – when it onboarded")

    _continue(page)
    expect(page).to_have_title(f"Error: When did the provider onboard? - Add provider - {SERVICE_NAME}")
    expect_error_summary(page, "Select when the provider onboarded")
    axe("Add provider – when it onboarded, with errors")

    page.get_by_label("Another day").check()
    expect(page.get_by_role("group", name="Date onboarded")).to_be_visible()
    fill_date(page, "Date onboarded", "3/9/2025")
    axe("Add provider – when it onboarded, another day")
    _continue(page)

    # When it first became active: the day it onboarded, or another.
    expect(page).to_have_title(f"When did the provider first become active? - Add provider - {SERVICE_NAME}")
    expect(page.get_by_label("Same as onboarded at date, 3 September 2025")).to_be_visible()
    axe("Add provider – when it first became active")
    page.get_by_label("Another day").check()
    fill_date(page, "Date first active", "4/9/2023")
    _continue(page)

    expect(page).to_have_title(f"Is the provider accredited? - Add provider - {SERVICE_NAME}")
    page.get_by_label("Yes").check()
    _continue(page)
    expect(page).to_have_title(f"Provider type - Add provider - {SERVICE_NAME}")
    page.get_by_label("Higher education institution (HEI)").check()
    _continue(page)
    expect(page).to_have_title(f"Provider details - Add provider - {SERVICE_NAME}")
    page.get_by_label("Operating name").fill("Ash Tree University")
    page.get_by_label("UK provider reference number (UKPRN)").fill("10012345")
    page.get_by_label("Provider code").fill("a1u")
    _continue(page)
    expect(page).to_have_title(f"Accreditation details - Add provider - {SERVICE_NAME}")
    page.get_by_label("Accredited provider number").fill("1234")
    fill_date(page, "Accreditation start date", "1/9/2023")
    _continue(page)

    # Its address, typed in.
    expect(page).to_have_title(f"Address - Add provider - {SERVICE_NAME}")
    expect_heading(page, "Address")
    axe("Add provider – address")
    page.get_by_label("Address line 1").fill("1 Tile Kiln Lane")
    page.get_by_label("Postcode").fill("n13 6by")
    _continue(page)
    expect_error_summary(page, "Enter town or city")
    axe("Add provider – address, with errors")
    page.get_by_label("Town or city").fill("London")
    _continue(page)

    expect(page).to_have_title(f"Check your answers - Add provider - {SERVICE_NAME}")
    expect_heading(page, "Check your answers")
    assert summary_rows(page) == {
        "Date onboarded": ("3 September 2025", "Change Date onboarded"),
        "Date first active": ("4 September 2023", "Change Date first active"),
        "Academic years": (_years(2023), "Change Academic years"),
        "Is the provider accredited?": ("Yes", "Change Is the provider accredited?"),
        "Provider type": ("Higher education institution (HEI)", "Change Provider type"),
        "Operating name": ("Ash Tree University", "Change Operating name"),
        "Legal name": ("Not entered", "Change Legal name"),
        "UK provider reference number (UKPRN)": ("10012345", "Change UK provider reference number (UKPRN)"),
        "Unique reference number (URN)": ("Not entered", "Change Unique reference number (URN)"),
        "Provider code": ("A1U", "Change Provider code"),
        "Accredited provider number": ("1234", "Change Accredited provider number"),
        "Accreditation start date": ("1 September 2023", "Change Accreditation start date"),
        "Accreditation end date": ("Not entered", "Change Accreditation end date"),
        "Address line 1": ("1 Tile Kiln Lane", "Change Address line 1"),
        "Address line 2": ("Not entered", "Change Address line 2"),
        "Address line 3": ("Not entered", "Change Address line 3"),
        "Town or city": ("London", "Change Town or city"),
        "County": ("Not entered", "Change County"),
        "Postcode": ("N13 6BY", "Change Postcode"),
    }
    axe("Add provider – check your answers")

    # Change when it first became active: the answer is kept, and the academic years follow it.
    page.get_by_role("link", name="Change Date first active").click()
    expect_no_error_summary(page)
    expect(page.get_by_label("Another day")).to_be_checked()
    expect(page.get_by_role("group", name="Date first active").get_by_label("Year")).to_have_value("2023")
    fill_date(page, "Date first active", "1/9/2024")
    _continue(page)
    expect_heading(page, "Check your answers")
    rows = summary_rows(page)
    assert rows["Date first active"] == ("1 September 2024", "Change Date first active")
    assert rows["Academic years"] == (_years(2024), "Change Academic years")

    # The academic years worked out from it can be chosen too: leave out the first.
    page.get_by_role("link", name="Change Academic years").click()
    expect(page).to_have_title(f"Academic years - Add provider - {SERVICE_NAME}")
    expect_heading(page, "Academic years")
    years = page.get_by_role("group", name="Academic years")
    expect(years.get_by_role("checkbox", checked=True)).to_have_count(current - 2024 + 1)
    axe("Add provider – academic years")
    years.get_by_label(academic_year_label(2024), exact=True).uncheck()
    _continue(page)
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["Academic years"] == (_years(2025), "Change Academic years")

    page.get_by_role("button", name="Save provider").click()

    provider = Provider.objects.get()
    expect(page).to_have_url(re.compile(rf"/admin/registry/provider/{provider.pk}/change/"))
    expect_success_message(page, "Provider added")
    expect_heading(page, "Ash Tree University")
    expect(page.locator(".app-tags")).to_have_text(re.compile(r"^\s*Accredited\s*$"))
    details = summary_rows(section(page, "Provider details"))
    assert details["RoTP id"] == (provider.register_id, None)
    assert provider.register_id.startswith("RoTP-25")
    assert details["Date onboarded"] == ("3 September 2025", "Change Date onboarded")
    assert details["Date first active"] == ("1 September 2024", "Change Date first active")
    assert details["Active academic years"] == (_years(2025), "Change Active academic years")
    accreditations = section(page, "Accreditations (1)")
    assert summary_rows(card(accreditations, "Accreditation 1234")) == {
        "Accredited provider number": ("1234", None),
        "Accreditation start date": ("1 September 2023", None),
        "Accreditation end date": ("Not entered", None),
    }
    addresses = section(page, "Addresses (1)")
    assert summary_rows(card(addresses, "London, N13 6BY")) == {"Address": ("1 Tile Kiln Lane\nLondon\nN13 6BY", None)}
    axe("Provider details, just added")


def test_add_a_provider_with_its_address_found_by_postcode(page, axe, fake_places):
    """The address found through Ordnance Survey (a fake): results, a choice, and an address found
    without its town completed by hand; its coordinates kept with it."""
    fake_places.mode = Mode.INCOMPLETE
    sign_in_as(page, axe, SupportEditorFactory())
    open_providers(page)
    page.get_by_role("link", name="Add provider", exact=True).click()

    page.get_by_label("Today").check()
    _continue(page)
    page.get_by_label(re.compile(r"^Same as onboarded at date")).check()
    _continue(page)
    page.get_by_label("No").check()
    _continue(page)
    page.get_by_label("Higher education institution (HEI)").check()
    _continue(page)
    page.get_by_label("Operating name").fill("Rowan Institute")
    page.get_by_label("UK provider reference number (UKPRN)").fill("10054321")
    page.get_by_label("Provider code").fill("R2I")
    _continue(page)

    expect(page).to_have_title(f"Find an address - Add provider - {SERVICE_NAME}")
    expect(page.get_by_role("link", name="Enter the address manually")).to_be_visible()
    axe("Add provider – find an address")
    page.get_by_label("Postcode", exact=True).fill("n13 6by")
    page.get_by_role("button", name="Find address").click()

    expect(page).to_have_title(f"Select an address - Add provider - {SERVICE_NAME}")
    axe("Add provider – select an address")
    page.get_by_label("1 Tile Kiln Lane, N13 6BY").check()
    _continue(page)

    # Found without its town: the address form, filled in, asks for what is missing.
    expect(page).to_have_title(f"Error: Address - Add provider - {SERVICE_NAME}")
    expect_error_summary(page, "Enter town or city")
    expect(page.get_by_label("Address line 1")).to_have_value("1 Tile Kiln Lane")
    axe("Add provider – completing an address found incomplete")
    page.get_by_label("Town or city").fill("London")
    _continue(page)

    expect_heading(page, "Check your answers")
    rows = summary_rows(page)
    assert rows["Address line 1"] == ("1 Tile Kiln Lane", "Change Address line 1")
    assert rows["Town or city"] == ("London", "Change Town or city")
    assert rows["Location"] == ("Latitude 51.6180312, longitude -0.1104821", None)
    axe("Add provider – check your answers, address found by postcode")
    page.get_by_role("button", name="Save provider").click()

    expect_success_message(page, "Provider added")
    address = Provider.objects.get().addresses.get()
    assert address.town_or_city == "London"
    assert address.uprn
    assert address.latitude is not None
    assert summary_rows(card(section(page, "Addresses (1)"), "London, N13 6BY")) == {
        "Address": ("1 Tile Kiln Lane\nLondon\nN13 6BY", None),
        "Location": ("Latitude 51.6180312, longitude -0.1104821", None),
    }
