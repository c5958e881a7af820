"""Making the database unreachable inside one test, as a PostgreSQL outage looks to the service.

Django turns the driver's errors into `django.db.OperationalError`, and that is what every query
raises here, with the words PostgreSQL's client uses when nothing listens on the server's port.
"""

import contextlib
from unittest import mock

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

REFUSED = (
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused\n'
    "\tIs the server running on that host and accepting TCP/IP connections?"
)


@contextlib.contextmanager
def database_unreachable():
    """Every query on the default database fails while this is open, as when the server is down."""

    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    connection = connections[DEFAULT_DB_ALIAS]
    with mock.patch.object(connection, "cursor", refuse), mock.patch.object(connection, "chunked_cursor", refuse):
        yield
