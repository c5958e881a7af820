"""Session lifetime: signed-in sessions end after SESSION_IDLE_SECONDS without a request, and in
any case SESSION_ABSOLUTE_SECONDS after sign-in, whatever the activity."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from accounts.sessions import LAST_ACTIVE_AT, SIGNED_IN_AT
from registry.security_events import security_event

# Recording activity costs a session write; once a minute is precise enough for a 2-hour limit.
_ACTIVITY_RESOLUTION_SECONDS = 60


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if SIGNED_IN_AT not in request.session:
                # Signed in by a path that did not start the clock (Django's own login()): start it.
                request.session[SIGNED_IN_AT] = request.session[LAST_ACTIVE_AT] = now
            signed_in_at = request.session[SIGNED_IN_AT]
            last_active_at = request.session.get(LAST_ACTIVE_AT, signed_in_at)
            idle = now - last_active_at > settings.SESSION_IDLE_SECONDS
            too_old = now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                security_event(
                    "session_expired", outcome="success", request=request, reason="idle" if idle else "absolute"
                )
                logout(request)
                return redirect(f"{settings.LOGIN_URL}?next={request.get_full_path()}")
            if now - last_active_at >= _ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVE_AT] = now
        return self.get_response(request)
