from django.conf import settings
from django.urls import path

from accounts.notifications.pages import change_notifications_urls
from accounts.views import account, dfe_sign_in, pages, personas

urlpatterns = [
    path("", pages.StartView.as_view(), name="start"),
    path("sign-in/", pages.SignInView.as_view(), name="sign-in"),
    path("sign-out/", pages.SignOutView.as_view(), name="sign-out"),
    path("unauthorised/", pages.UnauthorisedView.as_view(), name="unauthorised"),
    path("account/", account.YourAccountView.as_view(), name="your-account"),
    *change_notifications_urls("account/email-notifications/"),
    # DfE Sign-in: always routed, and answering 404 unless SIGN_IN_METHOD is "dfe-sign-in".
    path("sign-in/dfe/", dfe_sign_in.DfESignInStartView.as_view(), name="dfe-sign-in"),
    path("auth/dfe/callback/", dfe_sign_in.DfESignInCallbackView.as_view(), name="dfe-sign-in-callback"),
    path("sign-in/user-not-found/", dfe_sign_in.UserNotFoundView.as_view(), name="user-not-found"),
]

# Persona sign-in lets anyone act as anyone, so its URLs exist only where it is switched on (a
# system check refuses it with DEBUG off).
if settings.SIGN_IN_METHOD == "persona":
    urlpatterns += [
        path("personas/", personas.PersonaListView.as_view(), name="personas"),
        path("personas/<uuid:user_id>/sign-in/", personas.PersonaSignInView.as_view(), name="persona-sign-in"),
    ]
