"""Structured logs: one JSON object per line, for the log pipeline rather than for eyes."""

import contextvars
import datetime
import json
import logging

# Attributes every LogRecord has; anything else was passed in `extra=` and belongs in the output.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}

# The id of the request being handled (set by registry.middleware.RequestIdMiddleware), or None
# outside a request. A context variable, so each thread (or task) handling a request has its own.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Put the id of the request being handled on every record logged while it is handled.

    Used on the handler, so that it sees the records of every logger, Django's own included. A
    `request_id` given in `extra=` is kept; outside a request, records get none.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            request_id = current_request_id.get()
            if request_id is not None:
                record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes newlines and quotes, so a crafted value cannot forge a second record.
        return json.dumps(entry, default=str, ensure_ascii=False)
