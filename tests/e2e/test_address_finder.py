"""Adding a provider's address: found by its postcode through a fake Ordnance Survey
(tests/support/fake_places.py), when the finder fails, when what it found is incomplete, and, without
an Ordnance Survey key, typed in."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.provider_steps import card, section
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
from tests.factories import ProviderFactory, SupportEditorFactory
from tests.support.fake_places import Mode

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_provider(page, axe, name: str) -> None:
    sign_in_as(page, axe, SupportEditorFactory(first_name="Priya", last_name="Shah"))
    open_providers(page)
    page.get_by_role("link", name=name, exact=True).click()
    expect_heading(page, name)


def find(page, postcode: str, building: str = "") -> None:
    page.get_by_label("Postcode", exact=True).fill(postcode)
    page.get_by_label("Building number or name (optional)").fill(building)
    page.get_by_role("button", name="Find address").click()


def test_add_an_address_with_the_finder(page, axe, fake_places):
    ProviderFactory(operating_name="Ash Tree School")
    open_provider(page, axe, "Ash Tree School")

    section(page, "Addresses (0)").get_by_role("link", name="Add address").click()
    expect(page).to_have_title(f"Find an address - Add address - {SERVICE_NAME}")
    expect(page.locator(".app-caption")).to_have_text("Add address - Ash Tree School")
    expect_heading(page, "Find an address")
    expect(page.get_by_role("link", name="Enter the address manually")).to_be_visible()
    axe("Add address – find an address")

    page.get_by_role("button", name="Find address").click()
    expect_error_summary(page, "Enter a postcode")
    axe("Add address – find an address, with errors")

    # Ordnance Survey fails: the address form, saying so, with what was typed in it.
    fake_places.respond_next(Mode.ERROR, Mode.ERROR)
    find(page, "n13 6by", "Rose House")
    expect(page).to_have_title(f"Address - Add address - {SERVICE_NAME}")
    expect(page.get_by_role("region", name="Important")).to_have_text(
        re.compile(r"Addresses cannot be found by postcode at the moment\. Enter the address below\.")
    )
    expect(page.get_by_label("Address line 1")).to_have_value("Rose House")
    expect(page.get_by_label("Postcode")).to_have_value("N13 6BY")
    axe("Add address – address, when the finder fails")

    # Back to the search, which works this time.
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.get_by_label("Postcode", exact=True)).to_have_value("N13 6BY")
    find(page, "N13 6BY")
    expect(page).to_have_title(f"Select an address - Add address - {SERVICE_NAME}")
    question = page.get_by_role("group", name="Select an address")
    expect(question).to_have_accessible_description("3 addresses found for N13 6BY")
    expect(question.get_by_role("radio")).to_have_count(3)
    axe("Add address – select an address")

    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, "Select an address")
    page.get_by_label("Ash Tree School, Flat 2, Rose House, 5 Tile Kiln Lane, London, N13 6BY").check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(f"Check your answers - Add address - {SERVICE_NAME}")
    assert summary_rows(page) == {
        "Address line 1": ("Ash Tree School", "Change Address line 1"),
        "Address line 2": ("Flat 2, Rose House", "Change Address line 2"),
        "Address line 3": ("5 Tile Kiln Lane", "Change Address line 3"),
        "Town or city": ("London", "Change Town or city"),
        "County": ("Not entered", "Change County"),
        "Postcode": ("N13 6BY", "Change Postcode"),
        "Location": ("Latitude 51.6182254, longitude -0.1107410", None),
    }
    axe("Add address – check your answers, found by postcode")
    page.get_by_role("button", name="Save address").click()

    expect_success_message(page, "Address added")
    addresses = section(page, "Addresses (1)")
    assert summary_rows(card(addresses, "London, N13 6BY")) == {
        "Address": ("Ash Tree School\nFlat 2, Rose House\n5 Tile Kiln Lane\nLondon\nN13 6BY", None),
        "Location": ("Latitude 51.6182254, longitude -0.1107410", None),
    }

    # An address Ordnance Survey gives without its town: the address form, filled in, asks for it.
    fake_places.mode = Mode.INCOMPLETE
    addresses.get_by_role("link", name="Add address").click()
    find(page, "N13 6BY", "1")
    page.get_by_label("1 Tile Kiln Lane, N13 6BY").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(f"Error: Address - Add address - {SERVICE_NAME}")
    expect_error_summary(page, "Enter town or city")
    expect(page.get_by_role("region", name="Important")).to_have_text(
        re.compile(r"The address found is missing some details\. Enter them below\.")
    )
    expect(page.get_by_label("Address line 1")).to_have_value("1 Tile Kiln Lane")
    expect(page.get_by_label("Postcode")).to_have_value("N13 6BY")
    axe("Add address – address, completing one found incomplete")

    page.get_by_label("Town or city").fill("London")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["Location"] == ("Latitude 51.6180312, longitude -0.1104821", None)
    page.get_by_role("button", name="Save address").click()

    expect_success_message(page, "Address added")
    expect(section(page, "Addresses (2)").get_by_role("heading", level=3)).to_have_text(
        ["London, N13 6BY", "London, N13 6BY"]
    )
    axe("Provider details, after adding an address")


def test_add_an_address_without_an_ordnance_survey_key(page, axe, settings):
    settings.ORDNANCE_SURVEY_API_KEY = ""
    ProviderFactory(operating_name="Birch School")
    open_provider(page, axe, "Birch School")

    section(page, "Addresses (0)").get_by_role("link", name="Add address").click()
    expect(page).to_have_title(f"Address - Add address - {SERVICE_NAME}")
    expect(page.get_by_role("region", name="Important")).to_have_text(
        re.compile(r"Finding an address by its postcode is not available\. Enter the address below\.")
    )
    expect(page.get_by_role("link", name="Enter the address manually")).to_have_count(0)
    expect_no_error_summary(page)
    axe("Add address – address, without the finder")

    page.get_by_label("Address line 1").fill("The Old School House")
    page.get_by_label("Address line 2 (optional)").fill("Church Street")
    page.get_by_label("Town or city").fill("Stoke-on-Trent")
    page.get_by_label("Postcode").fill("st4 2de")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your answers")
    assert "Location" not in summary_rows(page)
    page.get_by_role("button", name="Save address").click()

    expect_success_message(page, "Address added")
    assert summary_rows(card(section(page, "Addresses (1)"), "Stoke-on-Trent, ST4 2DE")) == {
        "Address": ("The Old School House\nChurch Street\nStoke-on-Trent\nST4 2DE", None),
    }
