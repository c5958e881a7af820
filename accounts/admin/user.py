"""The Users section: every page is the service's own (`user_pages`, `user_flows`), mounted here.

Django's stock list, add, change and delete views are replaced at the same URLs (and so under the
same URL names), so no stock form, and no bulk action, offers a way round the rules.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from accounts import permissions
from accounts.admin.history import UserHistoryPage
from accounts.admin.user_flows import AddUser, ChangeUser
from accounts.admin.user_pages import DeleteUser, UserList, ViewUser
from accounts.models import User
from registry.pages.mount import ServicePagesAdminMixin


@admin.register(User)
class UserAdmin(ServicePagesAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    actions = None

    # Permissions: each asks the one predicate the pages themselves use.

    def has_module_permission(self, request):
        return permissions.user_can_view_users(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.user_can_view_users(request.user)

    def has_add_permission(self, request):
        return permissions.user_can_add_user(request.user)

    def has_change_permission(self, request, obj=None):
        return (
            request.user.has_perm("accounts.change_user")
            if obj is None
            else permissions.user_can_change_user(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return (
            request.user.has_perm("accounts.delete_user")
            if obj is None
            else permissions.user_can_delete_user(request.user, obj)
        )

    def has_view_history_permission(self, request, obj=None):
        return request.user.has_perm("accounts.view_historicaluser")

    def has_change_history_permission(self, request, obj=None):
        return False

    def get_urls(self):
        page = self.service_page
        # Ours come first: Django's catch-all "<path:object_id>/" would otherwise take them.
        return [
            page(UserList, "", "changelist"),
            *AddUser.url_patterns(self, "add/", "add"),
            page(ViewUser, "<uuid:object_id>/change/", "change"),
            *ChangeUser.url_patterns(self, "<uuid:object_id>/edit/", "edit"),
            page(DeleteUser, "<uuid:object_id>/delete/", "delete"),
            page(UserHistoryPage, "<uuid:object_id>/history/", "history"),
            *super().get_urls(),
        ]
