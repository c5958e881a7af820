"""API clients: every page is the service's own (`api_client_pages`), mounted here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from accounts import permissions
from accounts.admin.api_client_pages import AddApiClient, ApiClientList, RevokeApiClient, ViewApiClient
from accounts.admin.history import ApiClientHistoryPage
from accounts.models import ApiClient
from registry.pages.mount import ServicePagesAdminMixin


@admin.register(ApiClient)
class ApiClientAdmin(ServicePagesAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    actions = None

    def has_module_permission(self, request):
        return permissions.user_can_manage_api_clients(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.user_can_manage_api_clients(request.user)

    def has_add_permission(self, request):
        return permissions.user_can_manage_api_clients(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.user_can_manage_api_clients(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_history_permission(self, request, obj=None):
        return permissions.user_can_manage_api_clients(request.user)

    def has_change_history_permission(self, request, obj=None):
        return False

    def get_urls(self):
        page = self.service_page
        return [
            page(ApiClientList, "", "changelist"),
            *AddApiClient.url_patterns(self, "add/", "add"),
            page(ViewApiClient, "<uuid:object_id>/change/", "change"),
            page(RevokeApiClient, "<uuid:object_id>/revoke/", "revoke"),
            page(ApiClientHistoryPage, "<uuid:object_id>/history/", "history"),
            *super().get_urls(),
        ]
