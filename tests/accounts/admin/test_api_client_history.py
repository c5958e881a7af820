"""An API client's history page: the changes to the client and to its tokens."""

import pytest
from django.urls import reverse

from accounts.api_clients.services import api_client_create, api_client_revoke
from tests.factories import ApiUserFactory, AuditorFactory, SupportViewerFactory
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"


def history_url(client) -> str:
    return reverse("admin:accounts_apiclient_history", args=[client.pk])


def entries(response) -> list[str]:
    return [text(item) for item in Page(response).all("li") if "app-history__entry" in (attribute(item, "class") or "")]


@pytest.fixture
def revoked_client(administrator):
    owner = ApiUserFactory(first_name="Ahmed", last_name="Ali")
    api_client, _ = api_client_create(actor=administrator, name="Nightly sync", owner=owner)
    return api_client_revoke(actor=administrator, client_id=api_client.pk)


def test_lists_the_client_and_its_tokens_newest_first(administrator_client, revoked_client):
    response = administrator_client.get(history_url(revoked_client))

    assert response.status_code == 200
    summaries = [entry.split(" By ")[0] for entry in entries(response)]
    assert summaries[0] == "API client revoked"
    assert "API client added" in summaries
    assert any(summary.startswith("API token created") for summary in summaries)
    assert any(summary.startswith("API token revoked") for summary in summaries)
    assert all(" By Anne Wilson on " in entry for entry in entries(response))


def test_the_title_names_the_kind_of_record_and_the_heading_the_client(administrator_client, revoked_client):
    page = Page(administrator_client.get(history_url(revoked_client)))

    assert page.title == "API client history - Register of training providers"
    assert text(page.one("h1")) == "Nightly sync"


def test_only_those_who_manage_api_clients_read_it(client, revoked_client):
    for user in (AuditorFactory(), SupportViewerFactory()):
        client.force_login(user, backend=BACKEND)
        assert client.get(history_url(revoked_client)).status_code == 403
