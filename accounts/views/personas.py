"""Persona sign-in, for local use: sign in as any fixture user without DfE Sign-in."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View

from accounts.models import User
from accounts.permissions import user_web_access_refusal
from accounts.selectors import user_list
from accounts.services import user_sign_in
from registry.pages.content import ContentPage
from registry.pages.navigation import home_url
from registry.security_events import security_event

METHOD = "persona"


class PersonaListView(ContentPage):
    template_name = "accounts/personas.html"
    title = "Sign in as a persona"

    def get_context_data(self, **kwargs):
        return super().get_context_data(personas=user_list().prefetch_related("groups"), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class PersonaSignInView(View):
    http_method_names = ["post"]

    def post(self, request, user_id):
        user = get_object_or_404(User.objects.kept(), pk=user_id)
        if not user_sign_in(request=request, user=user):
            security_event(
                "sign_in",
                outcome="denied",
                request=request,
                target=user.pk,
                method=METHOD,
                reason=user_web_access_refusal(user),
            )
            return redirect("unauthorised")
        security_event("sign_in", outcome="success", request=request, actor=user, method=METHOD)
        return redirect(home_url(user))
