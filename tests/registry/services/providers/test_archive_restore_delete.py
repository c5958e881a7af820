"""`provider_archive`, `provider_restore` and `provider_delete`: a provider's life on the register."""

import pytest
from django.utils import timezone

from registry.models import Provider
from registry.services.providers import (
    PROVIDER_ARCHIVED,
    PROVIDER_DELETED,
    PROVIDER_RESTORED,
    ProviderArchivedError,
    ProviderNotArchivedError,
    provider_archive,
    provider_delete,
    provider_restore,
    provider_update,
)
from tests.factories import ArchivedProviderFactory, PartnershipFactory, ProviderFactory, SchoolProviderFactory
from tests.registry.services.providers.conftest import add

pytestmark = pytest.mark.django_db


class TestArchiveRestoreDelete:
    def test_archiving_records_when_and_who(self, actor):
        provider = ProviderFactory()

        provider_archive(actor=actor, provider=provider)

        provider.refresh_from_db()
        assert provider.is_archived
        assert provider.archived_at <= timezone.now()
        latest = provider.history.first()
        assert (latest.history_user, latest.history_change_reason) == (actor, PROVIDER_ARCHIVED)

    def test_an_archived_provider_cannot_be_archived_again(self, actor):
        with pytest.raises(ProviderArchivedError):
            provider_archive(actor=actor, provider=ArchivedProviderFactory())

    def test_restoring_clears_the_archive(self, actor):
        provider = ArchivedProviderFactory()

        provider_restore(actor=actor, provider=provider)

        provider.refresh_from_db()
        assert not provider.is_archived
        assert provider.history.first().history_change_reason == PROVIDER_RESTORED
        provider_update(actor=actor, provider=provider, changes={"operating_name": "Changeable again"})

    def test_only_an_archived_provider_can_be_restored(self, actor):
        with pytest.raises(ProviderNotArchivedError) as raised:
            provider_restore(actor=actor, provider=ProviderFactory())

        assert raised.value.code == "provider_not_archived"

    def test_only_an_archived_provider_can_be_deleted(self, actor):
        provider = ProviderFactory()

        with pytest.raises(ProviderNotArchivedError):
            provider_delete(actor=actor, provider=provider)

        provider.refresh_from_db()
        assert not provider.is_deleted

    def test_deleting_is_soft_and_takes_the_providers_partnerships_with_it(self, actor):
        partnership = PartnershipFactory(training_partner=SchoolProviderFactory(archived=True))
        provider = partnership.training_partner

        provider_delete(actor=actor, provider=provider)

        provider.refresh_from_db()
        partnership.refresh_from_db()
        assert provider.is_deleted
        assert partnership.is_deleted
        assert not Provider.objects.kept().filter(pk=provider.pk).exists()
        assert provider.history.first().history_change_reason == PROVIDER_DELETED
        assert partnership.history.first().history_user == actor

    def test_a_deleted_providers_code_is_free_again(self, actor):
        provider_delete(actor=actor, provider=ArchivedProviderFactory(code="4A2"))

        assert add(actor, code="4A2").code == "4A2"

    def test_a_deleted_provider_cannot_be_restored_or_deleted_again(self, actor):
        provider = ArchivedProviderFactory()
        provider_delete(actor=actor, provider=provider)

        with pytest.raises(Provider.DoesNotExist):
            provider_restore(actor=actor, provider=provider)
        with pytest.raises(Provider.DoesNotExist):
            provider_delete(actor=actor, provider=provider)
