"""The providers list and a provider's page at a phone's width: nothing cut off, no sideways scrolling."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.provider_steps import listed_row
from tests.e2e.steps import expect_heading, open_providers, sign_in_as
from tests.factories import AccreditedProviderFactory, ContactFactory, ProviderFactory, SupportEditorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_sideways_scrolling(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_list_and_a_provider_on_a_phone(page, axe):
    editor = SupportEditorFactory(first_name="Priya", last_name="Shah")
    provider = AccreditedProviderFactory(
        operating_name="Ash Tree Teaching School Alliance SCITT", code="A1T", ukprn="10012345", urn="123456"
    )
    ContactFactory(provider=provider, first_name="Mary", last_name="Lawson", email="mary.lawson@example.com")
    ProviderFactory.create_batch(3)
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in_as(page, axe, editor)
    page.get_by_role("button", name="Menu").click()
    open_providers(page)
    expect_heading(page, "Providers (4)")
    # Each row is a card of its cells, each labelled by its column: nothing is cut off.
    row = listed_row(page, "Ash Tree Teaching School Alliance SCITT")
    for cell in row.get_by_role("cell").all():
        box = cell.bounding_box()
        assert box["x"] >= 0, cell.inner_text()
        assert box["x"] + box["width"] <= 390, cell.inner_text()
    expect(row.get_by_role("link", name="Change Ash Tree Teaching School Alliance SCITT")).to_be_visible()
    assert no_sideways_scrolling(page)
    axe("Providers list, phone")

    page.get_by_role("link", name="Ash Tree Teaching School Alliance SCITT", exact=True).click()
    expect_heading(page, "Ash Tree Teaching School Alliance SCITT")
    assert no_sideways_scrolling(page)
    axe("Provider details, phone")
