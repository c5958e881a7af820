"""View provider: its details and records, with the actions the person looking may take."""

from django.urls import reverse

from registry import permissions
from registry.admin.display import provider_tags
from registry.admin.flows import ProviderPage
from registry.admin.sections import provider_detail_rows, provider_sections
from registry.services.providers import PROVIDER_IS_ARCHIVED


class ProviderDetailView(ProviderPage):
    template_name = "registry/admin/provider_detail.html"
    title = "View provider"

    def has_permission(self):
        return permissions.user_can_view_provider(self.request.user, self.provider)

    def get_context_data(self, **kwargs):
        actor, provider = self.request.user, self.provider
        pk = provider.pk

        def url(name: str, allowed: bool) -> str | None:
            return reverse(f"admin:registry_provider_{name}", args=[pk]) if allowed else None

        return super().get_context_data(
            provider=provider,
            caption="Provider",
            heading=provider.operating_name,
            status_tags=provider_tags(provider),
            archived_notice=PROVIDER_IS_ARCHIVED if provider.is_archived else None,
            detail_rows=provider_detail_rows(
                provider, may_change=permissions.user_can_change_provider(actor, provider)
            ),
            import_notes=[note.get("note", "") for note in provider.import_notes or [] if note.get("note")],
            sections=provider_sections(provider, actor),
            archive_url=url("archive", permissions.user_can_archive_provider(actor, provider)),
            restore_url=url("restore", permissions.user_can_restore_provider(actor, provider)),
            delete_url=url("delete", permissions.user_can_delete_provider(actor, provider)),
            history_url=url("history", permissions.user_can_view_provider_history(actor)),
            permissions_url=url("permissions", permissions.user_can_manage_provider_permissions(actor)),
            **kwargs,
        )
