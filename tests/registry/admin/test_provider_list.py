import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from registry.forms.base import academic_year_choices
from registry.models import AcademicYear
from tests.factories import (
    AccreditedHeiProviderFactory,
    AccreditedProviderFactory,
    ArchivedProviderFactory,
    HeiProviderFactory,
    ProviderFactory,
    SupportViewerFactory,
)
from tests.registry.admin.conftest import listed_names, provider_url, signed_in, table_headers
from tests.support.html import page_title, text

LIST_URL = reverse("admin:registry_provider_changelist")

pytestmark = pytest.mark.django_db

COLUMNS = ["Name", "Provider code", "UKPRN", "URN", "Provider type", "Status"]


def test_heading_counts_providers_and_offers_add_provider(administrator_client):
    ProviderFactory.create_batch(3)

    response = administrator_client.get(LIST_URL)

    assert page_title(response) == "Providers - Register of training providers"
    assert "Providers (3) Add provider" in text(response)
    assert f'<a class="app-button" href="{provider_url("add")}?new">Add provider</a>' in response.content.decode()
    assert "Search providers Search by provider name, code, UKPRN or URN" in text(response)


def test_no_providers_says_so(administrator_client):
    response = administrator_client.get(LIST_URL)

    assert "Providers (0)" in text(response)
    assert "There are no providers." in text(response)
    assert "Clear search" not in text(response)


def test_a_search_that_finds_nothing_says_so_once_and_offers_to_clear_it(administrator_client):
    ProviderFactory(operating_name="Birch Primary")
    response = administrator_client.get(LIST_URL, {"q": "Rowan"})

    assert "Providers (0)" in text(response)
    assert text(response).count("There are no providers matching your search.") == 1
    assert f'<a class="app-link" href="{LIST_URL}">Clear search</a>' in response.content.decode()


def test_providers_are_listed_by_name_ignoring_case(administrator_client):
    ProviderFactory(operating_name="birch Primary")
    ProviderFactory(operating_name="Ash Tree SCITT")
    ProviderFactory(operating_name="Cedar Academy")

    response = administrator_client.get(LIST_URL)

    assert listed_names(response) == ["Ash Tree SCITT", "birch Primary", "Cedar Academy"]


def test_each_provider_shows_its_columns_and_links_to_its_page(administrator_client):
    provider = AccreditedProviderFactory(operating_name="Ash Tree SCITT", code="1AB", ukprn="10012345", urn="123456")
    HeiProviderFactory(operating_name="Birch University", ukprn="", urn="", code="2CD")

    response = administrator_client.get(LIST_URL)

    assert f'href="{provider_url("change", provider.pk)}"' in response.content.decode()
    assert table_headers(response) == [*COLUMNS, "Actions"]
    page = text(response)
    assert (
        "Ash Tree SCITT 1AB 10012345 123456 School-centred initial teacher training (SCITT) Accredited "
        "Change Ash Tree SCITT" in page
    )
    # A gap an import left is there to see, the same way in each column.
    assert "Birch University 2CD Not entered Not entered Higher education institution (HEI) Not accredited" in page


def test_each_cell_is_labelled_by_its_column_for_narrow_screens(administrator_client):
    ProviderFactory(operating_name="Ash Tree School")

    html = administrator_client.get(LIST_URL).content.decode()

    labels = re.findall(r'<t[hd] (?:scope="row" )?class="app-table__cell" data-label="([^"]*)"', html)
    assert labels == [*COLUMNS, "Actions"]


def test_what_a_provider_was_given_is_shown_as_text_never_as_markup(administrator_client):
    ProviderFactory(operating_name="Ash & Oak <b>Trust</b>", code="1AB")

    html = administrator_client.get(LIST_URL).content.decode()

    assert "<b>Trust</b>" not in html
    assert html.count("Ash &amp; Oak &lt;b&gt;Trust&lt;/b&gt;") == 2  # the link to it, and its Change link


def test_archived_providers_are_hidden_unless_asked_for(administrator_client):
    ProviderFactory(operating_name="Ash Tree SCITT")
    ArchivedProviderFactory(operating_name="Old School")

    hidden = administrator_client.get(LIST_URL)
    shown = administrator_client.get(LIST_URL, {"archived": "yes"})

    assert listed_names(hidden) == ["Ash Tree SCITT"]
    assert "Providers (1)" in text(hidden)
    assert listed_names(shown) == ["Ash Tree SCITT", "Old School"]
    assert "Not accredited Archived" in text(shown)


