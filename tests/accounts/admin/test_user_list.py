import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ApiUserFactory, InactiveUserFactory, SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

LIST_URL = reverse("admin:accounts_user_changelist")

pytestmark = pytest.mark.django_db


def _names(response):
    return [user.full_name for user in response.context["cl"].result_list]


def test_heading_counts_users_and_offers_add_user(administrator_client):
    UserFactory.create_batch(3)

    response = administrator_client.get(LIST_URL)

    assert page_title(response) == "Users - Register of training providers"
    assert "Users (4)" in text(response)  # the three and the administrator
    assert f'href="{reverse("admin:accounts_user_add")}"' in response.content.decode()
    assert "Add user" in text(response)


def test_users_are_listed_by_first_name_then_last_name(administrator_client):
    UserFactory(first_name="Zara", last_name="Ahmed")
    UserFactory(first_name="Bea", last_name="Young")
    UserFactory(first_name="Bea", last_name="Adams")

    response = administrator_client.get(LIST_URL)

    assert _names(response) == ["Anne Wilson", "Bea Adams", "Bea Young", "Zara Ahmed"]


def test_each_user_shows_name_link_email_and_status_tags(administrator_client):
    api_user = ApiUserFactory(first_name="Ahmed", last_name="Ali", email="ahmed.ali@education.gov.uk")
    inactive = InactiveUserFactory(first_name="Colin", last_name="Chapman")

    response = administrator_client.get(LIST_URL)

    assert f'href="{reverse("admin:accounts_user_change", args=[api_user.pk])}"' in response.content.decode()
    assert "Ahmed Ali ahmed.ali@education.gov.uk Active API user" in text(response)
    assert f"Colin Chapman {inactive.email} Inactive" in text(response)


def test_deleted_users_are_not_listed(administrator_client):
    UserFactory(first_name="Marla", last_name="Signer", deleted=True)

    response = administrator_client.get(LIST_URL)

    assert "Marla Signer" not in text(response)
    assert "Users (1)" in text(response)


def test_list_is_paginated_beyond_25_users(administrator_client):
    UserFactory.create_batch(30)

    first = administrator_client.get(LIST_URL)
    second = administrator_client.get(LIST_URL, {"p": 2})

    assert len(first.context["cl"].result_list) == 25
    assert len(second.context["cl"].result_list) == 6
    assert "Users (31)" in text(first)


@pytest.mark.parametrize("query", ["ahmed", "Ali", "AHMED.ALI@education", "Ahmed Ali"])
def test_search_by_name_or_email(administrator_client, query):
    ApiUserFactory(first_name="Ahmed", last_name="Ali", email="ahmed.ali@education.gov.uk")
    UserFactory(first_name="Farrah", last_name="Al-Farsi")

    response = administrator_client.get(LIST_URL, {"q": query})

    assert _names(response) == ["Ahmed Ali"]


def test_bulk_delete_action_is_not_offered(administrator_client):
    response = administrator_client.get(LIST_URL)

    assert "delete_selected" not in response.content.decode()
    assert not response.context["cl"].model_admin.get_actions(response.wsgi_request)


def test_support_viewer_sees_the_list_without_add_user(client):
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert "Add user" not in text(response)


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
