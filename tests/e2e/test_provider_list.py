"""Finding providers: the list, a page at a time, searched by name, code, UKPRN or URN, and filtered
by type, accreditation, academic year and archived providers, alone and with a search."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import AcademicYear
from tests.e2e.provider_steps import (
    choice,
    filter_by,
    filters,
    listed_names,
    listed_row,
    pagination,
    search,
    search_box,
    selected_filters,
    year_label,
)
from tests.e2e.steps import SERVICE_NAME, expect_heading, open_providers, sign_in_as
from tests.factories import (
    AccreditedProviderFactory,
    ArchivedProviderFactory,
    HeiProviderFactory,
    ProviderFactory,
    SupportEditorFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The service's wording (registry/admin), word for word.
SEARCH_HINT = "Search by provider name, code, UKPRN or URN"


def test_search_and_filter_providers(page, axe):
    current = AcademicYear.current_start_year()
    editor = SupportEditorFactory(first_name="Priya", last_name="Shah")
    # Codes, UKPRNs and URNs far beyond those the factories number their providers with, so each
    # search finds only the provider it is about.
    AccreditedProviderFactory(operating_name="Ash Tree SCITT", code="A1T", ukprn="10012345", urn="123456")
    HeiProviderFactory(operating_name="Birch University", code="B2U", ukprn="", urn="")
    ProviderFactory(operating_name="Cedar Primary", code="C3P", urn="654321", academic_years=[current - 1])
    ProviderFactory(operating_name="Willow Academy", code="W4A")
    ProviderFactory.create_batch(22)  # "Provider <n> Teaching School": between Cedar and Willow
    ArchivedProviderFactory(operating_name="Old Mill School", code="M5S")

    sign_in_as(page, axe, editor)
    axe("Home, support editor")
    open_providers(page)
    expect(page).to_have_title(f"Providers - {SERVICE_NAME}")
    expect_heading(page, "Providers (26)")
    expect(page.get_by_role("link", name="Add provider", exact=True)).to_be_visible()
    # 25 to a page, by name; archived providers are left out.
    expect(listed_names(page)).to_have_count(25)
    expect(listed_names(page).first).to_have_text("Ash Tree SCITT")
    expect(page.get_by_role("link", name="Willow Academy", exact=True)).to_have_count(0)
    expect(page.get_by_role("table").get_by_role("columnheader")).to_have_text(
        ["Name", "Provider code", "UKPRN", "URN", "Provider type", "Status", "Actions"]
    )
    expect(listed_row(page, "Ash Tree SCITT").get_by_role("cell")).to_have_text(
        [
            "A1T",
            "10012345",
            "123456",
            "School-centred initial teacher training (SCITT)",
            "Accredited",
            "Change Ash Tree SCITT",
        ]
    )
    # A gap is said the same way in each column.
    expect(listed_row(page, "Birch University").get_by_role("cell")).to_have_text(
        [
            "B2U",
            "Not entered",
            "Not entered",
            "Higher education institution (HEI)",
            "Not accredited",
            "Change Birch University",
        ]
    )
    axe("Providers list")

    # The page links say which page they go to, and which is the page shown.
    for number in (1, 2):
        expect(pagination(page).get_by_role("link", name=f"Page {number}", exact=True)).to_have_text(str(number))
    expect(pagination(page).locator("[aria-current=page]")).to_have_accessible_name("Page 1")
    pagination(page).get_by_role("link", name="Page 2", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect_heading(page, "Providers (26)")
    expect(listed_names(page)).to_have_text(["Willow Academy"])
    expect(pagination(page).locator("[aria-current=page]")).to_have_accessible_name("Page 2")
    axe("Providers list, page 2")
    pagination(page).get_by_role("link", name="Previous page").click()
    expect(listed_names(page)).to_have_count(25)

    # The search box is named by its label and described by its hint.
    expect(search_box(page)).to_have_accessible_description(SEARCH_HINT)

    # By name (any part of it, any case), provider code, UKPRN and URN.
    for words, found in [
        ("ash tree", "Ash Tree SCITT"),
        ("b2u", "Birch University"),
        ("10012345", "Ash Tree SCITT"),
        ("654321", "Cedar Primary"),
    ]:
        search(page, words)
        expect_heading(page, "Providers (1)")
        expect(listed_names(page)).to_have_text([found])
        axe("Providers list, searched")

    search(page, "Rowan")
    expect_heading(page, "Providers (0)")
    expect(page.get_by_text("There are no providers matching your search.", exact=True)).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    axe("Providers list, no results")
    page.get_by_role("link", name="Clear search").first.click()
    expect_heading(page, "Providers (26)")

    # The filters: each group of checkboxes is a question, a fieldset whose legend a screen reader reads with them.
    questions = ["Provider type", "Accreditation status", "Academic year", "Archived providers"]
    expect(filters(page).get_by_role("group")).to_have_text([re.compile(rf"^\s*{question}") for question in questions])
    for answer in ("HEI", "School", "Other"):
        expect(choice(filters(page), "Provider type", answer)).to_have_role("checkbox")
    expect(choice(filters(page), "Academic year", f"{year_label(current)} - current")).not_to_be_checked()
    expect(selected_filters(page)).to_have_count(0)
    axe("Providers list, filters")

    filter_by(page, check=("Provider type", "HEI"))
    expect(page).to_have_url(re.compile(r"[?&]provider_type=hei\b"))
    expect_heading(page, "Providers (1)")
    expect(listed_names(page)).to_have_text(["Birch University"])
    # The filter in use is a tag that removes it.
    expect(selected_filters(page)).to_have_text(["Remove this filter HEI"])
    axe("Providers list, filtered")

    filter_by(page, uncheck=("Provider type", "HEI"), check=("Accreditation status", "Accredited"))
    expect(listed_names(page)).to_have_text(["Ash Tree SCITT"])
    selected_filters(page).filter(has_text="Accredited").click()
    expect_heading(page, "Providers (26)")
    expect(selected_filters(page)).to_have_count(0)

    # Filters and a search together; Clear filters keeps the search.
    search(page, "school")
    filter_by(page, check=("Academic year", f"{year_label(current - 1)} - last"))
    filter_by(page, check=("Provider type", "School"))
    expect(page).to_have_url(re.compile(r"q=school"))
    expect(selected_filters(page)).to_have_text(
        ["Remove this filter School", f"Remove this filter {year_label(current - 1)} - last"]
    )
    page.get_by_role("region", name="Selected filters").get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"\?q=school$"))
    expect(selected_filters(page)).to_have_count(0)

    search(page, "")
    filter_by(page, check=("Academic year", f"{year_label(current - 1)} - last"))
    expect(listed_names(page)).to_have_text(["Cedar Primary"])
    axe("Providers list, filtered")

    filter_by(
        page,
        uncheck=("Academic year", f"{year_label(current - 1)} - last"),
        check=("Archived providers", "Include archived providers"),
    )
    expect_heading(page, "Providers (27)")
    expect(listed_row(page, "Old Mill School").get_by_role("cell").nth(4)).to_have_text(
        re.compile(r"Not accredited\s*Archived")
    )
    axe("Providers list, filtered")
