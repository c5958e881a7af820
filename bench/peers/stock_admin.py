"""The stock admin peer: a plain `django.contrib.admin.ModelAdmin` over `registry.Provider`.

On an admin site of its own (/bench/stock-admin/), with the service's columns, 25 rows a page, a
search over the same fields the service's list searches (name and legal name containing the words;
code, UKPRN and URN by their start), and filters by provider type and accreditation status. It
lists the same rows as the service's list (kept, not archived) and otherwise keeps Django's
defaults: the full result count shown, and facet counts only when asked for (`ShowFacets.ALLOW`).

Its pages are rendered with Django's own admin templates (the "stock" template engine in
`bench.settings`), not unfold's, which take their names in the service's engine.
"""

from django.contrib import admin

from registry.models import Provider

site = admin.AdminSite(name="stock_admin")


class StockChoicesFilter(admin.ChoicesFieldListFilter):
    # A name only the stock engine has, which includes Django's own "admin/filter.html".
    template = "bench_stock/filter.html"


class StockProviderAdmin(admin.ModelAdmin):
    list_display = ["operating_name", "code", "ukprn", "urn", "provider_type", "accreditation_status"]
    list_filter = [("provider_type", StockChoicesFilter), ("accreditation_status", StockChoicesFilter)]
    search_fields = ["operating_name", "legal_name", "^code", "^ukprn", "^urn"]
    list_per_page = 25

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_at__isnull=True, archived_at__isnull=True)

    def changelist_view(self, request, extra_context=None):
        return _stock(super().changelist_view(request, extra_context))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A provider's own page, Django's way: its change form.
        return _stock(super().change_view(request, object_id, form_url, extra_context))


def _stock(response):
    if hasattr(response, "using"):
        response.using = "stock"
    return response


site.register(Provider, StockProviderAdmin)