def test_deleted_providers_are_never_listed(administrator_client):
    ProviderFactory(operating_name="Gone School", archived=True, deleted=True)

    response = administrator_client.get(LIST_URL, {"archived": "yes", "q": "Gone"})

    assert listed_names(response) == []


@pytest.mark.parametrize("query", ["ash tree", "1AB", "1ab", "1A", "10012345", "1001", "123456", "1234"])
def test_search_by_name_code_ukprn_or_urn(administrator_client, query):
    ProviderFactory(operating_name="Ash Tree Teaching School", code="1AB", ukprn="10012345", urn="123456")
    ProviderFactory(operating_name="Birch Primary", code="9ZZ", ukprn="10099999", urn="999999")

    response = administrator_client.get(LIST_URL, {"q": query})

    assert listed_names(response) == ["Ash Tree Teaching School"]


def test_search_never_matches_the_middle_of_a_number(administrator_client):
    ProviderFactory(operating_name="Ash Tree Teaching School", code="1AB", ukprn="10012345", urn="123456")

    response = administrator_client.get(LIST_URL, {"q": "2345"})

    assert listed_names(response) == []


def test_filter_by_provider_type_where_school_includes_scitts(administrator_client):
    HeiProviderFactory(operating_name="Birch University")
    ProviderFactory(operating_name="Cedar School")
    AccreditedProviderFactory(operating_name="Ash Tree SCITT")

    schools = administrator_client.get(LIST_URL, {"provider_type": "school"})
    heis = administrator_client.get(LIST_URL, {"provider_type": "hei"})
    both = administrator_client.get(f"{LIST_URL}?provider_type=hei&provider_type=school")

    assert listed_names(schools) == ["Ash Tree SCITT", "Cedar School"]
    assert listed_names(heis) == ["Birch University"]
    assert len(listed_names(both)) == 3


def test_the_filters_show_the_choices_made(administrator_client):
    ProviderFactory()

    response = administrator_client.get(f"{LIST_URL}?provider_type=hei&provider_type=other&archived=yes")

    boxes = re.findall(
        r'<input class="app-radios__input" type="checkbox" name="(\w+)" value="(\w+)" id="([\w-]+)"( checked)?>',
        response.content.decode(),
    )
    ticked = {(name, value) for name, value, _, checked in boxes if checked}
    assert ticked == {("provider_type", "hei"), ("provider_type", "other"), ("archived", "yes")}
    assert ("provider_type", "school", "filter-provider_type-1", "") in boxes
    assert len(boxes) == 3 + 2 + len(academic_year_choices()) + 1


class TestAppliedFilters:
    """Each choice in use is a tag that removes it, under its filter's name, with Clear filters."""

    def test_each_choice_is_a_tag_that_removes_it(self, administrator_client):
        ProviderFactory()

        response = administrator_client.get(f"{LIST_URL}?q=ash&provider_type=hei&provider_type=other&archived=yes")

        html = response.content.decode()
        tags = re.findall(
            r'<a class="app-filter__tag" href="([^"]*)"><span class="app-visually-hidden">Remove this filter </span>'
            r"(.*?)</a>",
            html,
        )
        assert [label for _, label in tags] == ["HEI", "Other", "Include archived providers"]
        removes = {label: href.replace("&amp;", "&") for href, label in tags}
        assert removes["HEI"] == f"{LIST_URL}?q=ash&provider_type=other&archived=yes"
        assert removes["Include archived providers"] == f"{LIST_URL}?q=ash&provider_type=hei&provider_type=other"
        assert (
            "Selected filters Provider type Remove this filter HEI Remove this filter Other "
            "Archived providers Remove this filter Include archived providers Clear filters"
        ) in text(response)

    def test_clear_filters_keeps_the_search(self, administrator_client):
        ProviderFactory()

        response = administrator_client.get(LIST_URL, {"q": "ash", "provider_type": "hei"})

        assert f'<a class="app-link" href="{LIST_URL}?q=ash">Clear filters</a>' in response.content.decode()

    def test_nothing_chosen_shows_no_tags(self, administrator_client):
        ProviderFactory()

        response = administrator_client.get(LIST_URL)

        assert "Selected filters" not in text(response)
        assert "Clear filters" not in text(response)

    def test_the_filters_are_checkboxes_in_fieldsets_named_by_their_legends(self, administrator_client):
        response = administrator_client.get(LIST_URL)

        legends = re.findall(r'<legend class="app-label">(.*?)</legend>', response.content.decode())
        assert legends == ["Provider type", "Accreditation status", "Academic year", "Archived providers"]
        assert "Include archived providers" in text(response)


