"""The providers list as a keyboard or screen reader meets it: the filter groups, the selected
filters, the search box's label and hint, the pagination, and a table that stacks on a phone
(see docs/accessibility.md; the browser journeys use them)."""

import pytest
from django.urls import reverse

from tests.factories import ProviderFactory
from tests.support.page import Page, attribute, text

PROVIDERS = reverse("admin:registry_provider_changelist")

pytestmark = pytest.mark.django_db


def classes(element) -> list[str]:
    return (attribute(element, "class") or "").split()


def test_each_filter_group_is_a_fieldset_whose_legend_asks_the_question(administrator_client):
    page = Page(administrator_client.get(PROVIDERS, {"provider_type": "hei"}))

    groups = {
        text(page.one("legend", within=fieldset)): [
            (attribute(box, "name"), attribute(box, "value"))
            for box in page.all("input", within=fieldset)
            if attribute(box, "type") == "checkbox"
        ]
        for fieldset in page.all("fieldset")
    }
    assert list(groups) == ["Provider type", "Accreditation status", "Academic year", "Archived providers"]
    assert groups["Provider type"] == [
        ("provider_type", "hei"),
        ("provider_type", "school"),
        ("provider_type", "other"),
    ]
    assert groups["Archived providers"] == [("archived", "yes")]
    # Each checkbox has its own label, and no label is left tied to nothing.
    ids = {attribute(each, "id") for each in page.all("input")}
    assert all(attribute(label, "for") in ids for label in page.all("label"))
    [apply] = [each for each in page.all("button") if text(each) == "Apply filters"]
    assert attribute(apply, "type") == "submit"


def test_the_filters_form_is_named_by_its_heading(administrator_client):
    page = Page(administrator_client.get(PROVIDERS))

    [form] = [each for each in page.all("form") if attribute(each, "aria-labelledby") == "filters-heading"]
    [heading] = [each for each in page.all("h2") if attribute(each, "id") == "filters-heading"]
    assert text(heading) == "Filter"
    assert attribute(form, "method") == "get"


def test_the_search_box_has_a_label_and_a_hint(administrator_client):
    page = Page(administrator_client.get(PROVIDERS))

    [label] = [each for each in page.all("label") if attribute(each, "for") == "list-search"]
    assert text(label) == "Search providers"
    [box] = [each for each in page.all("input") if attribute(each, "id") == "list-search"]
    assert attribute(box, "name") == "q"
    assert attribute(box, "aria-describedby") == "list-search-hint"
    [hint] = [each for each in page.all("div") if attribute(each, "id") == "list-search-hint"]
    assert text(hint) == "Search by provider name, code, UKPRN or URN"
    [search] = [each for each in page.all("form") if attribute(each, "role") == "search"]
    assert attribute(search, "method") == "get"


def pagination(page: Page):
    [nav] = [each for each in page.all("nav") if attribute(each, "aria-label") == "Pagination"]
    return [
        (attribute(link, "aria-label"), text(link), attribute(link, "href"), attribute(link, "aria-current"))
        for link in page.all("a", within=nav)
        if attribute(link, "aria-label")
    ]


def test_pagination_names_each_page_and_marks_the_current_one(administrator_client):
    ProviderFactory.create_batch(60)

    first = Page(administrator_client.get(PROVIDERS))
    second = Page(administrator_client.get(PROVIDERS, {"q": "Teaching", "page": "2"}))

    assert pagination(first) == [
        ("Page 1", "1", PROVIDERS, "page"),
        ("Page 2", "2", f"{PROVIDERS}?page=2", None),
        ("Page 3", "3", f"{PROVIDERS}?page=3", None),
    ]
    # The search (and any filters) carry over to the other pages.
    assert pagination(second) == [
        ("Page 1", "1", f"{PROVIDERS}?q=Teaching", None),
        ("Page 2", "2", f"{PROVIDERS}?q=Teaching&page=2", "page"),
        ("Page 3", "3", f"{PROVIDERS}?q=Teaching&page=3", None),
    ]


def test_pagination_elides_pages_without_a_link(administrator_client):
    ProviderFactory.create_batch(25 * 12)

    page = Page(administrator_client.get(PROVIDERS))

    assert [name for name, *_ in pagination(page)] == [f"Page {number}" for number in (1, 2, 12)]


def test_a_list_on_one_page_has_no_pagination(administrator_client):
    ProviderFactory.create_batch(3)

    page = Page(administrator_client.get(PROVIDERS))

    assert not [each for each in page.all("nav") if attribute(each, "aria-label") == "Pagination"]


def test_the_table_has_a_caption_and_each_row_a_heading(administrator_client):
    ProviderFactory(operating_name="Ash Tree School")

    page = Page(administrator_client.get(PROVIDERS))

    [table] = page.all("table")
    assert text(page.one("caption", within=table)) == "Providers"
    [row_heading] = [each for each in page.all("th", within=table) if attribute(each, "scope") == "row"]
    assert text(row_heading) == "Ash Tree School"
    assert attribute(row_heading, "data-label") == "Name"
