"""The service's own pages outside the admin: start, sign-in, sign-out and refusals."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csp import csp_override
from django.views.decorators.debug import sensitive_variables
from django.views.generic import TemplateView

from accounts import dfe_sign_in
from registry.security_events import security_event


class ServicePageMixin:
    """Gives a page outside the admin the admin's look: its colours, site name and theme."""

    def get_context_data(self, **kwargs):
        return {
            **admin.site.each_context(self.request),
            **super().get_context_data(**kwargs),
            "service_name": settings.SERVICE_NAME,
        }


@method_decorator(login_not_required, name="dispatch")
class StartView(ServicePageMixin, TemplateView):
    template_name = "accounts/start.html"
    extra_context = {"title": "Register of training providers"}

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("admin:index")
        return super().get(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignInView(ServicePageMixin, TemplateView):
    template_name = "accounts/sign_in.html"
    extra_context = {"title": "Sign in"}

    def get(self, request, *args, **kwargs):
        if settings.SIGN_IN_METHOD == "persona":
            return redirect("personas")
        # The sign-in button's form is redirected on to DfE Sign-in, which the page's CSP must allow.
        csp = dfe_sign_in.dfe_sign_in_csp(settings.SECURE_CSP)
        return csp_override(csp)(super().get)(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Where the person was going, carried through DfE Sign-in (only ever a path on this site).
        return super().get_context_data(next=dfe_sign_in.dfe_sign_in_next_path(self.request.GET.get("next")), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignOutView(View):
    """End the session; after DfE Sign-in, end the person's DfE Sign-in session too."""

    http_method_names = ["post"]

    @method_decorator(sensitive_variables("id_token", "end_session_url"))
    def post(self, request):
        id_token = request.session.get(dfe_sign_in.SESSION_ID_TOKEN)
        if request.user.is_authenticated:
            security_event("sign_out", outcome="success", request=request)
        logout(request)
        if dfe_sign_in.dfe_sign_in_is_on() and id_token:
            end_session_url = dfe_sign_in.dfe_sign_in_logout_url(id_token=id_token)
            if end_session_url:
                return redirect(end_session_url)
        return redirect("start")


@method_decorator(login_not_required, name="dispatch")
class UnauthorisedView(ServicePageMixin, TemplateView):
    template_name = "accounts/unauthorised.html"
    extra_context = {"title": "Your account is not authorised"}

    def render_to_response(self, context, **response_kwargs):
        return super().render_to_response(context, status=403, **response_kwargs)