@pytest.mark.parametrize(
    "query",
    [
        {"import_notes__icontains": "x"},
        {"dfe_sign_in_uid__startswith": ""},
        {"provider_type__exact": "hei"},
        {"provider_type": "castle", "academic_year": "nineteen"},
    ],
)
def test_only_the_filters_offered_are_read(administrator_client, query):
    ProviderFactory(operating_name="Ash School")
    HeiProviderFactory(operating_name="Birch University", import_notes=[{"field": "ukprn", "note": "x"}])

    response = administrator_client.get(LIST_URL, query)

    assert response.status_code == 200
    assert listed_names(response) == ["Ash School", "Birch University"]
    assert "Selected filters" not in text(response)


def test_filter_by_accreditation_status(administrator_client):
    AccreditedHeiProviderFactory(operating_name="Ash University")
    ProviderFactory(operating_name="Cedar School")

    accredited = administrator_client.get(LIST_URL, {"accreditation_status": "accredited"})
    unaccredited = administrator_client.get(LIST_URL, {"accreditation_status": "unaccredited"})

    assert listed_names(accredited) == ["Ash University"]
    assert listed_names(unaccredited) == ["Cedar School"]


def test_filter_by_active_academic_year(administrator_client):
    current = AcademicYear.current_start_year()
    ProviderFactory(operating_name="Ash School", academic_years=[current - 2])
    ProviderFactory(operating_name="Birch School", academic_years=[current - 2, current])
    ProviderFactory(operating_name="Cedar School", academic_years=[current])

    response = administrator_client.get(LIST_URL, {"academic_year": str(current - 2)})

    assert listed_names(response) == ["Ash School", "Birch School"]
    assert f"{current} to {current + 1} - current" in text(response)


def test_filters_combine_with_search(administrator_client):
    ProviderFactory(operating_name="Ash School")
    HeiProviderFactory(operating_name="Ash University")

    response = administrator_client.get(LIST_URL, {"q": "ash", "provider_type": "hei"})

    assert listed_names(response) == ["Ash University"]


def test_list_is_paginated_beyond_25_providers(administrator_client):
    ProviderFactory.create_batch(30)

    first = administrator_client.get(LIST_URL)
    second = administrator_client.get(LIST_URL, {"page": 2})

    assert len(listed_names(first)) == 25
    assert len(listed_names(second)) == 5
    assert "Providers (30)" in text(second)
    assert administrator_client.get(LIST_URL, {"page": 3}).status_code == 404


def test_support_viewer_reads_the_list_without_add_or_change(viewer_client):
    ProviderFactory(operating_name="Ash School")

    response = viewer_client.get(LIST_URL)

    assert response.status_code == 200
    assert listed_names(response) == ["Ash School"]
    assert "Add provider" not in text(response)
    # No column of nothing: the Change links' column is there only for those who may change a provider.
    assert table_headers(response) == COLUMNS
    assert "Actions" not in text(response)
    assert ">Change<" not in response.content.decode()


def test_the_navigation_offers_providers_to_those_who_read_the_register(viewer_client, auditor_client):
    assert f'href="{LIST_URL}"' in viewer_client.get(reverse("your-account")).content.decode()
    assert f'href="{LIST_URL}"' not in auditor_client.get(reverse("your-account")).content.decode()
    assert auditor_client.get(LIST_URL).status_code == 403


def test_someone_who_may_change_one_provider_sees_all_but_change_only_that_one():
    mine = ProviderFactory(operating_name="Ash School")
    ProviderFactory(operating_name="Birch School")
    person = SupportViewerFactory()
    assign_perm("registry.change_provider", person, mine)

    response = signed_in(person).get(LIST_URL)

    assert listed_names(response) == ["Ash School", "Birch School"]
    html = response.content.decode()
    assert f'href="{provider_url("edit", mine.pk)}?new"' in html
    assert html.count(">Change<") == 1
    assert table_headers(response) == [*COLUMNS, "Actions"]
    # Not on this page: no column.
    assert table_headers(signed_in(person).get(LIST_URL, {"q": "birch"})) == COLUMNS


