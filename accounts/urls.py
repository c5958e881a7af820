from django.conf import settings
from django.urls import path

from accounts.views import pages, personas

urlpatterns = [
    path("", pages.StartView.as_view(), name="start"),
    path("sign-in/", pages.SignInView.as_view(), name="sign-in"),
    path("sign-out/", pages.SignOutView.as_view(), name="sign-out"),
    path("unauthorised/", pages.UnauthorisedView.as_view(), name="unauthorised"),
]

# Persona sign-in lets anyone act as anyone, so its URLs exist only where it is switched on (a
# system check refuses it with DEBUG off).
if settings.SIGN_IN_METHOD == "persona":
    urlpatterns += [
        path("personas/", personas.PersonaListView.as_view(), name="personas"),
        path("personas/<uuid:user_id>/sign-in/", personas.PersonaSignInView.as_view(), name="persona-sign-in"),
    ]
