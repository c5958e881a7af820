"""The session engine (SESSION_ENGINE = "accounts.sessions"): Django's cached database sessions,
with each session row tied to its account; and ending an account's sessions."""

import datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

# Keys this service keeps in a signed-in session.
SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVE_AT = "last_active_at"


class SessionStore(CachedDBStore):
    cache_key_prefix = "accounts.sessions"

    @classmethod
    def get_model_class(cls):
        from accounts.models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(SESSION_KEY)
        return session


def user_sessions_end(*, user) -> int:
    """End every web session of `user`, in the database and in the cache. Returns how many."""
    from accounts.models import Session

    keys = list(Session.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        SessionStore(session_key=key).delete()
    return len(keys)


def session_timestamp(moment: datetime.datetime) -> int:
    return int(moment.timestamp())
