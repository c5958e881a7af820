import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.admin.support import first_cells, list_rows, template_names
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    InactiveUserFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.support.html import page_title, text

LIST_URL = reverse("admin:accounts_user_changelist")

pytestmark = pytest.mark.django_db


def test_heading_counts_users_and_offers_add_user(administrator_client):
    UserFactory.create_batch(3)

    response = administrator_client.get(LIST_URL)

    assert page_title(response) == "Users - Register of training providers"
    assert "pages/list.html" in template_names(response)
    assert "Users (4)" in text(response)  # the three and the administrator
    page = response.content.decode()
    assert f'<a class="app-button" href="{reverse("admin:accounts_user_add")}?new">Add user</a>' in page
    # A labelled search box, with its hint.
    assert '<label class="app-label" for="list-search">Search users</label>' in page
    assert "Search by name or email address" in text(response)


def test_no_stock_changelist_is_shown(administrator_client):
    page = administrator_client.get(LIST_URL).content.decode()

    assert "result_list" not in page
    assert "action-checkbox" not in page
    assert "delete_selected" not in page


def test_users_are_listed_by_first_name_then_last_name(administrator_client):
    UserFactory(first_name="Zara", last_name="Ahmed")
    UserFactory(first_name="Bea", last_name="Young")
    UserFactory(first_name="Bea", last_name="Adams")

    response = administrator_client.get(LIST_URL)

    assert first_cells(response) == ["Anne Wilson", "Bea Adams", "Bea Young", "Zara Ahmed"]


def test_each_user_shows_name_link_email_and_status_tags(administrator_client):
    api_user = ApiUserFactory(first_name="Ahmed", last_name="Ali", email="ahmed.ali@education.gov.uk")
    inactive = InactiveUserFactory(first_name="Colin", last_name="Chapman")

    response = administrator_client.get(LIST_URL)

    page = response.content.decode()
    detail_url = reverse("admin:accounts_user_change", args=[api_user.pk])
    assert f'<a class="app-link" href="{detail_url}">Ahmed Ali</a>' in page
    assert "Ahmed Ali ahmed.ali@education.gov.uk Active API user" in list_rows(response)
    assert f"Colin Chapman {inactive.email} Inactive" in list_rows(response)
    # GOV.UK tags: green for active, grey for inactive, yellow for API users.
    assert '<strong class="app-tag app-tag--green">Active</strong>' in page
    assert '<strong class="app-tag app-tag--grey">Inactive</strong>' in page
    assert '<strong class="app-tag app-tag--yellow">API user</strong>' in page


def test_deleted_users_are_not_listed(administrator_client):
    UserFactory(first_name="Marla", last_name="Signer", deleted=True)

    response = administrator_client.get(LIST_URL)

    assert "Marla Signer" not in text(response)
    assert "Users (1)" in text(response)


def test_list_is_paginated_beyond_25_users(administrator_client):
    UserFactory.create_batch(30)

    first = administrator_client.get(LIST_URL)
    second = administrator_client.get(LIST_URL, {"page": 2})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 6
    assert "Users (31)" in text(first)
    assert 'aria-label="Page 2"' in first.content.decode()


@pytest.mark.parametrize("query", ["ahmed", "Ali", "AHMED.ALI@education", "Ahmed Ali"])
def test_search_by_name_or_email(administrator_client, query):
    ApiUserFactory(first_name="Ahmed", last_name="Ali", email="ahmed.ali@education.gov.uk")
    UserFactory(first_name="Farrah", last_name="Al-Farsi")

    response = administrator_client.get(LIST_URL, {"q": query})

    assert first_cells(response) == ["Ahmed Ali"]
    assert "Users (1)" in text(response)


def test_a_search_that_finds_no_one_says_so(administrator_client):
    response = administrator_client.get(LIST_URL, {"q": "nobody"})

    assert "There are no users matching your search." in text(response)
    assert "Clear search" in text(response)


@pytest.mark.parametrize("query", ["dfe_sign_in_uid__startswith=x", "is_superuser__exact=1", "o=-1", "e=1"])
def test_only_offered_filters_are_read_from_the_address(administrator_client, query):
    UserFactory(dfe_sign_in_uid="abc")

    response = administrator_client.get(f"{LIST_URL}?{query}")

    assert response.status_code == 200
    assert "Users (2)" in text(response)


def test_support_viewer_sees_the_list_without_add_user(client):
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert "Add user" not in text(response)


def test_auditor_may_not_see_the_list(client):
    client.force_login(AuditorFactory(), backend="accounts.backends.ServiceAccountBackend")

    assert client.get(LIST_URL).status_code == 403


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST_URL).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_users(administrator_client):
    administrator_client.get(LIST_URL)  # the session is cached after its first request
    UserFactory.create_batch(30)
    with_30 = _count_queries(administrator_client)

    UserFactory.create_batch(300, is_api_user=True, is_staff=False)
    with_330 = _count_queries(administrator_client)

    # The signed-in user, the count for the heading and the page of 25; permissions cost nothing.
    assert with_30 == with_330 == 3
