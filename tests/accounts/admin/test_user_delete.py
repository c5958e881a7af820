import pytest
from django.urls import reverse

from accounts.models import Email, User
from tests.accounts.admin.support import template_names
from tests.factories import SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db


def _url(user):
    return reverse("admin:accounts_user_delete", args=[user.pk])


@pytest.fixture
def user():
    return UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")


def test_confirmation_page_warns_and_offers_cancel(administrator_client, user):
    response = administrator_client.get(_url(user))

    assert page_title(response) == "Confirm you want to delete user - Register of training providers"
    assert "pages/confirm.html" in template_names(response)
    page = text(response)
    assert "Delete user Confirm you want to delete Mary Lawson" in page  # caption and heading
    assert "Confirm you want to delete Mary Lawson" in page
    assert "Deleting a user is permanent – you cannot undo it." in page
    assert "Delete user" in page
    assert f'href="{reverse("admin:accounts_user_change", args=[user.pk])}"' in response.content.decode()
    assert User.objects.kept().filter(pk=user.pk).exists()


def test_delete_removes_user_from_the_service_and_tells_them(administrator_client, administrator, user):
    response = administrator_client.post(_url(user), follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:accounts_user_changelist")
    assert "Success User deleted" in text(response)
    assert "Mary Lawson" not in text(response)
    user.refresh_from_db()
    assert user.is_deleted
    assert not user.is_active
    email = Email.objects.get(user=user)
    assert (email.kind, email.to) == (Email.Kind.ACCOUNT_REMOVED, "mary.lawson@education.gov.uk")
    assert user.history.first().history_user == administrator


def test_deleted_user_cannot_be_deleted_again(administrator_client, user):
    administrator_client.post(_url(user))

    assert administrator_client.post(_url(user)).status_code == 404
    assert Email.objects.filter(user=user).count() == 1


def test_email_of_deleted_user_can_be_given_to_a_new_account(administrator_client, user):
    administrator_client.post(_url(user))

    newcomer = UserFactory(email="mary.lawson@education.gov.uk")

    assert newcomer.pk != user.pk


def test_nobody_deletes_their_own_account(administrator_client, administrator):
    assert administrator_client.get(_url(administrator)).status_code == 403
    assert administrator_client.post(_url(administrator)).status_code == 403
    administrator.refresh_from_db()
    assert not administrator.is_deleted


def test_support_viewer_cannot_delete(client, user):
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    assert client.post(_url(user)).status_code == 403
    user.refresh_from_db()
    assert not user.is_deleted


def test_a_get_changes_nothing(administrator_client, user):
    administrator_client.get(_url(user))

    user.refresh_from_db()
    assert not user.is_deleted
