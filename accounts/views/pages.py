"""The service's own pages outside the admin: start, sign-in, sign-out and refusals."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView


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
        return super().get(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignOutView(View):
    http_method_names = ["post"]

    def post(self, request):
        logout(request)
        return redirect("start")


@method_decorator(login_not_required, name="dispatch")
class UnauthorisedView(ServicePageMixin, TemplateView):
    template_name = "accounts/unauthorised.html"
    extra_context = {"title": "Your account is not authorised"}
