"""Drill: PostgreSQL stops and starts again while the service is busy, and nothing is left half-done.

Two web processes (gunicorn, two sync workers each, DEBUG off, Redis, each worker keeping its
database connection between requests) serve a steady load: API reads with a token, admin pages,
support users added through the admin's check-your-answers page, and API clients added and revoked
through the API. PostgreSQL (a server of the drill's own) is stopped in the middle of it, with
`pg_ctl stop -m fast`, which ends every session at once and rolls back whatever was in progress,
and started again a few seconds later. A save of each kind is caught part way through its
transaction when the database stops: the drill holds a lock that makes them wait, after the account
(or client) is written and before its email (or token) is. The web processes are left alone.

It shows that every request is answered, in time, either as usual or with a clean 503: the API's
JSON error for /api/, the service's "Sorry, the service is unavailable" page for the rest, never a
500 or a traceback, and each 503 logged as one `database_unavailable` record; that the health check
says 503 while the database is down and 200 once it is back; that everything works again without
restarting anything; and that no write was half-done: a user exists if and only if its history row
and its queued email do, and an API client if and only if its history, its token and its owner's
permissions do, revoked all together or not at all.

The load itself, and what became of each of its requests, is load.py's; this module holds the drill
and the checks of its outcome.
"""

import contextlib
import json
import re
import time
from collections import Counter

import pytest
from django.urls import reverse

from tests.drills.load import ADMIN_READ, ADMIN_WRITE, API_READ, API_WRITE, KINDS, Load, Outcome, summary
from tests.drills.stack import (
    HOST,
    Service,
    add_user,
    admin_csrf_token,
    json_records,
    manage_py_shell,
    sign_in,
    start_service,
)
from tests.production.conftest import wait_for

pytestmark = pytest.mark.production

# How long each side of the drill waits for what it expects before failing.
PHASE_TIMEOUT_SECONDS = 30
# The database stays down at least this long, so that the load meets it down, not only going down.
OUTAGE_SECONDS = 2

UNAVAILABLE_PAGE_TITLE = "Sorry, the service is unavailable - Register of training providers"

MAKE_API_USER = """
from accounts.api_clients.services import api_client_create
from accounts.models import User
from accounts.services import user_create

administrator = User.objects.get(email="anne.wilson@education.gov.uk")
api_user = user_create(
    actor=administrator, first_name="Load", last_name="Drill", email="load.drill@education.gov.uk", is_api_user=True
)
client, issued = api_client_create(actor=administrator, owner=api_user, name="Load drill")
print(issued.secret)
"""


# --- Setting up -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(drill_database, redis_cache, static_root, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        yield start_service(
            stack,
            database_url=drill_database,
            redis_cache=redis_cache,
            static_root=static_root,
            log_dir=tmp_path_factory.mktemp("database-restart"),
            web_processes=2,
            WEB_CONCURRENCY="2",
            # The drill is about the database, not the rate limits.
            API_RATE_LIMIT_PER_TOKEN="1000000",
            API_RATE_LIMIT_PER_ADDRESS="1000000",
        )


@pytest.fixture(scope="module")
def api_token(service):
    return manage_py_shell(MAKE_API_USER, environment=service.environment).strip().splitlines()[-1]


# --- The drill --------------------------------------------------------------------------------------


