"""The provider register: finding providers, changing one and its records, archiving and restoring
it, what a change to its accreditations will do to it, and what a support viewer may not do there."""

import datetime
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from registry.models import AcademicYear
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
    ArchivedProviderFactory,
    ContactFactory,
    HeiProviderFactory,
    PartnershipFactory,
    ProviderFactory,
    SupportEditorFactory,
    SupportViewerFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The service's wording (registry/admin, registry/forms, registry/services, registry/views), word for word.
ARCHIVED_NOTICE = "This provider is archived, so it cannot be changed. Restore the provider to change it."
CONTACT_EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
PERMISSION_DENIED = "You do not have permission to perform this action"
SEARCH_HINT = "Search by provider name, code, UKPRN or URN"


def listed_names(page: Page) -> Locator:
    """The providers on this page of the list, by name, in their order (each row's heading)."""
    return page.get_by_role("table").get_by_role("rowheader")


def listed_row(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))


def search_box(page: Page) -> Locator:
    """The list's search box, found by its label and described by its hint."""
    return page.get_by_role("search").get_by_label("Search providers", exact=True)


def search(page: Page, words: str) -> None:
    search_box(page).fill(words)
    page.keyboard.press("Enter")
    query = re.escape(words.replace(" ", "+"))
    expect(page).to_have_url(re.compile(rf"\?q={query}$" if words else r"/provider/(\?q=)?$"))


def filters(page: Page) -> Locator:
    """The list's filters: a form named by its heading, "Filter"."""
    return page.get_by_role("form", name="Filter")


def choice(scope: Locator, question: str, answer: str) -> Locator:
    """A filter's checkbox, found within its group (a fieldset, named by its legend)."""
    return scope.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True)


def filter_by(page: Page, *, check: tuple[str, str] | None = None, uncheck: tuple[str, str] | None = None) -> None:
    """Untick one (question, answer) and tick another, and apply the filters."""
    if uncheck:
        choice(filters(page), *uncheck).uncheck()
    if check:
        choice(filters(page), *check).check()
    filters(page).get_by_role("button", name="Apply filters").click()


def selected_filters(page: Page) -> Locator:
    """The links that remove each filter in use ("Remove this filter HEI")."""
    return filters(page).get_by_role("link", name=re.compile(r"^Remove this filter "))


def pagination(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Pagination")


def section(page: Page, title: str) -> Locator:
    """One of a provider's sections ("Contacts (2)"), a region named by its heading."""
    return page.get_by_role("region", name=title, exact=True)


def card(scope: Locator, title: str) -> Locator:
    """One record's summary card in a section."""
    return scope.locator(".app-summary-card").filter(
        has=scope.page.get_by_role("heading", level=3, name=title, exact=True)
    )


def year_label(start_year: int) -> str:
    return f"{start_year} to {start_year + 1}"


def no_sideways_scrolling(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


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
    filters(page).get_by_role("link", name="Clear filters").click()
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


def test_support_viewer_cannot_change_providers(page, axe, caplog):
    viewer = SupportViewerFactory(first_name="Colin", last_name="Chapman", email="colin.chapman@education.gov.uk")
    provider = AccreditedProviderFactory(operating_name="Ash Tree SCITT", accreditation=False)
    AccreditationFactory(provider=provider, number="5123")
    AddressFactory(provider=provider, address_line_1="1 Tile Kiln Lane", town_or_city="London", postcode="N13 6BY")
    ContactFactory(provider=provider, first_name="Mary", last_name="Lawson")
    PartnershipFactory(accredited_provider=provider, training_partner=ProviderFactory(operating_name="Birch School"))

    sign_in_as(page, axe, viewer)
    axe("Home, support viewer")
    open_providers(page)
    expect_heading(page, "Providers (2)")
    expect(page.get_by_role("link", name="Add provider")).to_have_count(0)
    # No column of Change links that are not there.
    expect(page.get_by_role("table").get_by_role("columnheader")).to_have_text(
        ["Name", "Provider code", "UKPRN", "URN", "Provider type", "Status"]
    )
    expect(page.get_by_role("table").get_by_role("link")).to_have_text(["Ash Tree SCITT", "Birch School"])
    axe("Providers list, support viewer")

    page.get_by_role("link", name="Ash Tree SCITT", exact=True).click()
    expect_heading(page, "Ash Tree SCITT")
    for title in ("Accreditations (1)", "Addresses (1)", "Contacts (1)", "Partnerships (1)"):
        expect(section(page, title).locator(".app-summary-card")).to_have_count(1)
    # The sections, and the partner's page: nothing that changes anything.
    expect(page.locator(".app-page").get_by_role("link")).to_have_text(
        ["Provider details", "Accreditations", "Addresses", "Contacts", "Partnerships", "Birch School"]
    )
    axe("Provider details, support viewer")

    # Nor can they go to the pages directly, or send the form without them.
    page.goto(f"/admin/registry/provider/{provider.pk}/edit/?new")
    expect_heading(page, PERMISSION_DENIED)
    axe("Permission denied (403)")

    page.go_back()
    expect_heading(page, "Ash Tree SCITT")
    caplog.clear()
    page.evaluate(
        """([action, fields]) => {
            const form = Object.assign(document.createElement("form"), {method: "post", action});
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
                form.append(Object.assign(document.createElement("input"), {type: "hidden", name, value}));
            }
            document.body.append(form);
            form.submit();
        }""",
        [f"/admin/registry/provider/{provider.pk}/edit/", {"operating_name": "Hijacked SCITT"}],
    )
    expect(page).to_have_url(re.compile(r"/edit/$"))
    expect_heading(page, PERMISSION_DENIED)
    axe("Permission denied (403)")
    # The page for a form without a valid CSRF token reads the same: the log tells them apart.
    refusals = [(record.msg, getattr(record, "method", None)) for record in caplog.records if record.name == "security"]
    assert refusals == [("access_denied", "POST")]

    page.goto(f"/admin/registry/provider/{provider.pk}/change/")
    expect_heading(page, "Ash Tree SCITT")
