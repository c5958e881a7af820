from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView


@login_not_required
def admin_sign_in(request):
    """Nobody has a password: the admin's own sign-in form sends people to the service's sign-in."""
    return RedirectView.as_view(url=str(settings.LOGIN_URL), query_string=True)(request)


urlpatterns = [
    path("", include("accounts.urls")),
    path("admin/login/", admin_sign_in, name="admin-sign-in"),
    path("admin/activity/", include("registry.activity.urls")),
    path("admin/", admin.site.urls),
]
