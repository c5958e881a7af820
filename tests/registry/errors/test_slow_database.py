"""A slow database: PostgreSQL cancels any statement that runs past DATABASE_STATEMENT_TIMEOUT_MS, and
the request is a clean 503 (the service's page, or the API's JSON error), logged once, with nothing
of it saved. Commands (`manage.py`: migrations, the import) are not cut off.

The database is made slow for real: another connection holds a lock the request needs, as a long
transaction or a migration would. Run with DATABASE_URL=postgres://…; on SQLite these are skipped.
"""

import contextlib
import importlib.util
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import ApiClient, Email
from tests.accounts.api_clients.fixtures import bearer, issue
from tests.factories import ApiUserFactory, SupportAdministratorFactory, UserFactory
from tests.registry.errors.test_database_outage import assert_service_unavailable_page
from tests.support.slow_server import SlowServer

BASE_DIR = Path(__file__).resolve().parents[3]
# Short, so the tests are quick; what matters is that the request ends soon after it, cleanly.
LIMIT_MS = 300
# libpq's shortest time limit for connecting.
CONNECT_SECONDS = 2
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
# Another connection must see the rows the test makes, and hold its lock while the request waits.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
UNAVAILABLE = {"error": "ServiceUnavailable", "message": "The service is unavailable: try again later"}


def _settings_with(monkeypatch, **environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.find_spec("registry.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_postgresql_connection_starts_with_the_statement_time_limit(monkeypatch):
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_MS", raising=False)
    default = _settings_with(monkeypatch, DATABASE_URL="postgres://registry@db.internal:5432/registry")
    chosen = _settings_with(monkeypatch, DATABASE_STATEMENT_TIMEOUT_MS="2500")

    assert default.DATABASES["default"]["OPTIONS"]["options"] == "-c statement_timeout=10000"
    assert chosen.DATABASES["default"]["OPTIONS"]["options"] == "-c statement_timeout=2500"


def test_options_the_database_url_gives_are_kept_beside_it(monkeypatch):
    module = _settings_with(
        monkeypatch,
        DATABASE_URL="postgres://registry@db.internal:5432/registry?options=-c%20search_path%3Dregistry",
        DATABASE_STATEMENT_TIMEOUT_MS="5000",
    )

    assert module.DATABASES["default"]["OPTIONS"]["options"] == "-c search_path=registry -c statement_timeout=5000"


def test_connecting_is_bounded_unless_the_database_url_says_otherwise(monkeypatch):
    default = _settings_with(monkeypatch, DATABASE_URL="postgres://registry@db.internal:5432/registry")
    given = _settings_with(monkeypatch, DATABASE_URL="postgres://registry@db.internal:5432/registry?connect_timeout=2")

    assert default.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 5
    assert given.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 2


def test_0_means_no_limit(monkeypatch):
    module = _settings_with(
        monkeypatch,
        DATABASE_URL="postgres://registry@db.internal:5432/registry",
        DATABASE_STATEMENT_TIMEOUT_MS="0",
    )

    assert "options" not in module.DATABASES["default"]["OPTIONS"]


@pytest.fixture
def statement_time_limit():
    """This process's connection, started again with the limit as the settings give it (LIMIT_MS)."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("options")
    options["options"] = f"-c statement_timeout={LIMIT_MS}"
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{LIMIT_MS}ms"
    yield
    if before is None:
        options.pop("options")
    else:
        options["options"] = before
    connection.close()


@contextlib.contextmanager
def locked(table: str, mode: str):
    """Another session holds a lock on `table` in `mode` until the block ends, as a long transaction would."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"],
    ) as other:
        other.execute(f"LOCK TABLE {table} IN {mode} MODE")
        try:
            yield
        finally:
            other.rollback()


def _logged_once(caplog):
    """The records of the request's failure: the one `database_unavailable` record and nothing else."""
    errors = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [getattr(record, "event", None) for record in errors] == ["database_unavailable"]
    assert not errors[0].exc_info
    return errors


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


