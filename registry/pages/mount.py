"""Pages on a ModelAdmin's URLs: the admin gives the addresses and sign-in, the page engine the screens.

Django's stock list, add, change, delete and history views are refused, so no stock form offers a
way round the rules and no stock page is ever in anyone's way: a ModelAdmin mounts the service's own
pages at the same URL names instead (`<app>_<model>_changelist`, `_change`, `_history`, …).
"""

from django.http import Http404
from django.urls import path


class ServicePagesAdminMixin:
    """For a ModelAdmin whose every page is the service's own (see `service_page`)."""

    def service_page(self, view, route: str, name: str, **initkwargs):
        """Mount `view` (a `registry.pages` page) at `route`, named `<app>_<model>_<name>`."""
        opts = self.model._meta
        return path(
            route,
            self.admin_site.admin_view(view.as_view(model_admin=self, **initkwargs)),
            name=f"{opts.app_label}_{opts.model_name}_{name}",
        )

    # Django's and simple-history's stock pages: never shown. Each ModelAdmin mounts its own pages
    # at these URL names, ahead of the stock ones, which are left only to answer "not found".

    def add_view(self, request, form_url="", extra_context=None):
        raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise Http404

    def delete_view(self, request, object_id, extra_context=None):
        raise Http404

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404
