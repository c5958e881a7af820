import pytest

from registry.models import Provider
from tests.factories import ArchivedProviderFactory, ContactFactory, PartnershipFactory, ProviderFactory
from tests.registry.admin.conftest import provider_url
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return ProviderFactory(operating_name="Ash Tree School")


@pytest.fixture
def archived():
    return ArchivedProviderFactory(operating_name="Old School")


def test_archive_confirmation_says_what_archiving_does(administrator_client, provider):
    response = administrator_client.get(provider_url("archive", provider.pk))

    assert page_title(response) == "Confirm you want to archive provider - Register of training providers"
    page = text(response)
    assert "Archive provider Confirm you want to archive Ash Tree School" in page
    assert "After archiving the provider, you will not be able to make changes to it." in page
    assert "You can restore the provider at any time." in page
    assert f'href="{provider_url("change", provider.pk)}">Cancel' in response.content.decode()


def test_archive_makes_the_provider_read_only(administrator_client, administrator, provider):
    response = administrator_client.post(provider_url("archive", provider.pk), follow=True)

    assert response.redirect_chain[-1][0] == provider_url("change", provider.pk)
    assert "Provider archived" in text(response)
    provider.refresh_from_db()
    assert provider.is_archived
    assert provider.history.first().history_user == administrator
    # Nothing about it changes now.
    assert administrator_client.get(f"{provider_url('edit', provider.pk)}?new").status_code == 403
    assert administrator_client.get(f"{provider_url('contact_add', provider.pk)}?new").status_code == 403
    assert administrator_client.get(provider_url("archive", provider.pk)).status_code == 403


def test_archived_records_cannot_change_either(administrator_client, archived):
    contact = ContactFactory(provider=archived)

    assert administrator_client.get(f"{provider_url('contact_edit', archived.pk, contact.pk)}?new").status_code == 403
    assert administrator_client.post(provider_url("contact_delete", archived.pk, contact.pk)).status_code == 403
    contact.refresh_from_db()
    assert not contact.is_deleted


def test_restore(administrator_client, archived):
    confirmation = administrator_client.get(provider_url("restore", archived.pk))
    assert page_title(confirmation) == "Confirm you want to restore provider - Register of training providers"
    assert "Confirm you want to restore Old School" in text(confirmation)
    assert "After restoring the provider, you will be able to make changes to it." in text(confirmation)

    response = administrator_client.post(provider_url("restore", archived.pk), follow=True)

    assert "Provider restored" in text(response)
    archived.refresh_from_db()
    assert not archived.is_archived


def test_only_an_archived_provider_is_restored_or_deleted(administrator_client, provider):
    assert administrator_client.get(provider_url("restore", provider.pk)).status_code == 403
    assert administrator_client.post(provider_url("delete", provider.pk)).status_code == 403
    provider.refresh_from_db()
    assert not provider.is_deleted


def test_delete_confirmation_warns_it_is_permanent(administrator_client, archived):
    response = administrator_client.get(provider_url("delete", archived.pk))

    assert page_title(response) == "Confirm you want to delete provider - Register of training providers"
    assert "Confirm you want to delete Old School" in text(response)
    assert "Deleting a provider is permanent – you cannot undo it." in text(response)
    assert "Delete provider" in text(response)


def test_delete_takes_the_provider_and_its_partnerships_off_the_register(administrator_client, archived):
    partnership = PartnershipFactory(training_partner=archived)

    response = administrator_client.post(provider_url("delete", archived.pk), follow=True)

    assert response.redirect_chain[-1][0] == provider_url("changelist")
    assert "Provider deleted" in text(response)
    assert not Provider.objects.kept().filter(pk=archived.pk).exists()
    partnership.refresh_from_db()
    assert partnership.is_deleted
    assert administrator_client.get(provider_url("change", archived.pk)).status_code == 404


def test_a_provider_archived_meanwhile_is_not_archived_twice(administrator_client, provider):
    administrator_client.get(provider_url("archive", provider.pk))
    Provider.objects.filter(pk=provider.pk).update(archived_at="2025-01-01T00:00:00Z")

    # The page is asked again on the POST: the provider is archived now, so it may not be archived.
    assert administrator_client.post(provider_url("archive", provider.pk)).status_code == 403


@pytest.mark.parametrize("name", ["archive", "restore", "delete"])
def test_support_viewer_may_do_none_of_them(viewer_client, provider, archived, name):
    target = provider if name == "archive" else archived

    assert viewer_client.get(provider_url(name, target.pk)).status_code == 403
    assert viewer_client.post(provider_url(name, target.pk)).status_code == 403
    target.refresh_from_db()
    assert (target.is_archived, target.is_deleted) == (name != "archive", False)


def test_support_editor_archives_restores_and_deletes(editor_client, provider):
    assert "Provider archived" in text(editor_client.post(provider_url("archive", provider.pk), follow=True))
    assert "Provider restored" in text(editor_client.post(provider_url("restore", provider.pk), follow=True))
    editor_client.post(provider_url("archive", provider.pk))
    assert "Provider deleted" in text(editor_client.post(provider_url("delete", provider.pk), follow=True))