def test_requests_fail_cleanly_while_the_database_restarts_and_nothing_is_half_done(
    service, api_token, postgres_server
):
    web_pids = {web.process.name: web.process.popen.pid for web in service.webs}
    load = Load(
        service=service,
        token=api_token,
        browsers={kind: sign_in(service, service.webs[0]) for kind in (ADMIN_READ, ADMIN_WRITE)},
    )
    load.start()
    try:
        began = time.monotonic()
        wait_for(
            lambda: load.kinds_answered(began, unavailable=False) == set(KINDS),
            timeout=PHASE_TIMEOUT_SECONDS,
            what=lambda: f"every kind of request to work before the drill\n{summary(load.since(began))}",
        )

        # A save of each kind is caught part way through its transaction, waiting on a lock, when
        # the database stops under it.
        with writes_held_part_way(service):
            wait_for(
                lambda: writes_waiting(service) >= {"accounts_email", "accounts_apitoken"},
                timeout=PHASE_TIMEOUT_SECONDS,
                what=lambda: (
                    f"a save of each kind to wait part way through: {writes_waiting(service)}\n"
                    f"{summary(load.since(began))}\n" + "\n".join(map(str, database_activity(service)))
                ),
            )
            went_down = time.monotonic()
            postgres_server.stop(mode="fast")
        try:
            wait_for(
                lambda: (
                    load.kinds_answered(went_down, unavailable=True) == set(KINDS)
                    and all_probes(load, went_down, status=503)
                    and time.monotonic() - went_down >= OUTAGE_SECONDS
                ),
                timeout=PHASE_TIMEOUT_SECONDS,
                what=lambda: (
                    f"every kind of request, and the health checks, to say 503\n"
                    f"{summary(load.since(went_down))}\n{load.health_since(went_down)}"
                ),
            )
            down_health = load.health_since(went_down)
        finally:
            came_back = time.monotonic()
            postgres_server.start()

        wait_for(
            lambda: (
                load.kinds_answered(came_back, unavailable=False) == set(KINDS)
                and all_probes(load, came_back, status=200)
            ),
            timeout=PHASE_TIMEOUT_SECONDS,
            what=lambda: (
                f"every kind of request, and the health checks, to work again\n"
                f"{summary(load.since(came_back))}\n{load.health_since(came_back)}"
            ),
        )
    finally:
        load.stop()

    # Every request was answered, in time: as usual, or with a clean 503.
    assert [outcome for outcome in load.outcomes if outcome.failure] == []
    unexpected = [outcome for outcome in load.outcomes if not answered_as_expected(outcome)]
    assert unexpected == [], summary(unexpected)
    unavailable = [outcome for outcome in load.outcomes if outcome.unavailable]
    for outcome in unavailable:
        assert_clean_503(outcome)
    assert {outcome.kind for outcome in unavailable} == set(KINDS)

    # Each 503 was logged, once, as a database outage, by the process that answered it.
    logged = Counter(
        record.get("request_id")
        for web in service.webs
        for record in json_records(web.process)
        if record.get("event") == "database_unavailable"
    )
    assert {outcome.request_id: logged[outcome.request_id] for outcome in unavailable} == {
        outcome.request_id: 1 for outcome in unavailable
    }

    # The health check said so too, and says all is well again.
    for probe in down_health.values():
        assert probe.body == {"status": "error", "checks": {"database": "error", "cache": "ok"}}
    for web in service.webs:
        health = web.get("/healthcheck", headers={"Host": HOST})
        assert (health.status_code, health.json()["status"]) == (200, "ok")

    # The same web processes, and the same workers in them: none was restarted, none timed out.
    assert {web.process.name: web.process.popen.pid for web in service.webs if web.process.running} == web_pids
    for web in service.webs:
        log = web.process.log()
        assert "WORKER TIMEOUT" not in log
        assert log.count("Booting worker") == 2, web.process.log_tail()

    # The saves caught part way were answered 503, and left nothing behind.
    [caught_user] = [address for address, started in load.users_started.items() if started < went_down][-1:]
    assert load.users_tried[caught_user] == "save answered 503"
    assert service.query("SELECT count(*) FROM accounts_user WHERE email = %s", (caught_user,)) == [(0,)]
    caught_api_write = [
        outcome for outcome in load.outcomes if outcome.kind == API_WRITE and outcome.started < went_down
    ][-1]
    assert caught_api_write.status == 503
    if caught_api_write.method == "POST":
        [caught_client] = [name for name, started in load.clients_started.items() if started < went_down][-1:]
        assert service.query("SELECT count(*) FROM accounts_apiclient WHERE name = %s", (caught_client,)) == [(0,)]

    assert_everything_works(service, load, api_token)
    assert_no_write_was_half_done(service, load)


@contextlib.contextmanager
def writes_held_part_way(service: Service):
    """Lock the email outbox and the API tokens against writes, in a transaction left open: adding a
    user then waits after writing the account and its history, before its email; adding an API client
    after writing the client, its history and permissions, before its token. Reading goes on."""
    import psycopg

    connection = psycopg.connect(service.database_url, connect_timeout=3)
    try:
        connection.execute("LOCK TABLE accounts_email, accounts_apitoken IN EXCLUSIVE MODE")
        yield
    finally:
        # The server may have ended the session already; closing is all that is left to do.
        with contextlib.suppress(psycopg.Error):
            connection.rollback()
        connection.close()


def writes_waiting(service: Service) -> set[str]:
    """Which of the locked tables the service's sessions are waiting to write to (or lock rows of)."""
    return {
        table
        for state, wait, query in database_activity(service)
        if wait == "Lock"
        for table in ("accounts_email", "accounts_apitoken")
        if f'"{table}"' in query
    }


