"""The service's front door: the start page, sign-in, sign-out and the refusal page, in the one layout."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csp import csp_override
from django.views.decorators.debug import sensitive_variables

from accounts.dfe_sign_in.client import dfe_sign_in_csp, dfe_sign_in_is_on
from accounts.dfe_sign_in.flow import SESSION_ID_TOKEN, dfe_sign_in_logout_url, dfe_sign_in_next_path
from registry.pages.content import ContentPage
from registry.pages.navigation import home_url, may_use_pages
from registry.security_events import security_event


class StartView(ContentPage):
    """What the service is for and who may use it, with the Sign in button; someone signed in goes home."""

    template_name = "accounts/start.html"
    title = settings.SERVICE_NAME

    def get(self, request, *args, **kwargs):
        if may_use_pages(request.user):
            return redirect(home_url(request.user))
        return super().get(request, *args, **kwargs)


class SignInView(ContentPage):
    template_name = "accounts/sign_in.html"
    title = "Sign in"

    def get(self, request, *args, **kwargs):
        if settings.SIGN_IN_METHOD == "persona":
            return redirect("personas")
        # The sign-in button's form is redirected on to DfE Sign-in, which the page's CSP must allow.
        csp = dfe_sign_in_csp(settings.SECURE_CSP)
        return csp_override(csp)(super().get)(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Where the person was going, carried through DfE Sign-in (only ever a path on this site).
        return super().get_context_data(next=dfe_sign_in_next_path(self.request.GET.get("next")), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignOutView(View):
    """End the session; after DfE Sign-in, end the person's DfE Sign-in session too."""

    http_method_names = ["post"]

    @method_decorator(sensitive_variables("id_token", "end_session_url"))
    def post(self, request):
        id_token = request.session.get(SESSION_ID_TOKEN)
        if request.user.is_authenticated:
            security_event("sign_out", outcome="success", request=request)
        logout(request)
        if dfe_sign_in_is_on() and id_token:
            end_session_url = dfe_sign_in_logout_url(id_token=id_token)
            if end_session_url:
                return redirect(end_session_url)
        return redirect("start")


class UnauthorisedView(ContentPage):
    """Where someone whose account may not use the web pages (inactive, or an API user's) is sent."""

    template_name = "accounts/unauthorised.html"
    title = "Your account is not authorised"

    def render_to_response(self, context, **response_kwargs):
        return super().render_to_response(context, status=403, **response_kwargs)
