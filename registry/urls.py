from django.contrib import admin
from django.urls import include, path

from registry.admin.api_access import ApiAccessPage
from registry.health import healthcheck
from registry.pages.content import ContentPage, CookiesPage


def content(route: str, name: str, title: str, view: type[ContentPage] = ContentPage):
    return path(route, view.as_view(template_name=f"pages/content/{name}.html", title=title), name=name)


urlpatterns = [
    path("healthcheck", healthcheck, name="healthcheck"),
    path("", include("accounts.urls")),
    content("accessibility/", "accessibility", "Accessibility statement"),
    content("cookies/", "cookies", "Cookies", CookiesPage),
    content("privacy/", "privacy", "Privacy notice"),
    content("help/", "help", "Help and feedback"),
    path("admin/activity/", include("registry.activity.urls")),
    # The API switch (support administrators): the API off and on without a deploy.
    path("admin/api-access/", admin.site.admin_view(ApiAccessPage.as_view()), name="api-access"),
    path("admin/", admin.site.urls),
    path("api/", include("registry.api.urls")),
]

# The service's own error pages, in its layout (registry.views); 429 comes from raising
# registry.views.TooManyRequests, which registry.middleware.TooManyRequestsMiddleware answers.
handler403 = "registry.views.permission_denied"
handler404 = "registry.views.page_not_found"
handler500 = "registry.views.server_error"
