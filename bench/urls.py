"""The service's URLs, with the peers' under /bench/ (only with `bench.settings`)."""

from django.contrib import admin
from django.urls import path
from rest_framework.authtoken.models import TokenProxy

from bench.peers import drf, prerendered, stock_admin
from registry import urls as service_urls

# DRF's token app registers its admin on the service's site; the service's admin stays as it is.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)

urlpatterns = [
    path("bench/drf/providers", drf.provider_list, name="bench-drf-providers"),
    path("bench/drf/providers-by-page", drf.provider_list_by_page, name="bench-drf-providers-by-page"),
    path("bench/prerendered/providers", prerendered.provider_page, name="bench-prerendered-providers"),
    path("bench/stock-admin/", stock_admin.site.urls),
    *service_urls.urlpatterns,
]

handler403 = service_urls.handler403
handler404 = service_urls.handler404
handler500 = service_urls.handler500
