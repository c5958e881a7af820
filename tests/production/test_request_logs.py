"""Every record logged while a request is handled carries its id; gunicorn's logs are JSON too."""

import datetime
import json
import logging
import runpy
import types

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from gunicorn.config import Config

from registry import urls as service_urls
from registry.logging import JsonFormatter, RequestIdFilter, current_request_id
from tests.production.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db

view_logger = logging.getLogger("tests.production.view")


@login_not_required
def logging_view(request):
    view_logger.info("Inside the view")
    view_logger.info("With an id of its own", extra={"request_id": "given-by-the-caller"})
    return HttpResponse("ok")


# This module doubles as a URLconf: the service's own URLs and a view that logs.
urlpatterns = [path("test/logs/", logging_view), *service_urls.urlpatterns]
handler404, handler500 = service_urls.handler404, service_urls.handler500


class _Capture(logging.Handler):
    """A handler like the service's console handler: it has the request-id filter too."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdFilter())

    def emit(self, record):
        self.records.append(record)

    def by(self, logger: str) -> list[logging.LogRecord]:
        return [record for record in self.records if record.name == logger]


@pytest.fixture
def captured():
    handler = _Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def test_the_service_log_handler_has_the_request_id_filter():
    handlers = logging.getLogger().handlers

    assert any(isinstance(each, RequestIdFilter) for handler in handlers for each in handler.filters)


@pytest.mark.urls(__name__)
def test_what_a_view_logs_carries_the_request_id(client, captured):
    response = client.get("/test/logs/")

    inside, given = captured.by("tests.production.view")
    assert inside.request_id == response["X-Request-Id"]
    # An id given with the record is the one it keeps.
    assert given.request_id == "given-by-the-caller"
    assert json.loads(JsonFormatter().format(inside))["request_id"] == response["X-Request-Id"]


@pytest.mark.urls(__name__)
def test_the_id_a_load_balancer_gave_the_request_is_logged(client, captured):
    client.get("/test/logs/", headers={"X-Request-Id": "lb-0123456789abcdef"})

    assert captured.by("tests.production.view")[0].request_id == "lb-0123456789abcdef"


@pytest.mark.urls(__name__)
def test_djangos_own_log_of_an_error_response_carries_it_too(client, captured):
    # Django logs "Not Found" once every middleware has returned the response.
    response = client.get("/test/no-such-page/")

    [record] = captured.by("django.request")
    assert record.getMessage() == "Not Found: /test/no-such-page/"
    assert record.request_id == response["X-Request-Id"]


@pytest.mark.urls(__name__)
def test_nothing_logged_outside_a_request_carries_one(client, captured):
    client.get("/test/logs/")

    view_logger.info("After the response was sent")

    assert current_request_id.get() is None
    assert not hasattr(captured.records[-1], "request_id")


# --- Gunicorn's logs (gunicorn.conf.py) ------------------------------------------------------------


@pytest.fixture
def gunicorn_conf(monkeypatch):
    """gunicorn.conf.py as gunicorn reads it, in the environment the test sets first."""

    def load(**environment) -> dict:
        for name in ("LOG_FORMAT", "DEBUG", "WEB_CONCURRENCY"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))

    return load


@pytest.fixture
def gunicorn_logger():
    """Make gunicorn's logger from a config module, as the arbiter does, and take its handlers off afterwards."""
    made = []

    def make(conf: dict):
        cfg = Config()
        for name in ("accesslog", "logger_class"):
            cfg.set(name, conf[name])
        logger = cfg.logger_class(cfg)
        made.append(logger)
        return logger

    yield make
    for logger in made:
        for log in (logger.error_log, logger.access_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)


def _request(logger, *, status="200 OK", path="/healthcheck", query=""):
    response = types.SimpleNamespace(
        status=status, headers=[("Content-Type", "text/html"), ("X-Request-Id", "abc123def456")], sent=1234
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "RAW_URI": f"{path}?{query}" if query else path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_USER_AGENT": "ELB-HealthChecker/2.0",
    }
    logger.access(response, None, environ, datetime.timedelta(microseconds=12_345))


def test_web_processes_are_sync_workers_serving_the_service_two_by_default(gunicorn_conf):
    conf = gunicorn_conf()

    assert (conf["wsgi_app"], conf["worker_class"], conf["workers"]) == ("registry.wsgi:application", "sync", 2)
    assert gunicorn_conf(WEB_CONCURRENCY="5")["workers"] == 5


def test_with_json_logs_each_request_is_one_json_record_with_its_id_and_no_query_string(
    gunicorn_conf, gunicorn_logger, capsys
):
    logger = gunicorn_logger(gunicorn_conf(DEBUG="false"))

    # The sign-in callback's query string holds a one-time code.
    _request(logger, status="302 Found", path="/auth/dfe/callback/", query="code=one-time-code&state=xyz")

    output = capsys.readouterr().out
    record = json.loads(output)
    assert record.pop("ts")
    assert record == {
        "level": "info",
        "logger": "gunicorn.access",
        "message": "GET /auth/dfe/callback/ 302 12.3ms",
        "event": "http_request",
        "method": "GET",
        "path": "/auth/dfe/callback/",
        "status": 302,
        "duration_ms": 12.3,
        "bytes": 1234,
        "request_id": "abc123def456",
        "remote_addr": "10.0.0.7",
        "user_agent": "ELB-HealthChecker/2.0",
    }
    assert "one-time-code" not in output


def test_with_json_logs_gunicorns_own_messages_are_json(gunicorn_conf, gunicorn_logger, capsys):
    logger = gunicorn_logger(gunicorn_conf(LOG_FORMAT="json"))

    logger.error("WORKER TIMEOUT (pid:%s)", 123)

    record = json.loads(capsys.readouterr().err)
    assert (record["level"], record["logger"]) == ("error", "gunicorn.error")
    assert record["message"] == "WORKER TIMEOUT (pid:123)"


def test_with_plain_logs_each_request_is_one_readable_line(gunicorn_conf, gunicorn_logger, capsys):
    logger = gunicorn_logger(gunicorn_conf(LOG_FORMAT="plain"))

    _request(logger)

    assert capsys.readouterr().out == "GET /healthcheck 200 12.3ms\n"


@pytest.mark.parametrize("log_format", ["json", "plain"])
def test_gunicorns_own_messages_never_carry_a_query_string(gunicorn_conf, gunicorn_logger, capsys, log_format):
    logger = gunicorn_logger(gunicorn_conf(LOG_FORMAT=log_format))

    # What gunicorn logs when a request breaks: its URI, the query string with it.
    try:
        raise OSError("Connection reset by peer")
    except OSError:
        logger.exception("Error handling request %s", "/auth/dfe/callback/?code=one-time-code&state=xyz")

    output = capsys.readouterr().err
    assert "Error handling request /auth/dfe/callback/?[redacted]" in output
    assert "one-time-code" not in output


def test_gunicorns_access_log_format_has_the_path_without_the_query_string(gunicorn_conf):
    access_log_format = gunicorn_conf()["access_log_format"]

    assert "%(U)s" in access_log_format
    for atom in ("%(r)s", "%(q)s"):
        assert atom not in access_log_format
