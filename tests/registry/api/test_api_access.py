"""The API switch (accounts.api_access, registry.admin.api_access): support administrators turn the
API off and on without a deploy; while it is off every API request is answered 503, in the API's
JSON error shape, and the documentation and the service's pages stay up."""

import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts import api_access
from accounts.api_access import API_SWITCHED_OFF, API_SWITCHED_ON, api_access_switch
from accounts.models import ApiAccess, ApiToken
from tests.accounts.api_clients.fixtures import bearer
from tests.factories import AuditorFactory, SupportEditorFactory, SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db

PROVIDERS = "/api/v1/providers"
SWITCHED_OFF = {
    "errors": [{"error": "ServiceUnavailable", "message": "The API is switched off for now: try again later"}]
}


def _page():
    return reverse("api-access")


def _switch(client, answer: str):
    return client.post(_page(), {"is_on": answer}, follow=True)


def _off(response) -> None:
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == SWITCHED_OFF
    assert "no-store" in response["Cache-Control"]


# --- The API while it is off ----------------------------------------------------------------------------


def test_off_every_request_with_a_working_token_is_a_json_503_and_on_again_it_works(
    administrator, administrator_client, client, token
):
    api = Client()
    assert api.get(PROVIDERS, headers=bearer(token)).status_code == 200

    _switch(administrator_client, "off")

    _off(api.get(PROVIDERS, headers=bearer(token)))
    _off(api.get("/api/v1/info", headers=bearer(token)))
    _switch(administrator_client, "on")
    assert api.get(PROVIDERS, headers=bearer(token)).status_code == 200


def test_off_the_documentation_and_the_pages_stay_up(administrator, administrator_client, token):
    api_access_switch(actor=administrator, is_on=False)
    api = Client()

    assert api.get("/api/docs").status_code == 200
    assert api.get("/api/v1/openapi.json").status_code == 200
    assert administrator_client.get(reverse("admin:registry_provider_changelist")).status_code == 200
    _off(api.get(PROVIDERS, headers=bearer(token)))


def test_off_a_request_without_a_working_token_is_told_so_too_once_the_cache_knows(administrator, client, token):
    api_access_switch(actor=administrator, is_on=False)
    # Nothing has read the switch since: a refused request asks the cache only, so is refused as ever.
    assert client.get(PROVIDERS).status_code == 401

    _off(client.get(PROVIDERS, headers=bearer(token)))  # reads the switch, and the cache keeps it

    _off(client.get(PROVIDERS))
    _off(client.get(PROVIDERS, headers={"Authorization": "Bearer not-a-token"}))


def test_the_api_reads_the_switch_from_the_shared_cache_as_another_process_leaves_it(
    administrator, client, token, django_assert_num_queries
):
    assert client.get(PROVIDERS, headers=bearer(token)).status_code == 200  # the token and switch cached
    # Another process switched the API off: its commit wrote the shared cache. Nothing here is asked.
    cache.set(api_access.CACHE_KEY, api_access.OFF, timeout=None)

    with django_assert_num_queries(0):
        _off(client.get(PROVIDERS, headers=bearer(token)))


def test_a_switch_writes_the_cache_when_it_commits_and_a_rollback_leaves_the_api_as_it_was(
    administrator, client, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api_access_switch(actor=administrator, is_on=False)
    assert cache.get(api_access.CACHE_KEY) == api_access.OFF

    with django_capture_on_commit_callbacks(execute=True):
        api_access_switch(actor=administrator, is_on=True)
    assert cache.get(api_access.CACHE_KEY) == api_access.ON

    class RolledBack(Exception):
        pass

    def switch_then_fail():
        with transaction.atomic():
            api_access_switch(actor=administrator, is_on=False)
            raise RolledBack

    with pytest.raises(RolledBack):
        switch_then_fail()
    assert ApiAccess.load().is_on
    assert client.get(PROVIDERS, headers=bearer(token)).status_code == 200


def test_a_request_refused_while_off_is_not_recorded_as_the_tokens_use(administrator, client, token):
    api_access_switch(actor=administrator, is_on=False)
    _off(client.get(PROVIDERS, headers=bearer(token)))
    assert ApiToken.objects.get().last_used_at is None

    api_access_switch(actor=administrator, is_on=True)
    assert client.get(PROVIDERS, headers=bearer(token)).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


# --- The page, its history and its log ------------------------------------------------------------------


def test_the_page_says_whether_the_api_is_on_and_who_changed_it_last(administrator, administrator_client):
    page = administrator_client.get(_page())
    assert page_title(page) == "API access - Register of training providers"
    assert "API On Last changed Never changed" in text(page)
    assert page.context["form"]["is_on"].value() == "on"

    response = _switch(administrator_client, "off")

    assert response.redirect_chain[-1][0] == _page()
    assert "Success API switched off" in text(response)
    assert "API Off Last changed By Anne Wilson on" in text(response)
    assert response.context["form"]["is_on"].value() == "off"


def test_every_change_is_in_the_history_with_its_actor_and_on_activity(administrator, administrator_client):
    _switch(administrator_client, "off")
    _switch(administrator_client, "off")  # the same answer again changes nothing
    _switch(administrator_client, "on")

    rows = list(ApiAccess.history.order_by("history_id"))
    assert [(row.is_on, row.history_user, row.history_change_reason) for row in rows] == [
        (False, administrator, API_SWITCHED_OFF),
        (True, administrator, API_SWITCHED_ON),
    ]
    activity = text(administrator_client.get(reverse("activity")))
    assert "API access switched off" in activity
    assert "API access switched on" in activity
    assert f'href="{_page()}"' in administrator_client.get(reverse("activity")).content.decode()


def test_a_switch_is_logged_as_a_security_event_with_its_actor(
    administrator, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.INFO, logger="security"), django_capture_on_commit_callbacks(execute=True):
        api_access_switch(actor=administrator, is_on=False)

    [event] = [record for record in caplog.records if record.msg == "api_access_changed"]
    assert (event.outcome, event.actor_id, event.is_on) == ("success", str(administrator.pk), False)


def test_an_answer_is_needed(administrator_client):
    response = administrator_client.post(_page(), {})

    assert page_title(response) == "Error: API access - Register of training providers"
    assert response.context["form"].errors["is_on"] == ["Select if the API is on or off"]


@pytest.mark.parametrize(
    "factory",
    [SupportEditorFactory, SupportViewerFactory, AuditorFactory, UserFactory],
    ids=["editor", "viewer", "auditor", "no-role"],
)
def test_no_one_but_support_administrators_may_switch_the_api(factory, token):
    someone = factory()
    browser = Client()
    browser.force_login(someone, backend="accounts.backends.ServiceAccountBackend")

    assert browser.get(_page()).status_code == 403
    assert browser.post(_page(), {"is_on": "off"}).status_code == 403
    with pytest.raises(PermissionDenied):
        api_access_switch(actor=someone, is_on=False)
    assert ApiAccess.load().is_on
    assert Client().get(PROVIDERS, headers=bearer(token)).status_code == 200


def test_the_api_clients_list_says_whether_the_api_is_on_and_links_to_the_switch(administrator, administrator_client):
    clients_list = reverse("admin:accounts_apiclient_changelist")
    assert "The API is on. Change API access" in text(administrator_client.get(clients_list))

    api_access_switch(actor=administrator, is_on=False)

    response = administrator_client.get(clients_list)
    assert "The API is off: every API request is refused. Change API access" in text(response)
    assert f'href="{_page()}"' in response.content.decode()