def _count_queries(client, query=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST_URL, query or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("actor", ["administrator", "viewer"])
def test_query_count_does_not_grow_with_the_number_of_providers(request, actor):
    client = request.getfixturevalue(f"{actor}_client")
    client.get(LIST_URL)  # the session is cached after its first request
    ProviderFactory.create_batch(30)
    with_30 = _count_queries(client)

    ProviderFactory.create_batch(270, academic_years=[])
    with_300 = _count_queries(client)
    again = _count_queries(client)

    # The signed-in user, the page of 25 and the count for the heading; for someone without the
    # right to change every provider, one more for what they may change on the page.
    assert with_30 == with_300 == {"administrator": 3, "viewer": 4}[actor]
    # Nothing has changed since: the count is known.
    assert again == with_300 - 1


def test_query_count_with_filters_and_search_stays_the_same(administrator_client):
    administrator_client.get(LIST_URL)
    ProviderFactory.create_batch(30, provider_type="school", academic_years=[2024])
    query = {"q": "Provider", "provider_type": "school", "academic_year": "2024"}

    first = _count_queries(administrator_client, query)
    again = _count_queries(administrator_client, query)

    assert (first, again) == (3, 2)


def test_a_list_shorter_than_a_page_is_counted_from_its_rows(administrator_client):
    administrator_client.get(LIST_URL)
    ProviderFactory.create_batch(3, operating_name="Ash Tree School")
    ProviderFactory.create_batch(30)

    with CaptureQueriesContext(connection) as queries:
        response = administrator_client.get(LIST_URL, {"q": "ash tree"})

    # The signed-in user and the page: no count.
    assert len(queries) == 2
    assert "Providers (3)" in text(response)


def _add_provider(client, name, code):
    client.get(f"{provider_url('add')}?new")
    for step, answers in [
        ("add", {"accreditation_status": "unaccredited"}),
        ("add_type", {"provider_type": "school"}),
        ("add_details", {"operating_name": name, "ukprn": "10012345", "urn": "123456", "code": code}),
    ]:
        assert client.post(provider_url(step), answers).status_code == 302
    assert client.post(provider_url("add_check")).status_code == 302


@pytest.mark.parametrize("others", [0, 30], ids=["on one page", "on several pages"])
def test_the_heading_counts_right_after_a_provider_is_added_or_archived(administrator_client, others):
    ProviderFactory.create_batch(others)
    ash = ProviderFactory(operating_name="Ash Tree School")
    assert f"Providers ({others + 1})" in text(administrator_client.get(LIST_URL))
    assert "Providers (1)" in text(administrator_client.get(LIST_URL, {"q": "tree"}))

    _add_provider(administrator_client, "Birch Tree School", "1BT")

    assert f"Providers ({others + 2})" in text(administrator_client.get(LIST_URL))
    assert "Providers (2)" in text(administrator_client.get(LIST_URL, {"q": "tree"}))

    assert administrator_client.post(provider_url("archive", ash.pk)).status_code == 302

    assert f"Providers ({others + 1})" in text(administrator_client.get(LIST_URL))
    assert "Providers (1)" in text(administrator_client.get(LIST_URL, {"q": "tree"}))
    assert f"Providers ({others + 2})" in text(administrator_client.get(LIST_URL, {"archived": "yes"}))


def test_the_count_is_of_the_list_shown(administrator_client):
    HeiProviderFactory.create_batch(27)
    ProviderFactory.create_batch(28)

    counts = {
        query: text(administrator_client.get(f"{LIST_URL}?{query}")).split("Providers (")[1].split(")")[0]
        for query in ["", "provider_type=hei", "provider_type=school", "provider_type=school&provider_type=hei"]
    }
    # Asked again, in another order: the same lists, the same counts.
    again = text(administrator_client.get(f"{LIST_URL}?provider_type=hei&provider_type=school&provider_type=hei"))

    assert counts == {
        "": "55",
        "provider_type=hei": "27",
        "provider_type=school": "28",
        "provider_type=school&provider_type=hei": "55",
    }
    assert "Providers (55)" in again
