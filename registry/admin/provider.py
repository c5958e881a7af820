"""The "Providers" section: the list is Django's changelist; every other step is a page of our own.

Django's stock add, change and delete views are replaced at the same URLs (and so under the same
URL names), so no stock form, and no bulk "Delete selected" action, offers a way round the rules.
The history is simple-history's, read-only; the "Object permissions" page is guardian's, for
support administrators only.
"""

import uuid

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.html import format_html
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import display

from registry import permissions
from registry.admin import accreditations, addresses, contacts, partnerships
from registry.admin.display import NOT_ENTERED, provider_tags
from registry.admin.filters import (
    AcademicYearFilter,
    AccreditationStatusFilter,
    ArchivedFilter,
    ProviderChangeList,
    ProviderTypeFilter,
    url_for_each_provider,
)
from registry.admin.history import history_deltas
from registry.admin.provider_add import AddProviderView
from registry.admin.provider_archive import ArchiveProviderView, DeleteProviderView, RestoreProviderView
from registry.admin.provider_detail import ProviderDetailView
from registry.admin.provider_edit import EditProviderView
from registry.admin_pages import ServicePagesAdminMixin
from registry.models import Provider
from registry.selectors import provider_list


@admin.register(Provider)
class ProviderAdmin(ServicePagesAdminMixin, GuardedModelAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["display_name", "display_code", "display_ukprn", "display_urn", "display_type", "display_status"]
    list_display_links = ["display_name"]
    list_filter = [ProviderTypeFilter, AccreditationStatusFilter, AcademicYearFilter, ArchivedFilter]
    list_filter_submit = True
    list_per_page = 25
    # The heading shows the count; a second COUNT of the whole register would only repeat it.
    show_full_result_count = False
    # The selector searches (see ProviderChangeList); naming a field here only shows the search box.
    search_fields = ["operating_name"]
    search_help_text = "Search by provider name, code, UKPRN or URN"
    show_add_link = False
    list_before_template = "registry/admin/provider_list_heading.html"
    actions = None
    sortable_by = ()
    # The filters' counts would each be another query over the register.
    show_facets = admin.ShowFacets.NEVER
    # No page of ours reads the list's filters back from its links (Django's `_changelist_filters`),
    # and carrying them means resolving every row's link again, 25 times a filtered page.
    preserve_filters = False

    # The list --------------------------------------------------------------------------------------

    @display(description="Name")
    def display_name(self, provider):
        return provider.operating_name

    @display(description="Provider code")
    def display_code(self, provider):
        return provider.code

    @display(description="UKPRN")
    def display_ukprn(self, provider):
        return provider.ukprn or NOT_ENTERED

    @display(description="URN")
    def display_urn(self, provider):
        return provider.urn or "-"

    @display(description="Provider type")
    def display_type(self, provider):
        return provider.get_provider_type_display()

    @display(description="Status")
    def display_status(self, provider):
        return provider_tags(provider)

    def get_list_display(self, request):
        actor = request.user
        # A page's status tags are of a few kinds (accredited or not, archived or not): each kind
        # is drawn from its template once, not once a row.
        drawn = {}

        @display(description="Status")
        def display_status(provider):
            kind = (provider.accreditation_status, provider.is_archived)
            if kind not in drawn:
                drawn[kind] = self.display_status(provider)
            return drawn[kind]

        edit_url = url_for_each_provider("admin:registry_provider_edit")

        @display(description="Actions")
        def display_actions(provider):
            # The permissions on the page's providers were fetched with the page (get_changelist_instance).
            if not permissions.user_can_change_provider(actor, provider):
                return ""
            return _change_link(f"{edit_url(provider.pk)}?new", provider.operating_name)

        return [*(display_status if name == "display_status" else name for name in self.list_display), display_actions]

    def get_changelist(self, request, **kwargs):
        return ProviderChangeList

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not request.user.has_perm("registry.change_provider"):
            permissions.provider_permissions_prefetch(request.user, list(changelist.result_list))
        return changelist

    def get_search_results(self, request, queryset, search_term):
        # The list searches through the selector itself (ProviderChangeList); anything else that
        # searches providers finds them the same way.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=provider_list(search=search_term, include_archived=True).values("pk")), False

    def get_queryset(self, request):
        # Pages about one provider (its history, its object permissions) find it among these.
        return Provider.objects.kept()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Providers", "has_own_heading": True}
        return super().changelist_view(request, extra_context)

    # Permissions: each asks the one predicate the pages themselves use ----------------------------

    def has_module_permission(self, request):
        return permissions.user_can_view_providers(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return permissions.user_can_view_providers(request.user)
        return permissions.user_can_view_provider(request.user, obj)

    def has_add_permission(self, request):
        return permissions.user_can_add_provider(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("registry.change_provider")
        return permissions.user_can_change_provider(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("registry.delete_provider")
        return permissions.user_can_delete_provider(request.user, obj)

    def has_view_history_permission(self, request, obj=None):
        return permissions.user_can_view_provider_history(request.user)

    def has_change_history_permission(self, request, obj=None):
        return False

    # The history shows what changed; it never changes anything back --------------------------------

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history's own select_related("history_user") is undone when the model has no
        # tracked foreign keys (it calls select_related() with no arguments), so every row would
        # ask for its user again.
        return super().get_history_queryset(request, history_manager, pk_name, object_id).select_related("history_user")

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # The academic years each row changed, read for the whole page at once (registry.admin.history).
        history_deltas(
            list(historical_records),
            context_helper=lambda record: self.get_historical_record_context_helper(request, record),
        )

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
            *AddProviderView.url_patterns(self, "add/"),
            page(ProviderDetailView, "<uuid:object_id>/change/", "change"),
            *EditProviderView.url_patterns(self, "<uuid:object_id>/edit/"),
            page(ArchiveProviderView, "<uuid:object_id>/archive/", "archive"),
            page(RestoreProviderView, "<uuid:object_id>/restore/", "restore"),
            page(DeleteProviderView, "<uuid:object_id>/delete/", "delete"),
            *accreditations.url_patterns(self, page),
            *addresses.url_patterns(self, page),
            *contacts.url_patterns(self, page),
            *partnerships.url_patterns(self, page),
            *super().get_urls(),
        ]


def _change_link(url: str, name: str) -> str:
    return format_html(
        '<a class="app-link" href="{}">Change<span class="app-visually-hidden"> {}</span></a>', url, name
    )
