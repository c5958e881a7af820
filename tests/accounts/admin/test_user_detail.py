import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SupportAdministratorFactory, SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db


def _url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def _edit_links(response):
    return [row["field"] for row in response.context["rows"] if row["change_url"]]


def test_details_are_summarised_without_personal_data_in_the_title(administrator_client):
    user = UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")

    response = administrator_client.get(_url(user))

    assert page_title(response) == "View user - Register of training providers"
    page = text(response)
    assert "Mary Lawson" in page
    for answer in (
        "First name Mary",
        "Last name Lawson",
        "Email address mary.lawson@education.gov.uk",
        "Is the account an API user? No",
        "Is the account active? Yes",
    ):
        assert answer in page
    assert "User has never signed in" in page
    assert "Delete user" in page


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
    assert "Delete user" not in text(response)


def test_support_viewer_sees_details_but_no_change_or_delete(client):
    user = UserFactory()
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    response = client.get(_url(user))

    assert response.status_code == 200
    assert _edit_links(response) == []
    assert "Delete user" not in text(response)


def test_deleted_user_is_not_found(administrator_client):
    user = UserFactory(deleted=True)

    assert administrator_client.get(_url(user)).status_code == 404


def test_another_administrator_can_be_managed(administrator_client):
    colleague = SupportAdministratorFactory()

    response = administrator_client.get(_url(colleague))

    assert "is_active" in _edit_links(response)
