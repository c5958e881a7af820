"""The service's admin site: the plumbing its pages are mounted on (URLs, sign-in), never a page itself.

Its index and each app's index send people to their home page; the password pages and the sign-in
form are taken out.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from unfold.sites import UnfoldAdminSite

from registry.pages.navigation import home_url


class RegistryAdminSite(UnfoldAdminSite):
    site_title = site_header = settings.SERVICE_NAME

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """Nobody has a password: people sign in through DfE Sign-in (or, locally, a persona)."""
        next_path = request.GET.get("next", "")
        if next_path and url_has_allowed_host_and_scheme(next_path, allowed_hosts={request.get_host()}):
            # Encoded, so that a `next` of its own with `&` or `#` in it stays one parameter.
            return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': next_path})}")
        return redirect(settings.LOGIN_URL)

    def index(self, request, extra_context=None):
        return redirect(home_url(request.user))

    def app_index(self, request, app_label, extra_context=None):
        return redirect(home_url(request.user))

    def logout(self, request, extra_context=None):
        # The service's own sign-out also ends the DfE Sign-in session; 307 keeps the POST.
        return redirect("sign-out", permanent=False, preserve_request=True)

    def password_change(self, request, extra_context=None):
        raise Http404

    def password_change_done(self, request, extra_context=None):
        raise Http404


def admin_site_trim(site: admin.AdminSite) -> None:
    """Take away the admins other apps register that this service must not offer.

    Roles are defined in code and their groups kept in step by migrations: editing a group would
    change what a role may do without a record. Task results are the email worker's bookkeeping;
    the support team sees emails under Users › Emails instead.
    """
    from django_tasks_db.models import DBTaskResult

    for model in (Group, DBTaskResult):
        if site.is_registered(model):
            site.unregister(model)
