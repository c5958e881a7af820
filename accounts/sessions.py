"""The session engine (SESSION_ENGINE = "accounts.sessions"): Django's cached database sessions,
with each session row tied to its account; and ending an account's sessions."""

import datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from registry.cache import CACHE_UNAVAILABLE

# Keys this service keeps in a signed-in session.
SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVE_AT = "last_active_at"


class SessionStore(CachedDBStore):
    cache_key_prefix = "accounts.sessions"

    @classmethod
    def get_model_class(cls):
        from accounts.models import Session

        return Session

    def load(self):
        """The session, from the cache or else the database, and then kept in the cache.

        Django's own reads the database when the cache fails, then waits on the cache again to keep
        what it read: a Redis that does not answer would cost the request its time limit twice
        before the 503 (registry.views). The first wait is the only one.
        """
        try:
            data = self._cache.get(self.cache_key)
        except CACHE_UNAVAILABLE:
            raise
        except Exception:
            # As Django's: a key the cache refuses starts the session again.
            data = None
        if data is not None:
            return data
        return self._load_from_the_database()

    def _load_from_the_database(self):
        # Django's load, with the cache already asked.
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=session.expire_date))
        return data

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