@on_postgresql
@committed
def test_a_save_held_up_past_the_limit_is_the_unavailable_page_and_nothing_is_saved(
    failing_client, statement_time_limit, caplog
):
    administrator = SupportAdministratorFactory()
    user = UserFactory(first_name="Mary", last_name="Lawson")
    failing_client.force_login(administrator, backend="accounts.backends.ServiceAccountBackend")
    history_before = user.history.count()

    # Deleting a user changes the account, writes its history, then queues an email: the outbox is
    # locked against writes, so the deletion waits there, part way through its transaction.
    with locked("accounts_email", "SHARE"):
        started = time.monotonic()
        response = failing_client.post(
            reverse("admin:accounts_user_delete", args=[user.pk]), headers={"X-Request-Id": "req-slow-save"}
        )
        took = time.monotonic() - started

    assert took < 5
    assert_service_unavailable_page(response, request_id="req-slow-save")
    (record,) = _logged_once(caplog)
    assert (record.levelname, record.method, record.request_id) == ("ERROR", "POST", "req-slow-save")
    assert record.error == "OperationalError: canceling statement due to statement timeout"
    user.refresh_from_db()
    assert (user.deleted_at, user.is_active) == (None, True)
    assert user.history.count() == history_before
    assert not Email.objects.filter(user=user).exists()


@on_postgresql
@committed
def test_an_api_read_held_up_past_the_limit_is_the_apis_json_503(failing_client, statement_time_limit, caplog):
    _, token = issue(ApiUserFactory())

    with locked("registry_provider", "ACCESS EXCLUSIVE"):
        started = time.monotonic()
        response = failing_client.get("/api/v1/providers", headers={**bearer(token), "X-Request-Id": "req-slow-read"})
        took = time.monotonic() - started

    assert took < 5
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"errors": [{**UNAVAILABLE, "request_id": "req-slow-read"}]}
    assert b"statement timeout" not in response.content
    (record,) = _logged_once(caplog)
    assert (record.method, record.path, record.request_id) == ("GET", "/api/v1/providers", "req-slow-read")
    assert record.error == "OperationalError: canceling statement due to statement timeout"
    # Once the lock is gone, the same request works.
    assert failing_client.get("/api/v1/providers", headers=bearer(token)).status_code == 200


@on_postgresql
@committed
def test_an_api_write_held_up_past_the_limit_saves_nothing(failing_client, statement_time_limit, caplog):
    api_user = ApiUserFactory()
    _, token = issue(api_user)
    before = ApiClient.objects.count()

    # Adding a client writes the client, then its token: the tokens are locked against writes.
    with locked("accounts_apitoken", "SHARE"):
        response = failing_client.post(
            "/api/v1/clients",
            {"name": "Admissions system"},
            content_type="application/json",
            headers={**bearer(token), "X-Request-Id": "req-slow-write"},
        )

    assert response.status_code == 503, response.content
    assert response.json()["errors"][0]["error"] == "ServiceUnavailable"
    assert len(_logged_once(caplog)) == 1
    assert ApiClient.objects.count() == before
    assert not ApiClient.objects.filter(name="Admissions system").exists()


def _statement_timeout_in_a_command(**environment) -> str:
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout')\n"
        "    print(cursor.fetchone()[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "--command", code],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@on_postgresql
@pytest.mark.django_db
def test_commands_are_not_cut_off_by_the_web_limit_unless_given_their_own(monkeypatch):
    monkeypatch.delenv("DATABASE_COMMAND_STATEMENT_TIMEOUT_MS", raising=False)

    assert _statement_timeout_in_a_command(DATABASE_STATEMENT_TIMEOUT_MS="2500") == "0"
    assert _statement_timeout_in_a_command(DATABASE_COMMAND_STATEMENT_TIMEOUT_MS="60000") == "1min"


@on_postgresql
@committed
def test_a_database_that_takes_the_connection_and_never_answers_is_the_unavailable_page_in_time(failing_client, caplog):
    failing_client.force_login(SupportAdministratorFactory(), backend="accounts.backends.ServiceAccountBackend")
    settings = connection.settings_dict
    before = (settings["HOST"], settings["PORT"], settings["OPTIONS"].get("connect_timeout"))
    connection.close()
    try:
        with SlowServer() as stalled:
            settings["HOST"], settings["PORT"] = "127.0.0.1", stalled.port
            # As the settings bound it (5 seconds by default), shorter to keep the test quick.
            settings["OPTIONS"]["connect_timeout"] = CONNECT_SECONDS
            started = time.monotonic()
            response = failing_client.get(
                reverse("admin:accounts_user_changelist"), headers={"X-Request-Id": "req-hung"}
            )
            took = time.monotonic() - started
    finally:
        settings["HOST"], settings["PORT"], settings["OPTIONS"]["connect_timeout"] = before
        connection.close()

    assert took < 2 * CONNECT_SECONDS, took
    assert_service_unavailable_page(response, request_id="req-hung")
    (record,) = _logged_once(caplog)
    assert record.error.startswith("OperationalError: connection")
