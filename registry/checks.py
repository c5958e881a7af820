"""System checks that stop an unsafe configuration from starting."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def persona_sign_in_is_local_only(app_configs, **kwargs):
    if settings.SIGN_IN_METHOD == "persona" and not settings.DEBUG:
        return [
            Error(
                "Persona sign-in lets anyone sign in as anyone, so it is only for local use.",
                hint="Set SIGN_IN_METHOD=dfe-sign-in, or turn DEBUG on for local use.",
                id="registry.E001",
            )
        ]
    return []
