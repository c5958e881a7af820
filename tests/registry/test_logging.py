"""No log record carries a query string, whoever logs it: the sign-in callback's one-time code and a
token put in a URL stay out of the logs (ASVS 16.2.5, 14.2.1)."""

import io
import json
import logging

import pytest
from django.conf import settings

from registry.logging import JsonFormatter, QueryStringFilter, query_strings_redacted
from registry.security_events import security_event

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-one-time-value"


@pytest.fixture
def console():
    """What the service's console handler writes, as JSON, while the test runs.

    The settings make one such handler on the root logger; whichever root handlers carry the
    service's filter are all captured, so a second one left by another test cannot hide a record.
    """
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(each, QueryStringFilter) for each in handler.filters)
    ]
    assert handlers, "the settings' console handler is missing from the root logger"
    stream = io.StringIO()
    saved = [(handler, handler.setStream(stream), handler.formatter) for handler in handlers]
    for handler in handlers:
        handler.setFormatter(JsonFormatter())
    try:
        yield lambda: list({line: json.loads(line) for line in stream.getvalue().splitlines()}.values())
    finally:
        for handler, previous, formatter in saved:
            handler.setStream(previous)
            handler.setFormatter(formatter)


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Not Found: /api/v1/info?token=abc", "Not Found: /api/v1/info?[redacted]"),
        ("<WSGIRequest: GET '/x/?code=a&state=b'>", "<WSGIRequest: GET '/x/?[redacted]'>"),
        ('"GET /x?token=a HTTP/1.1" 401 12', '"GET /x?[redacted] HTTP/1.1" 401 12'),
        ("https://host.example/cb/?code=a", "https://host.example/cb/?[redacted]"),
        ("https://host.example?code=a", "https://host.example?[redacted]"),
        ("?token=abc", "?[redacted]"),
        # A question is not a query string.
        ("Is the service up? Yes", "Is the service up? Yes"),
        ("Did you mean /x?", "Did you mean /x?"),
        ("what?really", "what?really"),
    ],
)
def test_query_strings_are_taken_out_of_paths_and_urls(text, redacted):
    assert query_strings_redacted(text) == redacted


def test_every_handler_the_settings_make_takes_query_strings_out():
    config = settings.LOGGING
    [name] = [name for name, spec in config["filters"].items() if spec["()"].endswith("QueryStringFilter")]
    for handler in config["handlers"].values():
        assert name in handler["filters"]
    # Django's own handlers, which would write its records unfiltered, are not kept.
    assert logging.getLogger("django").handlers == []
    # The handlers made from the settings (pytest adds its own to the root logger).
    made = [
        handler
        for handler in (*logging.getLogger().handlers, *logging.getLogger("django.server").handlers)
        if handler.name in config["handlers"]
    ]
    assert len(made) == 2
    for handler in made:
        assert any(isinstance(each, QueryStringFilter) for each in handler.filters)


def test_a_4xx_for_an_api_url_with_a_token_in_its_query_string_is_logged_without_it(client, console):
    response = client.get(f"/api/v1/info?token={SECRET}")

    assert response.status_code == 401
    records = console()
    [logged] = [record for record in records if record["logger"] == "django.request"]
    assert logged["message"] == "Unauthorized: /api/v1/info"
    # Django puts the request itself on the record; its text is the full path.
    assert logged["request"] == "<WSGIRequest: GET '/api/v1/info?[redacted]'>"
    assert SECRET not in json.dumps(records)


def test_the_sign_in_callbacks_code_and_state_stay_out_of_the_logs(client, console):
    client.get(f"/auth/dfe/callback/?code={SECRET}&state={SECRET}-state")
    client.get(f"/no-such-page/?code={SECRET}")

    records = console()
    assert [record for record in records if record["logger"] == "django.request"]
    assert SECRET not in json.dumps(records)


def test_a_security_event_with_a_url_in_it_is_logged_without_its_query_string(console):
    security_event("sign_in", outcome="failure", path=f"/auth/dfe/callback/?code={SECRET}", query=f"code={SECRET}")

    [record] = console()
    assert record["logger"] == "security"
    assert (record["path"], record["query"]) == ("/auth/dfe/callback/?[redacted]", "[redacted]")
    assert SECRET not in json.dumps(record)


def test_a_message_argument_or_an_exception_with_a_query_string_is_logged_without_it(console):
    logger = logging.getLogger("tests.logging")
    logger.warning("Calling %s", f"https://idp.example/token?code={SECRET}")
    try:
        raise ValueError(f"Could not open /callback?code={SECRET}")
    except ValueError:
        logger.exception("Failed")

    records = console()
    assert records[0]["message"] == "Calling https://idp.example/token?[redacted]"
    assert "Could not open /callback?[redacted]" in records[1]["exception"]
    assert SECRET not in json.dumps(records)


def test_the_plain_format_takes_query_strings_out_too():
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(QueryStringFilter())
    logger = logging.getLogger("tests.logging.plain")
    logger.addHandler(handler)
    try:
        logger.warning("Not Found: %s", f"/x?token={SECRET}")
        try:
            raise ValueError(f"/callback?code={SECRET}")
        except ValueError:
            logger.exception("Failed")
    finally:
        logger.removeHandler(handler)

    output = handler.stream.getvalue()
    assert "Not Found: /x?[redacted]" in output
    assert "ValueError: /callback?[redacted]" in output
    assert SECRET not in output
