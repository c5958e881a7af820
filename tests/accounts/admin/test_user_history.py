import pytest
from django.urls import reverse

from accounts.services import user_update
from tests.factories import AuditorFactory, SupportViewerFactory, UserFactory
from tests.support.html import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_user(administrator):
    user = UserFactory(first_name="Mary", last_name="Lawson")
    user_update(actor=administrator, user_id=user.pk, changes={"is_active": False}, seen_updated_at=user.updated_at)
    return user


def test_user_page_links_to_history_that_names_who_changed_what(administrator_client, changed_user):
    history_url = reverse("admin:accounts_user_history", args=[changed_user.pk])

    detail = administrator_client.get(reverse("admin:accounts_user_change", args=[changed_user.pk]))
    response = administrator_client.get(history_url)

    assert f'href="{history_url}"' in detail.content.decode()
    assert response.status_code == 200
    assert "Anne Wilson" in text(response)
    assert "Is the account active?" in text(response)


def test_history_never_changes_anything_back(administrator_client, changed_user):
    record = changed_user.history.last()
    url = reverse("admin:accounts_user_simple_history", args=[changed_user.pk, record.history_id])

    response = administrator_client.post(url, {"first_name": "Changed", "is_active": "on", "_continue": "1"})

    assert response.status_code == 403
    changed_user.refresh_from_db()
    assert (changed_user.first_name, changed_user.is_active) == ("Mary", False)


def test_auditor_reads_history(client, changed_user):
    client.force_login(AuditorFactory(), backend="accounts.backends.ServiceAccountBackend")

    response = client.get(reverse("admin:accounts_user_history", args=[changed_user.pk]))

    assert response.status_code == 200


def test_support_viewer_cannot_read_history(client, changed_user):
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    response = client.get(reverse("admin:accounts_user_history", args=[changed_user.pk]))

    assert response.status_code == 403
