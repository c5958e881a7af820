"""The providers list: its heading and Add provider, its columns, the order and which providers it
shows, its pages, and what each reader may do from it (a viewer reads it; Change only where allowed)."""

import re

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from tests.factories import (
    AccreditedProviderFactory,
    ArchivedProviderFactory,
    HeiProviderFactory,
    ProviderFactory,
    SupportViewerFactory,
)
from tests.registry.admin.conftest import listed_names, provider_url, signed_in, table_headers
from tests.support.html import page_title, text

LIST_URL = provider_url("changelist")

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
