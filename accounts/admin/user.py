"""The "Users" section: the list is Django's changelist; every other step is a page of our own.

Django's stock add, change and delete views are replaced at the same URLs (and so under the same
URL names), so no stock form, and no bulk "Delete selected" action, offers a way round the rules.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import display

from accounts import permissions
from accounts.admin.tags import user_status_tags
from accounts.admin.user_add import AddUserCheckView, AddUserFormView
from accounts.admin.user_delete import DeleteUserView
from accounts.admin.user_detail import UserDetailView
from accounts.admin.user_edit import EditUserCheckView, EditUserFormView
from accounts.models import User
from accounts.selectors import user_list
from registry.admin_pages import ServicePagesAdminMixin


@admin.register(User)
class UserAdmin(ServicePagesAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["display_name", "email", "display_status"]
    list_display_links = ["display_name"]
    list_per_page = 25
    # The heading shows the count; a second COUNT of the whole table would only repeat it.
    show_full_result_count = False
    search_fields = ["first_name", "last_name", "email"]
    search_help_text = "Search by name or email address"
    show_add_link = False
    list_before_template = "accounts/admin/user_list_heading.html"
    actions = None

    @display(description="Name", ordering="first_name")
    def display_name(self, user):
        return user.full_name

    @display(description="Status")
    def display_status(self, user):
        return user_status_tags(user)

    def get_queryset(self, request):
        return user_list()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Users", "has_own_heading": True}
        return super().changelist_view(request, extra_context)

    # Permissions: each asks the one predicate the pages themselves use.

    def has_module_permission(self, request):
        return permissions.user_can_view_users(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.user_can_view_users(request.user)

    def has_add_permission(self, request):
        return permissions.user_can_add_user(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("accounts.change_user")
        return permissions.user_can_change_user(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("accounts.delete_user")
        return permissions.user_can_delete_user(request.user, obj)

    def has_view_history_permission(self, request, obj=None):
        return request.user.has_perm("accounts.view_historicaluser")

    def has_change_history_permission(self, request, obj=None):
        return False

    def get_urls(self):
        page = self.service_page

        # Ours come first: Django's catch-all "<path:object_id>/" would otherwise take them.
        return [
            page(AddUserFormView, "add/", "add"),
            page(AddUserCheckView, "add/check/", "add_check"),
            page(UserDetailView, "<uuid:object_id>/change/", "change"),
            page(EditUserFormView, "<uuid:object_id>/edit/", "edit"),
            page(EditUserCheckView, "<uuid:object_id>/edit/check/", "edit_check"),
            page(DeleteUserView, "<uuid:object_id>/delete/", "delete"),
            *super().get_urls(),
        ]
