"""`make run` on SQLite: requests that write at the same time wait their turn, never "database is locked".

The development server answers each request in a thread of its own, and the email worker shares the
file. The workload here is what adding a user does: in one transaction, look for the email address,
then save. Under SQLite's default (DEFERRED) transactions, one that has read cannot take the write
lock once another has written, and fails at once; the settings make every transaction take the
write lock as it begins (IMMEDIATE), so writers queue instead.
"""

import copy
import importlib.util
import threading
import time

import pytest
from django.db import OperationalError, connections, transaction

WRITERS = 8


def _sqlite_settings(monkeypatch, path) -> dict:
    """The `default` database the settings module makes of DATABASE_URL=sqlite:///`path`."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    spec = importlib.util.find_spec("registry.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DATABASES["default"]


@pytest.fixture
def database_file(monkeypatch, tmp_path, django_db_blocker):
    """Add a connection alias for an SQLite file configured as the settings configure it; the alias and
    the file's connections go afterwards. Yields a function that registers one with given settings."""
    aliases = []

    def register(config: dict) -> str:
        alias = f"sqlite_concurrency_{len(aliases)}"
        connections.settings[alias] = connections.configure_settings({"default": {}, alias: config})[alias]
        aliases.append(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE submission (id INTEGER PRIMARY KEY, email TEXT UNIQUE)")
        return alias

    with django_db_blocker.unblock():
        yield register
        for alias in aliases:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def _submit_at_once(alias: str) -> list[str]:
    """WRITERS threads, each checking an address is free and saving it in one transaction, all at
    once; the errors they met."""
    errors = []
    start = threading.Barrier(WRITERS)

    def submit(number: int) -> None:
        email = f"user.{number}@education.gov.uk"
        start.wait()
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM submission WHERE email = %s", [email])
                time.sleep(0.05)  # the form's other checks: every transaction overlaps another
                cursor.execute("INSERT INTO submission (email) VALUES (%s)", [email])
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=submit, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def _saved(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM submission")
        return cursor.fetchone()[0]


def test_the_settings_give_sqlite_wal_a_busy_timeout_and_immediate_transactions(monkeypatch, tmp_path):
    options = _sqlite_settings(monkeypatch, tmp_path / "db.sqlite3")["OPTIONS"]

    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 10
    assert options["transaction_mode"] == "IMMEDIATE"


def test_writers_at_the_same_time_queue_and_every_one_is_saved(monkeypatch, tmp_path, database_file):
    alias = database_file(_sqlite_settings(monkeypatch, tmp_path / "db.sqlite3"))

    errors = _submit_at_once(alias)

    assert errors == []
    assert _saved(alias) == WRITERS
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_without_immediate_transactions_the_same_writers_fail_with_database_is_locked(
    monkeypatch, tmp_path, database_file
):
    # What the test above guards against: the workload does meet the failure it is about.
    config = copy.deepcopy(_sqlite_settings(monkeypatch, tmp_path / "db.sqlite3"))
    config["OPTIONS"]["transaction_mode"] = "DEFERRED"
    alias = database_file(config)

    errors = _submit_at_once(alias)

    assert errors
    assert set(errors) == {"database is locked"}
    assert _saved(alias) == WRITERS - len(errors)
