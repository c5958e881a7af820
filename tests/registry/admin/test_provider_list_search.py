"""Searching and filtering the providers list: by name, code, UKPRN or URN; by type, accreditation and
academic year; the choices in use shown as tags that remove them; only the filters offered are read."""

import re

import pytest

from registry.forms.base import academic_year_choices
from registry.models import AcademicYear
from tests.factories import AccreditedHeiProviderFactory, AccreditedProviderFactory, HeiProviderFactory, ProviderFactory
from tests.registry.admin.conftest import listed_names, provider_url
from tests.support.html import text

LIST_URL = provider_url("changelist")

pytestmark = pytest.mark.django_db


def test_a_search_that_finds_nothing_says_so_once_and_offers_to_clear_it(administrator_client):
    ProviderFactory(operating_name="Birch Primary")
    response = administrator_client.get(LIST_URL, {"q": "Rowan"})

    assert "Providers (0)" in text(response)
    assert text(response).count("There are no providers matching your search.") == 1
    assert f'<a class="app-link" href="{LIST_URL}">Clear search</a>' in response.content.decode()


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


def test_filters_combine_with_search(administrator_client):
    ProviderFactory(operating_name="Ash School")
    HeiProviderFactory(operating_name="Ash University")

    response = administrator_client.get(LIST_URL, {"q": "ash", "provider_type": "hei"})

    assert listed_names(response) == ["Ash University"]


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
