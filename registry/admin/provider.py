"""The "Providers" section: every page is the service's own (`registry.pages`), on this ModelAdmin's URLs.

Django's stock list, add, change and delete views are replaced at the same URLs (and so under the
same URL names), so no stock form, and no bulk "Delete selected" action, offers a way round the
rules. The "Object permissions" page is guardian's, for support administrators only.
"""

import uuid

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from registry import permissions
from registry.admin.provider_add import AddProviderFlow
from registry.admin.provider_archive import ArchiveProviderPage, DeleteProviderPage, RestoreProviderPage
from registry.admin.provider_detail import ProviderDetailPage
from registry.admin.provider_edit import ChangeProviderFlow
from registry.admin.provider_history import ProviderHistoryPage
from registry.admin.provider_list import ProviderListPage
from registry.admin.record_pages import record_url_patterns
from registry.models import Provider
from registry.pages.mount import ServicePagesAdminMixin


@admin.register(Provider)
class ProviderAdmin(ServicePagesAdminMixin, GuardedModelAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    actions = None

    def get_queryset(self, request):
        # Pages about one provider (its object permissions) find it among these.
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

    # guardian's "Object permissions" pages: giving rights is for support administrators only --------
    # (guardian itself asks only for the model-wide change permission, which every editor holds.)

    def _object_permissions_page(self, request, object_pk):
        if not permissions.user_can_manage_provider_permissions(request.user):
            raise PermissionDenied
        try:
            uuid.UUID(str(object_pk))
        except ValueError:
            raise Http404 from None

    def obj_perms_manage_view(self, request, object_pk):
        self._object_permissions_page(request, object_pk)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        self._object_permissions_page(request, object_pk)
        return super().obj_perms_manage_user_view(request, object_pk, user_id)

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        self._object_permissions_page(request, object_pk)
        return super().obj_perms_manage_group_view(request, object_pk, group_id)

    def get_urls(self):
        page = self.service_page

        # Ours come first: Django's catch-all "<path:object_id>/" would otherwise take them.
        return [
            page(ProviderListPage, "", "changelist"),
            *AddProviderFlow.url_patterns(self, "add/", "add"),
            page(ProviderDetailPage, "<uuid:object_id>/change/", "change"),
            *ChangeProviderFlow.url_patterns(self, "<uuid:object_id>/edit/", "edit"),
            page(ArchiveProviderPage, "<uuid:object_id>/archive/", "archive"),
            page(RestoreProviderPage, "<uuid:object_id>/restore/", "restore"),
            page(DeleteProviderPage, "<uuid:object_id>/delete/", "delete"),
            page(ProviderHistoryPage, "<uuid:object_id>/history/", "history"),
            *record_url_patterns(self),
            *super().get_urls(),
        ]


def _holds(request, codename: str) -> bool:
    """The right to do this to providers in general: Django asks, with no provider, what to offer."""
    return request.user.has_perm(f"registry.{codename}")
