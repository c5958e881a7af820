"""The admin's lists as a keyboard or screen reader meets them: the Filters button, the filter groups,
the search box's label and the pagination (see docs/accessibility.md; the browser journeys use them)."""

import pytest
from django.urls import reverse

from tests.factories import ProviderFactory
from tests.support.page import Page, attribute, text

PROVIDERS = reverse("admin:registry_provider_changelist")
USERS = reverse("admin:accounts_user_changelist")

pytestmark = pytest.mark.django_db


def classes(element) -> list[str]:
    return (attribute(element, "class") or "").split()


def test_the_filters_control_is_a_button_that_says_whether_the_panel_is_open(administrator_client):
    page = Page(administrator_client.get(PROVIDERS))

    [button] = [each for each in page.all("button") if "filter-open-button" in classes(each)]
    assert text(button) == "Filters"
    assert attribute(button, "type") == "button"
    assert attribute(button, "aria-controls") == "changelist-filter"
    assert attribute(button, "aria-expanded") == "false"
    assert [each for each in page.all("div") if attribute(each, "id") == "changelist-filter"]
    assert not [each for each in page.all("a") if "filter-open-button" in classes(each)]


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
    assert list(groups) == [
        "By provider type",
        "By accreditation status",
        "By active academic year",
        "By archived providers",
    ]
    assert groups["By provider type"] == [
        ("provider_type", "hei"),
        ("provider_type", "school"),
        ("provider_type", "other"),
    ]
    assert groups["By archived providers"] == [("archived", "yes")]
    # Each checkbox keeps its own label; no label is left tied to nothing.
    labels = page.all("label")
    assert all(attribute(label, "for") for label in labels)


@pytest.mark.parametrize(("url", "name"), [(PROVIDERS, "Search providers"), (USERS, "Search users")])
def test_the_search_box_has_a_label(administrator_client, url, name):
    page = Page(administrator_client.get(url))

    [label] = [each for each in page.all("label") if attribute(each, "for") == "searchbar"]
    assert text(label) == name
    assert "app-visually-hidden" in classes(label)
    [box] = [each for each in page.all("input") if attribute(each, "id") == "searchbar"]
    assert attribute(box, "name") == "q"


def pagination(page: Page):
    [nav] = [each for each in page.all("nav") if attribute(each, "aria-label") == "Pagination"]
    return [
        (attribute(link, "aria-label"), text(link), attribute(link, "href"), attribute(link, "aria-current"))
        for link in page.all("a", within=nav)
    ]


def test_pagination_names_each_page_and_marks_the_current_one(administrator_client):
    ProviderFactory.create_batch(60)

    first = Page(administrator_client.get(PROVIDERS))
    second = Page(administrator_client.get(PROVIDERS, {"q": "Teaching", "p": "2"}))

    assert pagination(first) == [
        ("Page 1", "1", "?p=1", "page"),
        ("Page 2", "2", "?p=2", None),
        ("Page 3", "3", "?p=3", None),
    ]
    # The search (and any filters) carry over to the other pages.
    assert pagination(second) == [
        ("Page 1", "1", "?q=Teaching&p=1", None),
        ("Page 2", "2", "?q=Teaching&p=2", "page"),
        ("Page 3", "3", "?q=Teaching&p=3", None),
    ]


def test_pagination_elides_pages_without_a_link(administrator_client):
    ProviderFactory.create_batch(25 * 12)

    page = Page(administrator_client.get(PROVIDERS))

    assert [name for name, *_ in pagination(page)] == [f"Page {number}" for number in (1, 2, 3, 4, 11, 12)]
    [nav] = [each for each in page.all("nav") if attribute(each, "aria-label") == "Pagination"]
    assert text(nav).split() == ["1", "2", "3", "4", "…", "11", "12"]


def test_a_list_on_one_page_has_no_pagination(administrator_client):
    ProviderFactory.create_batch(3)

    page = Page(administrator_client.get(PROVIDERS))

    assert not [each for each in page.all("nav") if attribute(each, "aria-label") == "Pagination"]
