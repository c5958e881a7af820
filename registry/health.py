"""`/healthcheck`: whether this web process can do its work, for load balancers and monitoring.

It answers 200 when the database answers a query and the cache keeps a value, and 503 naming the
check that failed otherwise. It says nothing else: no versions, no error messages, no stack trace;
what went wrong is logged instead. Nobody signs in to ask it, and no answer is kept by a proxy.
"""

import logging
import secrets
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"


def database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if row is None or row[0] != 1:
        raise RuntimeError(f"SELECT 1 returned {row!r}")


def cache_check() -> None:
    # A key of its own each time, so that processes probed at the same moment cannot see each other's.
    key = f"healthcheck:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    # No clean-up when a call fails: a cache that does not answer would make the check wait for it
    # again, and the key goes by itself in 10 seconds.
    cache.set(key, value, timeout=10)
    kept = cache.get(key)
    cache.delete(key)
    if kept != value:
        raise RuntimeError("the cache did not give back the value just put in it")


CHECKS: dict[str, Callable[[], None]] = {"database": database_check, "cache": cache_check}


@login_not_required
@require_safe
def healthcheck(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check failed: %s", name, extra={"event": "healthcheck", "check": name})
            results[name] = ERROR
        else:
            results[name] = OK
    healthy = all(result == OK for result in results.values())
    response = JsonResponse({"status": OK if healthy else ERROR, "checks": results}, status=200 if healthy else 503)
    patch_cache_control(response, no_store=True)
    return response
