"""Structured logs: one JSON object per line, for the log pipeline rather than for eyes."""

import contextvars
import datetime
import json
import logging
import re

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


# Query strings are taken out of every path or URL in a record: a word (anything between spaces)
# with a `/` before its first `?` is one, `/auth/dfe/callback/?code=…` or `https://host/x?token=…`.
REDACTED_QUERY = "?[redacted]"
_WORD = re.compile(r"\S+")
# What may close a quoted URL after its query string, as in `<WSGIRequest: GET '/x?token=…'>`: kept.
_CLOSING = "'\"<>)],;"
_OPENING = "'\"<(["
# Fields given in `extra=` that are a query string on their own.
_QUERY_STRING_FIELDS = frozenset({"query_string", "QUERY_STRING", "query"})


def _word_redacted(match: re.Match) -> str:
    word = match.group()
    mark = word.find("?")
    if mark < 0:
        return word
    before, query = word[:mark].lstrip(_OPENING), word[mark + 1 :].rstrip(_CLOSING)
    # A path or URL with a query (`/x?…`), or a query string on its own (`?token=…`); not a `?` that
    # ends a sentence, even one that ends in a path (`/x?`).
    if query and ("/" in before or (not before and "=" in query)):
        return word[:mark] + REDACTED_QUERY + word[mark + 1 + len(query) :]
    return word


def query_strings_redacted(text: str) -> str:
    """`text` with the query string of every path or URL in it replaced by `?[redacted]`."""
    if "?" not in text:
        return text
    return _WORD.sub(_word_redacted, text)


class _RequestWithoutQuery:
    """A request put on a log record (Django's `log_response` does), shown without its query string.

    Its text (`<WSGIRequest: GET '/x?token=…'>`, what a JSON log would print) loses the query string;
    everything else is the request's own.
    """

    __slots__ = ("_request",)

    def __init__(self, request):
        object.__setattr__(self, "_request", request)

    def __getattr__(self, name):
        if name == "_request":  # not set yet (a copy being made): not the request's to answer
            raise AttributeError(name)
        return getattr(self._request, name)

    def __str__(self):
        return query_strings_redacted(repr(self._request))

    __repr__ = __str__


def _redacted(value):
    """`value` without query strings: strings, requests, and the lists and dicts of them in a record."""
    if isinstance(value, str):
        return query_strings_redacted(value)
    if isinstance(value, bool | int | float | type(None) | _RequestWithoutQuery):
        return value
    if hasattr(value, "get_full_path") and hasattr(value, "META"):
        return _RequestWithoutQuery(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redacted(item) for item in value)
    return value


class QueryStringFilter(logging.Filter):
    """Take the query string out of every path and URL a record carries, whoever logged it.

    Query strings carry secrets: the sign-in callback's one-time code and state, and whatever token a
    client puts in a URL. Django's own records carry them (the request on every 4xx and 5xx record,
    whose text is the full path), as do gunicorn's ("Error handling request /x?…") and the
    development server's request lines. Used on every handler, like `RequestIdFilter`; the record is
    changed in place, so every handler after it sees it redacted too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            self._redact(record)
        except Exception:  # Never lose a record to the redaction itself: say so, rather than leak.
            record.msg, record.args = "A log record could not be redacted, so its message was dropped.", ()
        return True

    def _redact(self, record: logging.LogRecord) -> None:
        if record.args or not isinstance(record.msg, str) or "?" in record.msg:
            message = record.getMessage()
            redacted = query_strings_redacted(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        for name, value in list(vars(record).items()):
            if name in _RECORD_ATTRIBUTES:
                continue
            if name in _QUERY_STRING_FIELDS and isinstance(value, str) and value:
                setattr(record, name, "[redacted]")
            else:
                redacted = _redacted(value)
                if redacted is not value:
                    setattr(record, name, redacted)
        if record.exc_info and not record.exc_text:
            # Formatters use this text rather than format the exception again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = query_strings_redacted(record.exc_text)
        if record.stack_info:
            record.stack_info = query_strings_redacted(record.stack_info)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES})
        if record.exc_text:
            # Set by QueryStringFilter: the exception's text without query strings.
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes newlines and quotes, so a crafted value cannot forge a second record.
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_settings(*, level: str, log_format: str) -> dict:
    """The LOGGING setting: one console handler, in `log_format` ("plain" or "json"), at `level`.

    Every record logged while a request is handled carries that request's id (RequestIdMiddleware),
    and no record carries a query string (the sign-in callback's code, a token put in a URL).
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "registry.logging.JsonFormatter"},
        },
        # Every record logged while a request is handled carries that request's id (RequestIdMiddleware),
        # and no record carries a query string (the sign-in callback's code, a token put in a URL).
        "filters": {
            "request_id": {"()": "registry.logging.RequestIdFilter"},
            "query_strings": {"()": "registry.logging.QueryStringFilter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id", "query_strings"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Every record goes through the one handler above, and its filters: none of Django's own
            # handlers (its debug console, mail to ADMINS, the development server's request lines, which
            # carry the query string) is kept.
            "django": {"handlers": [], "level": "INFO"},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "django.db.backends": {"level": "INFO"},
            # Its warnings quote Notify's replies verbatim; our worker logs each failure itself, redacted.
            "notifications_python_client": {"level": "ERROR"},
            # At DEBUG it logs the PKCE code verifier of a sign-in in progress.
            "authlib": {"level": "INFO"},
            # Gunicorn warns of every answer to a HEAD request, whose body Django leaves to the server to drop.
            "gunicorn.http.wsgi": {"level": "ERROR"},
        },
    }
