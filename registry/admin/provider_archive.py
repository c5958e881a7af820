"""Archive, restore and delete a provider, each after a confirmation page.

Archiving makes a provider read-only until it is restored; only an archived provider is deleted.
Each person may try archiving, and deleting, at most 3 times in 3 minutes (`RateLimitedAction`), as in
DfE's service; restoring is not limited.
"""

from django.urls import reverse

from registry import permissions
from registry.admin.pages import ProviderPage
from registry.pages.confirm import ConfirmPage
from registry.pages.ratelimit import RateLimitedAction
from registry.services.providers import (
    PROVIDER_ARCHIVED,
    PROVIDER_DELETED,
    PROVIDER_RESTORED,
    provider_archive,
    provider_delete,
    provider_restore,
)


class ArchiveProviderPage(RateLimitedAction, ProviderPage, ConfirmPage):
    rate_limit_scope = "provider-archive"
    title = "Confirm you want to archive provider"
    button_label = "Archive provider"
    success_message = PROVIDER_ARCHIVED

    def has_permission(self):
        return permissions.user_can_archive_provider(self.request.user, self.provider)

    def confirm_context(self):
        return {
            "caption": "Archive provider",
            "heading": f"Confirm you want to archive {self.provider.operating_name}",
            "paragraphs": [
                "After archiving the provider, you will not be able to make changes to it.",
                "You can restore the provider at any time.",
            ],
        }

    def act(self):
        provider_archive(actor=self.request.user, provider=self.provider)


class RestoreProviderPage(ProviderPage, ConfirmPage):
    title = "Confirm you want to restore provider"
    button_label = "Restore provider"
    success_message = PROVIDER_RESTORED

    def has_permission(self):
        return permissions.user_can_restore_provider(self.request.user, self.provider)

    def confirm_context(self):
        return {
            "caption": "Restore provider",
            "heading": f"Confirm you want to restore {self.provider.operating_name}",
            "paragraphs": ["After restoring the provider, you will be able to make changes to it."],
        }

    def act(self):
        provider_restore(actor=self.request.user, provider=self.provider)


class DeleteProviderPage(RateLimitedAction, ProviderPage, ConfirmPage):
    rate_limit_scope = "provider-delete"
    title = "Confirm you want to delete provider"
    button_label = "Delete provider"
    button_warning = True
    success_message = PROVIDER_DELETED

    def has_permission(self):
        return permissions.user_can_delete_provider(self.request.user, self.provider)

    def confirm_context(self):
        return {
            "caption": "Delete provider",
            "heading": f"Confirm you want to delete {self.provider.operating_name}",
            "warning": "Deleting a provider is permanent – you cannot undo it.",
        }

    def act(self):
        provider_delete(actor=self.request.user, provider=self.provider)

    def done_url(self):
        return reverse("admin:registry_provider_changelist")