def database_activity(service: Service) -> list[tuple[str, str, str]]:
    """What each of the service's database sessions is doing: (state, what it waits on, its query)."""
    return service.query(
        "SELECT state, coalesce(wait_event_type, ''), query FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )


def all_probes(load: Load, moment: float, *, status: int) -> bool:
    latest = load.health_since(moment)
    return len(latest) == 2 and all(probe.status == status for probe in latest.values())


def answered_as_expected(outcome: Outcome) -> bool:
    if outcome.status == 503:
        return True
    if outcome.kind in (API_READ, ADMIN_READ):
        return outcome.status == 200
    if outcome.kind == ADMIN_WRITE:
        return outcome.status == 302
    # A revocation tried again after a 503 may find the client already revoked (the 503 came after
    # the commit): 404, and nothing else.
    return (outcome.method, outcome.status) in {("POST", 201), ("DELETE", 204), ("DELETE", 404)}


def assert_clean_503(outcome: Outcome) -> None:
    assert "Traceback" not in outcome.body
    assert "OperationalError" not in outcome.body
    if outcome.path.startswith("/api/"):
        assert outcome.content_type == "application/json; charset=utf-8"
        assert json.loads(outcome.body) == {
            "errors": [
                {
                    "error": "ServiceUnavailable",
                    "message": "The service is unavailable: try again later",
                    "request_id": outcome.request_id,
                }
            ]
        }
    else:
        assert outcome.content_type.startswith("text/html")
        assert page_title(outcome.body) == UNAVAILABLE_PAGE_TITLE
        assert f"<code>{outcome.request_id}</code>" in outcome.body


def assert_everything_works(service: Service, load: Load, api_token: str) -> None:
    """Every kind of request works on every web process, as if nothing had happened."""
    for web in service.webs:
        outcome, _ = load.api_request(API_READ, web, "GET", reverse("api:clients"))
        assert outcome.status == 200, outcome.body
        browser = load.browsers[ADMIN_WRITE]
        assert browser.get(web, reverse("admin:accounts_user_changelist")).status_code == 200
        address = f"drill.after.{web.process.name}@education.gov.uk"
        added = add_user(browser, web, token=admin_csrf_token(browser, web), last_name="After", email=address)
        assert added.saved
        load.users_tried[address] = "saved"
        name = f"After the drill {web.process.name}"
        outcome, _ = load.api_request(API_WRITE, web, "POST", reverse("api:clients"), {"name": name})
        assert outcome.status == 201, outcome.body
        load.clients_tried[name] = "added"


def assert_no_write_was_half_done(service: Service, load: Load) -> None:
    # Users: the account, its history row and its queued email (outbox row and task), all or none.
    users = dict(service.query("SELECT email, id::text FROM accounts_user WHERE email LIKE 'drill.%'"))
    added_in_history = Counter(
        email for (email,) in service.query("SELECT email FROM accounts_historicaluser WHERE history_type = '+'")
    )
    outbox = Counter(to for (to,) in service.query('SELECT "to" FROM accounts_email'))
    tasks = Counter(
        email_id
        for (email_id,) in service.query(
            "SELECT args_kwargs->'kwargs'->>'email_id' FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE '%.email_send'"
        )
    )
    email_ids = dict(service.query('SELECT "to", id::text FROM accounts_email'))
    for address, what_happened in load.users_tried.items():
        made = address in users
        parts = (added_in_history[address], outbox[address], tasks[email_ids.get(address)])
        assert parts == ((1, 1, 1) if made else (0, 0, 0)), f"{address} ({what_happened}): {parts}"
        if what_happened == "saved":
            assert made, address
        if what_happened == "answers refused":
            assert not made, address
    assert set(users) <= set(load.users_tried)

    # API clients: the client, its history, its token (with its history) and its owner's object
    # permissions, all or none; and once revoked, revoked through and through.
    clients = {
        name: (client_id, deleted)
        for name, client_id, deleted in service.query(
            "SELECT name, id::text, deleted_at IS NOT NULL FROM accounts_apiclient WHERE name ILIKE '%drill%'"
        )
    }
    for name, what_happened in load.clients_tried.items():
        history = service.query(
            "SELECT history_type, deleted_at IS NOT NULL FROM accounts_historicalapiclient WHERE name = %s"
            " ORDER BY history_date",
            (name,),
        )
        if name not in clients:
            assert history == [], f"{name} ({what_happened}) is not there, but its history is"
            assert what_happened != "added", name
            continue
        client_id, deleted = clients[name]
        tokens = service.query(
            "SELECT id::text, revoked_at IS NOT NULL FROM accounts_apitoken WHERE client_id = %s", (client_id,)
        )
        token_history = Counter(
            service.query(
                "SELECT history_type, revoked_at IS NOT NULL FROM accounts_historicalapitoken WHERE client_id = %s",
                (client_id,),
            )
        )
        [(permissions,)] = service.query(
            "SELECT count(*) FROM accounts_apiclientuserobjectpermission WHERE content_object_id = %s", (client_id,)
        )
        assert (len(tokens), permissions) == (1, 3), f"{name} ({what_happened}): {tokens}, {permissions} permissions"
        [(_, revoked)] = tokens
        if deleted:
            assert revoked, name
            assert history == [("+", False), ("~", True)], f"{name} ({what_happened}): {history}"
            assert token_history == {("+", False): 1, ("~", True): 1}, f"{name}: {token_history}"
        else:
            assert not revoked, name
            assert history == [("+", False)], f"{name} ({what_happened}): {history}"
            assert token_history == {("+", False): 1}, f"{name}: {token_history}"
            assert what_happened != "added and revoked", name


def page_title(html: str) -> str | None:
    match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    return " ".join(match.group(1).split()) if match else None
