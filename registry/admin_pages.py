"""What every ModelAdmin of the service shares: its own pages instead of Django's stock forms, and
history that can be read but never used to change anything back."""

from django.core.exceptions import PermissionDenied
from django.urls import path


class ServicePagesAdminMixin:
    """For a ModelAdmin (with SimpleHistoryAdmin) whose add, change and delete steps are its own pages.

    Django's stock add, change and delete views are refused, so no stock form offers a way round
    the rules; `service_page` mounts a page at the same URL names (`<app>_<model>_<name>`).
    """

    def service_page(self, view, route: str, name: str):
        opts = self.model._meta
        return path(
            route,
            self.admin_site.admin_view(view.as_view(model_admin=self)),
            name=f"{opts.app_label}_{opts.model_name}_{name}",
        )

    def add_view(self, request, form_url="", extra_context=None):
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's stock view saves a POSTed old version, whatever SIMPLE_HISTORY_REVERT_DISABLED says.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
