"""The DATABASES setting: the database DATABASE_URL names, with what each engine needs to hold up
under load and under faults."""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"
# Seconds to wait while connecting to PostgreSQL, unless the URL gives its own `connect_timeout`.
CONNECT_TIMEOUT_SECONDS = 5


def database_settings(url: str, *, conn_max_age: int, statement_timeout_ms: int) -> dict:
    """The default database's settings, from its URL.

    `statement_timeout_ms` is how long one SQL statement may run before PostgreSQL cancels it (0: no
    limit): a slow database, or a lock held too long, then costs a request that long and a clean 503
    (logged as `database_unavailable`), not a worker until gunicorn kills it.
    """
    if statement_timeout_ms < 0:
        raise ImproperlyConfigured("DATABASE_STATEMENT_TIMEOUT_MS must be 0 (no limit) or more.")
    database = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == SQLITE:
        # The development server's threads and the email worker share the file. WAL lets them read while
        # one writes; each transaction takes the write lock as it begins (IMMEDIATE), so writers queue,
        # up to `timeout` seconds, rather than fail with "database is locked" when a transaction that
        # has read tries to write after another has written (SQLite cannot wait for that lock, only refuse).
        options.update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            }
        )
    if database["ENGINE"] == POSTGRESQL:
        # Without a bound, a database host that does not answer holds a request until gunicorn kills
        # its worker.
        options.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        if statement_timeout_ms:
            # libpq's `options` sets the limit as each connection starts: no query of its own for it.
            limit = f"-c statement_timeout={statement_timeout_ms}"
            options["options"] = f"{options.get('options', '')} {limit}".strip()
    return database
