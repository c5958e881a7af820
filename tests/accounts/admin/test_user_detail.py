import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.api_clients.services import api_client_create
from tests.accounts.admin.support import template_names
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    SupportAdministratorFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db


def _url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def _edit_links(response):
    return [row["field"] for row in response.context["rows"] if row["change_url"]]


def _links(response):
    return [link["label"] for link in response.context["links"]]


def test_details_are_summarised_without_personal_data_in_the_title(administrator_client):
    user = UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")

    response = administrator_client.get(_url(user))

    assert page_title(response) == "View user - Register of training providers"
    assert "pages/summary.html" in template_names(response)
    page = text(response)
    assert "User Mary Lawson Active" in page  # caption, heading and status tag
    for answer in (
        "First name Mary",
        "Last name Lawson",
        "Email address mary.lawson@education.gov.uk",
        "Is the account an API user? No",
        "Is the account active? Yes",
        "Role No role",
    ):
        assert answer in page
    assert "User has never signed in" in page
    assert "Delete user" in page


def test_change_links_keep_the_question_as_written_and_go_to_its_answer(administrator_client):
    user = UserFactory()
    edit_url = reverse("admin:accounts_user_edit", args=[user.pk])

    page = administrator_client.get(_url(user)).content.decode()

    assert 'Change<span class="app-visually-hidden"> Is the account an API user?</span>' in page
    assert f'href="{edit_url}?new#is_api_user"' in page
    assert f'href="{edit_url}?new#role"' in page


def test_before_first_sign_in_every_answer_can_change(administrator_client):
    user = UserFactory()

    response = administrator_client.get(_url(user))

    assert _edit_links(response) == ["first_name", "last_name", "email", "is_api_user", "is_active", "role"]


def test_after_first_sign_in_only_api_user_and_active_can_change(administrator_client):
    signed_in_at = timezone.make_aware(datetime.datetime(2025, 12, 11, 14, 13))
    user = UserFactory(last_signed_in_at=signed_in_at)

    response = administrator_client.get(_url(user))

    assert _edit_links(response) == ["is_api_user", "is_active", "role"]
    assert "Last signed in at 11 December 2025 at 2:13pm" in text(response)


def test_own_account_has_no_change_or_delete_links(administrator_client, administrator):
    response = administrator_client.get(_url(administrator))

    assert _edit_links(response) == []
    assert "Delete user" not in _links(response)


def test_support_viewer_sees_details_but_no_change_delete_or_history(client):
    user = UserFactory()
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    response = client.get(_url(user))

    assert response.status_code == 200
    assert _edit_links(response) == []
    assert _links(response) == []


def test_history_is_linked_for_whoever_may_read_it(administrator_client):
    user = UserFactory()

    response = administrator_client.get(_url(user))

    assert "View history" in _links(response)
    assert f'href="{reverse("admin:accounts_user_history", args=[user.pk])}"' in response.content.decode()


def test_deleted_user_is_not_found(administrator_client):
    user = UserFactory(deleted=True)

    assert administrator_client.get(_url(user)).status_code == 404


def test_another_administrator_can_be_managed(administrator_client):
    colleague = SupportAdministratorFactory()

    response = administrator_client.get(_url(colleague))

    assert "is_active" in _edit_links(response)


def test_auditor_may_not_see_a_user(client):
    client.force_login(AuditorFactory(), backend="accounts.backends.ServiceAccountBackend")

    assert client.get(_url(UserFactory())).status_code == 403


class TestApiUser:
    def test_an_api_user_has_no_role_and_their_clients_are_listed_and_linked(self, administrator_client, administrator):
        api_user = ApiUserFactory(first_name="Ahmed", last_name="Ali")
        client, _ = api_client_create(actor=administrator, owner=api_user, name="Timetabling system")

        response = administrator_client.get(_url(api_user))

        page = response.content.decode()
        assert "Role" not in [row["label"] for row in response.context["rows"]]
        assert "API clients (1)" in text(response)
        assert f'href="{reverse("admin:accounts_apiclient_change", args=[client.pk])}"' in page
        assert "Timetabling system Active, expires" in text(response)
        clients_url = reverse("admin:accounts_apiclient_changelist") + f"?owner={api_user.pk}"
        assert f'href="{clients_url}"' in page
        assert f'href="{reverse("admin:accounts_apiclient_add")}?new&amp;owner={api_user.pk}"' in page

    def test_an_api_user_without_clients_says_so(self, administrator_client):
        response = administrator_client.get(_url(ApiUserFactory()))

        assert "API clients (0)" in text(response)
        assert "This user has no API clients" in text(response)

    def test_a_support_user_has_no_api_clients_section(self, administrator_client):
        assert "API clients (" not in text(administrator_client.get(_url(UserFactory())))
