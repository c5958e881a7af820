"""Emails: every page is the service's own (`email_pages`), mounted here. The support team looks
and retries; only the service and its worker write emails."""

from django.contrib import admin
from django.http import Http404
from unfold.admin import ModelAdmin

from accounts import permissions
from accounts.admin.email_pages import EmailList, RetryEmail, ViewEmail
from accounts.models import Email
from registry.pages.mount import ServicePagesAdminMixin


@admin.register(Email)
class EmailAdmin(ServicePagesAdminMixin, ModelAdmin):
    actions = None

    def has_module_permission(self, request):
        return permissions.user_can_view_emails(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.user_can_view_emails(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        # Emails keep no history of their own: the worker's attempts are on the email's page.
        raise Http404

    def get_urls(self):
        page = self.service_page
        return [
            page(EmailList, "", "changelist"),
            page(ViewEmail, "<uuid:object_id>/change/", "change"),
            page(RetryEmail, "<uuid:object_id>/retry/", "retry"),
            *super().get_urls(),
        ]
