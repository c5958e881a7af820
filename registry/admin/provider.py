"""The "Providers" section: every page is the service's own (`registry.pages`), on this ModelAdmin's URLs.

Django's stock list, add, change and delete views are replaced at the same URLs (and so under the
same URL names), so no stock form, and no bulk "Delete selected" action, offers a way round the
rules. Who has been given access to one provider is shown, given and removed on pages of the
service's own too (`registry.admin.provider_access`), for support administrators only: guardian's
stock "Object permissions" pages are not mounted.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from registry import permissions
from registry.admin.provider_access import access_url_patterns
from registry.admin.provider_add import AddProviderFlow
from registry.admin.provider_archive import ArchiveProviderPage, DeleteProviderPage, RestoreProviderPage
from registry.admin.provider_detail import ProviderDetailPage
from registry.admin.provider_edit import ChangeProviderFlow
from registry.admin.provider_history import ProviderHistoryPage
from registry.admin.provider_list import ProviderDownloadPage, ProviderListPage
from registry.admin.record_pages import record_url_patterns
from registry.models import Provider
from registry.pages.mount import ServicePagesAdminMixin


@admin.register(Provider)
class ProviderAdmin(ServicePagesAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    actions = None

    def get_queryset(self, request):
        return Provider.objects.kept()

    # Permissions: each asks the one predicate the pages themselves use ----------------------------

    def has_module_permission(self, request):
        return permissions.user_can_view_providers(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.user_can_view_provider(request.user, obj) if obj else self.has_module_permission(request)

    def has_add_permission(self, request):
        return permissions.user_can_add_provider(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.user_can_change_provider(request.user, obj) if obj else _holds(request, "change_provider")

    def has_delete_permission(self, request, obj=None):
        return permissions.user_can_delete_provider(request.user, obj) if obj else _holds(request, "delete_provider")

    def has_view_history_permission(self, request, obj=None):
        return permissions.user_can_view_provider_history(request.user)

    def has_change_history_permission(self, request, obj=None):
        return False

    def get_urls(self):
        page = self.service_page

        # Ours come first: Django's catch-all "<path:object_id>/" would otherwise take them.
        return [
            page(ProviderListPage, "", "changelist"),
            page(ProviderDownloadPage, "download/", "download"),
            *AddProviderFlow.url_patterns(self, "add/", "add"),
            page(ProviderDetailPage, "<uuid:object_id>/change/", "change"),
            *ChangeProviderFlow.url_patterns(self, "<uuid:object_id>/edit/", "edit"),
            page(ArchiveProviderPage, "<uuid:object_id>/archive/", "archive"),
            page(RestoreProviderPage, "<uuid:object_id>/restore/", "restore"),
            page(DeleteProviderPage, "<uuid:object_id>/delete/", "delete"),
            page(ProviderHistoryPage, "<uuid:object_id>/history/", "history"),
            *record_url_patterns(self),
            *access_url_patterns(self),
            *super().get_urls(),
        ]


def _holds(request, codename: str) -> bool:
    """The right to do this to providers in general: Django asks, with no provider, what to offer."""
    return request.user.has_perm(f"registry.{codename}")
