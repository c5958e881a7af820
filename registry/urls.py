from django.contrib import admin
from django.urls import include, path

from registry.health import healthcheck

urlpatterns = [
    path("healthcheck", healthcheck, name="healthcheck"),
    path("", include("accounts.urls")),
    path("admin/activity/", include("registry.activity.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("registry.api.urls")),
]

# The service's own error pages, in its layout (registry.views); 429 comes from raising
# registry.views.TooManyRequests, which registry.middleware.TooManyRequestsMiddleware answers.
handler403 = "registry.views.permission_denied"
handler404 = "registry.views.page_not_found"
handler500 = "registry.views.server_error"
