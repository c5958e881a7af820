"""Access given to a provider is recorded (history, Activity, the security log) and decides what they may do."""

import logging

import pytest
from django.urls import reverse

from tests.factories import (
    ProviderFactory,
)
from tests.registry.activity.support import entries as activity_entries
from tests.registry.admin.access.conftest import _give, history_entries
from tests.registry.admin.conftest import provider_url, signed_in
from tests.support.html import text

pytestmark = pytest.mark.django_db

ACTIVITY_URL = reverse("activity")


class TestRecorded:
    @pytest.fixture
    def given_and_removed(self, administrator_client, provider, person, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _give(administrator_client, provider, person)
            administrator_client.post(provider_url("access_give_check", provider.pk))
            administrator_client.post(provider_url("access_remove", provider.pk, person.pk))

    def test_in_the_activity(self, administrator_client, auditor_client, provider, given_and_removed):
        response = administrator_client.get(ACTIVITY_URL)
        auditor_page = auditor_client.get(ACTIVITY_URL)

        assert [entry.split(" at ")[0] for entry in activity_entries(response)[:2]] == [
            "Access removed from Mary Lawson: change this provider Ash Tree SCITT By Anne Wilson",
            "Access given to Mary Lawson: change this provider Ash Tree SCITT By Anne Wilson",
        ]
        assert f'href="{provider_url("change", provider.pk)}">Ash Tree SCITT</a>' in response.content.decode()
        # Auditors may not open the provider's page: the entry leads to its history.
        assert f'href="{provider_url("history", provider.pk)}">Ash Tree SCITT</a>' in auditor_page.content.decode()
        choices = dict(response.context["form"].fields["record_type"].choices)
        assert choices["registry.provideraccesschange"] == "Access"

    def test_in_the_activity_filtered_to_access_changes(self, administrator_client, given_and_removed):
        page = text(administrator_client.get(ACTIVITY_URL, {"record_type": "registry.provideraccesschange"}))

        assert "Access given to Mary Lawson" in page
        assert "Provider added" not in page

    def test_in_the_providers_history(self, administrator_client, provider, given_and_removed):
        other = ProviderFactory()
        response = administrator_client.get(provider_url("history", provider.pk))

        summaries = [entry.split(" By ")[0] for entry in history_entries(response)]
        assert summaries[:2] == [
            "Access removed from Mary Lawson: change this provider",
            "Access given to Mary Lawson: change this provider",
        ]
        assert "Access given" not in text(administrator_client.get(provider_url("history", other.pk)))


def test_in_the_security_log(
    administrator, administrator_client, provider, person, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.INFO, logger="security"), django_capture_on_commit_callbacks(execute=True):
        _give(administrator_client, provider, person)
        administrator_client.post(provider_url("access_give_check", provider.pk))
        administrator_client.post(provider_url("access_remove", provider.pk, person.pk))

    events = [record for record in caplog.records if record.name == "security" and record.msg.startswith("provider_")]
    assert [(event.msg, event.actor_id, event.target, event.user_id, event.access) for event in events] == [
        ("provider_access_granted", str(administrator.pk), str(provider.pk), str(person.pk), "change"),
        ("provider_access_removed", str(administrator.pk), str(provider.pk), str(person.pk), "change"),
    ]


class TestTheirAccess:
    """Given through the pages, access lets the person change that provider and nothing else."""

    @pytest.fixture
    def client(self, administrator_client, provider, person):
        _give(administrator_client, provider, person)
        administrator_client.post(provider_url("access_give_check", provider.pk))
        return signed_in(person)

    def test_they_change_that_provider_and_its_records(self, client, provider):
        assert client.get(provider_url("change", provider.pk)).status_code == 200
        assert client.get(f"{provider_url('edit', provider.pk)}?new").status_code == 200
        assert client.get(f"{provider_url('contact_add', provider.pk)}?new").status_code == 200

    def test_but_no_other(self, client):
        other = ProviderFactory()

        assert client.get(provider_url("change", other.pk)).status_code == 403
        assert client.get(f"{provider_url('edit', other.pk)}?new").status_code == 403
        assert client.get(provider_url("changelist")).status_code == 403
