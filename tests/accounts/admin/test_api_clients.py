import pytest
from django.test import Client
from django.urls import reverse

from accounts.forms_api_clients import ApiClientForm
from accounts.models import ApiClient, ApiToken, Session
from tests.factories import ApiUserFactory, SupportViewerFactory
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:accounts_apiclient_add")
CHECK_URL = reverse("admin:accounts_apiclient_add_check")
LIST_URL = reverse("admin:accounts_apiclient_changelist")


@pytest.fixture
def api_user():
    return ApiUserFactory(first_name="Ahmed", last_name="Ali", email="ahmed.ali@education.gov.uk")


def _api_status(token):
    return Client().get("/api/v1/info", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def _add(client, api_user, name="Timetabling system"):
    client.post(ADD_URL, {"owner": str(api_user.pk), "name": name})
    return client.post(CHECK_URL, follow=True)


def test_administrator_adds_a_client_and_sees_its_token_once(administrator_client, api_user):
    administrator_client.post(ADD_URL, {"owner": str(api_user.pk), "name": "Timetabling system"})

    check = administrator_client.get(CHECK_URL)
    assert page_title(check) == "Check your answers - Add API client - Register of training providers"
    assert "API user Ahmed Ali (ahmed.ali@education.gov.uk)" in text(check)

    response = administrator_client.post(CHECK_URL)

    client = ApiClient.objects.get(owner=api_user)
    assert client.name == "Timetabling system"
    token = response.context["token"]
    assert "API client added" in text(response)
    assert "it cannot be viewed again" in text(response)
    assert _api_status(token) == 200
    assert "no-store" in response["Cache-Control"]
    # Shown once: the client's page, the list and the database never hold it.
    detail = administrator_client.get(reverse("admin:accounts_apiclient_change", args=[client.pk]))
    assert "Timetabling system" in text(detail)
    assert token not in detail.content.decode()
    assert token not in administrator_client.get(LIST_URL).content.decode()
    assert all(token not in str(session.get_decoded()) for session in Session.objects.all())
    assert token not in str(list(ApiToken.objects.values()))


def test_missing_answers_are_errors(administrator_client):
    response = administrator_client.post(ADD_URL, {})

    assert response.context["form"].errors == {
        "owner": [ApiClientForm.error_messages["owner_required"]],
        "name": [ApiClientForm.error_messages["name_required"]],
    }


def test_support_users_cannot_own_clients(administrator_client, administrator):
    response = administrator_client.post(ADD_URL, {"owner": str(administrator.pk), "name": "Mine"})

    assert response.context["form"].errors["owner"] == [ApiClientForm.error_messages["owner_required"]]


def test_revoking_stops_every_token_at_once(administrator_client, api_user):
    token = _add(administrator_client, api_user).context["token"]
    client = ApiClient.objects.get(owner=api_user)

    confirm = administrator_client.get(reverse("admin:accounts_apiclient_revoke", args=[client.pk]))
    response = administrator_client.post(reverse("admin:accounts_apiclient_revoke", args=[client.pk]), follow=True)

    assert "Revoking an API client is permanent – you cannot undo it." in text(confirm)
    assert "API client revoked" in text(response)
    assert _api_status(token) == 401
    client.refresh_from_db()
    assert client.deleted_at is not None
    assert "Timetabling system" not in text(administrator_client.get(LIST_URL))


def test_list_shows_every_api_users_clients(administrator_client, api_user):
    _add(administrator_client, api_user)
    _add(administrator_client, ApiUserFactory(first_name="Farrah", last_name="Al-Farsi"), name="Census loader")

    page = text(administrator_client.get(LIST_URL))

    assert "Timetabling system" in page
    assert "Census loader" in page


def test_support_viewer_may_not_manage_clients(client, api_user):
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    assert client.get(LIST_URL).status_code == 403
    assert client.post(ADD_URL, {"owner": str(api_user.pk), "name": "X"}).status_code == 403
    assert not ApiClient.objects.exists()
