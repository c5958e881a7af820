"""What the load needs in the service's database, made through the service's own code.

Run by the load test inside the service, with the server's settings:

    manage.py shell --no-imports -c "from bench.load.prepare import main; main()"

It prints one line, `bench-load-prepared {...}`: the API token, the session cookie of a signed-in
support administrator, and the ids of the providers the API can show.
"""

import json

PREFIX = "bench-load-prepared "


def main() -> None:
    # Imported here: the load test reads PREFIX from this module without setting Django up.
    from django.conf import settings
    from django.test import RequestFactory

    from accounts.api_clients.services import api_client_create
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create, user_sign_in
    from accounts.sessions import SessionStore
    from registry.models import Provider

    administrator = (
        User.objects.kept()
        .filter(role=Role.SUPPORT_ADMINISTRATOR, is_active=True, is_api_user=False)
        .order_by("email")
        .first()
    )
    if administrator is None:
        raise SystemExit("No active support administrator: were the fixtures loaded?")

    # As the support team does it in the admin: an API user, then their first client and its token.
    api_user = user_create(
        actor=administrator,
        first_name="Load",
        last_name="Test",
        email="load.test.api.user@example.com",
        is_api_user=True,
    )
    _, issued = api_client_create(actor=administrator, owner=api_user, name="Load test")

    # Signed in as the sign-in views do it (user_sign_in), in a session the server's session
    # engine stores; saving it here is what the session middleware does at the end of a request.
    request = RequestFactory().get("/")
    request.session = SessionStore()
    if not user_sign_in(request=request, user=administrator):
        raise SystemExit(f"{administrator} may not sign in to the web pages.")
    request.session.save()

    providers = Provider.objects.filter(deleted_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    print(
        PREFIX
        + json.dumps(
            {
                "token": issued.secret,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}",
                "administrator": administrator.get_full_name(),
                "provider_ids": [str(pk) for pk in providers],
            }
        ),
        flush=True,
    )
