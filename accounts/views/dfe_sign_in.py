"""Signing in with DfE Sign-in: start, callback, and the page for people without an account.

These URLs always exist, and answer 404 unless SIGN_IN_METHOD is "dfe-sign-in".
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.views import View

from accounts.dfe_sign_in.accounts import dfe_sign_in_user_resolve, dfe_sign_in_user_update
from accounts.dfe_sign_in.client import METHOD, dfe_sign_in_is_on
from accounts.dfe_sign_in.errors import DfESignInFailed, DfESignInNoAccount, DfESignInUnavailable
from accounts.dfe_sign_in.flow import (
    SESSION_ID_TOKEN,
    SESSION_NEXT,
    dfe_sign_in_identity,
    dfe_sign_in_next_path,
    dfe_sign_in_start,
)
from accounts.permissions import user_web_access_refusal
from accounts.services import user_sign_in
from registry.pages.content import ContentPage
from registry.security_events import security_event


class DfESignInOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not dfe_sign_in_is_on():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class _ProblemPage(ContentPage):
    template_name = "accounts/sign_in_problem.html"


def _problem(request, *, unavailable: bool):
    """The page for a sign-in that did not complete: try again, or try again later."""
    title = "Sorry, DfE Sign-in is not available" if unavailable else "Sorry, you could not be signed in"
    view = _ProblemPage(title=title)
    view.setup(request)
    context = view.get_context_data(unavailable=unavailable)
    return TemplateResponse(request, view.template_name, context, status=503 if unavailable else 400)


def _sign_in_failed(request, failure: DfESignInFailed):
    security_event(
        "sign_in",
        outcome="failure",
        request=request,
        method=METHOD,
        reason=failure.reason,
        **failure.details,
    )
    # Nothing of a failed flow is worth keeping. Someone already signed in stays signed in, though:
    # a forged callback link must not be a way to sign people out.
    if not request.user.is_authenticated:
        request.session.flush()
    return _problem(request, unavailable=isinstance(failure, DfESignInUnavailable))


@method_decorator(login_not_required, name="dispatch")
class DfESignInStartView(DfESignInOnlyMixin, View):
    """Send the person to DfE Sign-in (a POST, from the sign-in page's button)."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            return dfe_sign_in_start(request, next_path=request.POST.get("next"))
        except DfESignInFailed as failure:
            return _sign_in_failed(request, failure)


@method_decorator(login_not_required, name="dispatch")
class DfESignInCallbackView(DfESignInOnlyMixin, View):
    """Where DfE Sign-in sends the person back, with a code to exchange for their identity."""

    http_method_names = ["get"]

    def get(self, request):
        next_path = dfe_sign_in_next_path(request.session.pop(SESSION_NEXT, None))
        try:
            identity = dfe_sign_in_identity(request)
        except DfESignInFailed as failure:
            return _sign_in_failed(request, failure)

        try:
            user = dfe_sign_in_user_resolve(identity=identity, request=request)
        except DfESignInNoAccount as refusal:
            return self._refuse(request, "user-not-found", reason=refusal.reason, dfe_sign_in_uid=identity.sub)

        if not user.can_use_web_interface:
            return self._refuse(request, "unauthorised", target=user.pk, reason=user_web_access_refusal(user))

        try:
            user = dfe_sign_in_user_update(user=user, identity=identity, request=request)
        except DfESignInNoAccount as refusal:  # Linked to someone else since it was found.
            return self._refuse(request, "user-not-found", reason=refusal.reason, dfe_sign_in_uid=identity.sub)
        if not user_sign_in(request=request, user=user):
            return self._refuse(request, "unauthorised", target=user.pk, reason=user_web_access_refusal(user))
        request.session[SESSION_ID_TOKEN] = identity.id_token
        security_event("sign_in", outcome="success", request=request, actor=user, method=METHOD)
        return redirect(next_path)

    def _refuse(self, request, page: str, *, reason: str, target=None, **details):
        security_event(
            "sign_in",
            outcome="denied",
            request=request,
            target=target,
            method=METHOD,
            reason=reason,
            **details,
        )
        request.session.flush()
        return redirect(page)


@method_decorator(login_not_required, name="dispatch")
class UserNotFoundView(DfESignInOnlyMixin, ContentPage):
    template_name = "accounts/user_not_found.html"
    title = "Ask for an account to access the Register of training providers"
