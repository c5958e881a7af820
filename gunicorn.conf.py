"""Gunicorn's settings for the service's web processes (`gunicorn`, run in this folder, reads them).

Sync workers, each handling one request at a time: the views and the ORM are synchronous, and for
them sync workers serve more requests than an ASGI server does. WEB_CONCURRENCY sets how many (2
by default; about two per core is a good start). Where to listen is gunicorn's own `--bind`, or
$PORT on every address, or 127.0.0.1:8000.

Logs follow the service's LOG_FORMAT: with `json` (the default when DEBUG is off) gunicorn's own
messages are JSON like the service's, and its access log is one JSON object per request, with the
request's id (the X-Request-Id the service answered with), its path without the query string (the
sign-in callback carries a one-time code there), status, duration and size. No record of gunicorn's
carries a query string (registry.logging.QueryStringFilter).
"""

import sys
from pathlib import Path

from gunicorn import glogging

BASE_DIR = Path(__file__).resolve().parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from registry.env import env_bool, env_int, env_str  # noqa: E402  (needs BASE_DIR on the path)

LOG_FORMAT = env_str("LOG_FORMAT", default="plain" if env_bool("DEBUG", default=True) else "json")

wsgi_app = "registry.wsgi:application"
chdir = str(BASE_DIR)
worker_class = "sync"
workers = env_int("WEB_CONCURRENCY", default=2)
# A worker stuck on one request this long is killed and replaced (every outside call the service
# makes has a shorter timeout of its own).
timeout = 30
# On SIGTERM, requests in progress get this long to finish.
graceful_timeout = 30
# Gunicorn's runtime control socket is not used; without this, two servers on one machine share a path.
control_socket_disable = True
accesslog = "-"
# Not used (Logger.access below writes each request's record itself, the path without its query);
# should gunicorn's own access log ever be used, it too has the path only: %(U)s, never %(r)s or %(q)s.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)sus "%(a)s"'


class Logger(glogging.Logger):
    """Gunicorn's logger, writing the service's LOG_FORMAT, with one structured record per request."""

    def setup(self, cfg):
        super().setup(cfg)
        from registry.logging import JsonFormatter, QueryStringFilter

        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            # Gunicorn's own messages quote the request's URI, query string and all ("Error handling
            # request /auth/dfe/callback/?code=…"): taken out, as from every record of the service's.
            handler.addFilter(QueryStringFilter())
            if LOG_FORMAT == "json":
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            fields = access_fields(resp, environ, request_time)
            self.access_log.info(
                "%s %s %s %sms",
                fields["method"],
                fields["path"],
                fields["status"],
                fields["duration_ms"],
                extra=fields,
            )
        except Exception:
            self.exception("Could not write the access log for a request")


def access_fields(resp, environ, request_time) -> dict:
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    headers = {name.lower(): value for name, value in (resp.headers or [])}
    return {
        "event": "http_request",
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "status": int(status),
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
        "bytes": getattr(resp, "sent", None),
        "request_id": headers.get("x-request-id"),
        "remote_addr": environ.get("REMOTE_ADDR"),
        "user_agent": environ.get("HTTP_USER_AGENT"),
    }


logger_class = Logger
