"""Drill: GOV.UK Notify is down the whole time emails are being made, and not one is lost or doubled.

The service runs as production runs it (gunicorn with DEBUG off, PostgreSQL, Redis), with a real
email worker (`manage.py email_worker`) beside it. Support users are added through
the admin, each queuing a sign-in details email. Notify first answers 503 to everything, then stops
answering at all (connections refused), then comes back.

It shows that while Notify is down every email stays in the outbox, waiting: none sent, none given up
on, each tried again after a wait that grows; and that once Notify is back each email reaches it
exactly once (its own reference, its own address) and is marked sent.
"""

import contextlib
import threading
from dataclasses import dataclass

import pytest

from tests.drills.stack import (
    add_user,
    admin_csrf_token,
    json_records,
    notify_with_service_templates,
    sign_in,
    start_service,
    start_worker,
)
from tests.production.conftest import wait_for
from tests.support.fake_notify import FakeNotify

pytestmark = pytest.mark.production

EMAILS = 4
# Retries as production makes them, scaled down to seconds: a random wait between half and all of a
# ceiling that starts at RETRY_BASE_SECONDS and doubles up to RETRY_MAX_SECONDS.
RETRY_BASE_SECONDS = 1
RETRY_MAX_SECONDS = 2
# Far more than the outage lasts, so no email is given up on.
MAX_ATTEMPTS = 50


class NotifyWithOutage(FakeNotify):
    """The Notify stand-in, answering every request 503 while `unavailable` is set."""

    def __init__(self):
        super().__init__()
        self.unavailable = threading.Event()

    def _handle(self, handler, method):
        if not self.unavailable.is_set():
            return super()._handle(handler, method)
        # Read the body, so the connection stays usable for the client's next request.
        handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        return handler.reply(
            503, {"status_code": 503, "errors": [{"error": "Exception", "message": "Service unavailable"}]}
        )


@dataclass(frozen=True)
class OutboxRow:
    id: str
    to: str
    status: str
    attempts: int
    last_error: str
    notify_id: str


@pytest.fixture(scope="module")
def service(drill_database, redis_cache, static_root, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        yield start_service(
            stack,
            database_url=drill_database,
            redis_cache=redis_cache,
            static_root=static_root,
            log_dir=tmp_path_factory.mktemp("notify-down"),
            WEB_CONCURRENCY="1",
        )


@pytest.fixture
def notify():
    with NotifyWithOutage() as notify:
        yield notify_with_service_templates(notify)


def outbox(service) -> dict[str, OutboxRow]:
    rows = service.query('SELECT id::text, "to", status, attempts, last_error, notify_id FROM accounts_email')
    return {row[1]: OutboxRow(*row) for row in rows}


def email_tasks_waiting(service) -> int:
    [(count,)] = service.query(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE task_path LIKE '%.email_send' AND status IN ('READY', 'RUNNING')"
    )
    return count


def test_every_email_waits_out_a_notify_outage_and_is_sent_exactly_once_when_it_is_back(service, notify):
    notify.unavailable.set()
    worker = start_worker(
        "worker",
        environment=service.worker_environment(
            notify,
            EMAIL_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
            EMAIL_RETRY_BASE_SECONDS=str(RETRY_BASE_SECONDS),
            EMAIL_RETRY_MAX_SECONDS=str(RETRY_MAX_SECONDS),
            GOVUK_NOTIFY_TIMEOUT_SECONDS="5",
        ),
        log_dir=service.log_dir,
    )
    try:
        web = service.webs[0]
        browser = sign_in(service, web)
        token = admin_csrf_token(browser, web)
        addresses = [f"drill.outage{number}@education.gov.uk" for number in range(EMAILS)]
        for number, address in enumerate(addresses):
            added = add_user(browser, web, token=token, last_name=f"Outage{'abcdefgh'[number]}", email=address)
            assert added.saved, (added.answers.status_code, added.save and added.save.status_code)
        assert set(outbox(service)) == set(addresses)

        def tried(times: int, error: str):
            rows = outbox(service).values()
            return all(row.attempts >= times and row.last_error.startswith(error) for row in rows)

        # Notify answers, but only 503: each email is tried, and tried again.
        wait_for(
            lambda: tried(2, "GOV.UK Notify answered 503"),
            timeout=30,
            what=lambda: (
                f"two tries of each email against a Notify answering 503\n{outbox(service)}\n" + worker.log_tail()
            ),
        )
        # Then Notify cannot be reached at all.
        notify.stop()
        wait_for(
            lambda: tried(4, "Could not reach GOV.UK Notify"),
            timeout=30,
            what=lambda: (
                f"two more tries of each email against an unreachable Notify\n{outbox(service)}\n" + worker.log_tail()
            ),
        )

        # Every email is still in the outbox, waiting; none was sent or given up on.
        assert {row.status for row in outbox(service).values()} <= {"pending", "sending"}
        assert notify.emails == []
        assert_each_try_came_after_a_growing_wait(service, outbox(service))

        notify.unavailable.clear()
        notify.start()
        wait_for(
            lambda: {row.status for row in outbox(service).values()} == {"sent"} and email_tasks_waiting(service) == 0,
            timeout=RETRY_MAX_SECONDS + 30,
            what=lambda: f"every email to be sent once Notify is back\n{outbox(service)}\n{worker.log_tail()}",
        )
    finally:
        worker.stop()

    # Each email reached Notify exactly once, under its own reference, and is recorded as sent.
    rows = outbox(service)
    sent = notify.emails
    assert sorted(email.email_address for email in sent) == sorted(addresses)
    assert len(notify.send_requests) == EMAILS
    assert {email.reference: email.id for email in sent} == {row.id: row.notify_id for row in rows.values()}
    assert all(row.last_error == "" for row in rows.values())
    # Earlier tries might have reached Notify unheard, so each email was looked for before it was sent.
    assert sorted(request.query["reference"] for request in notify.lookup_requests) == sorted(
        row.id for row in rows.values()
    )
    sent_records = [record for record in json_records(worker) if record.get("outcome") == "sent"]
    assert sorted(record["email_id"] for record in sent_records) == sorted(row.id for row in rows.values())


def assert_each_try_came_after_a_growing_wait(service, rows: dict[str, OutboxRow]) -> None:
    """Each retry was queued to run after a random wait between half and all of its ceiling, the
    ceiling doubling each time up to its cap, and no worker ran it sooner: the worker never hammered
    a Notify that was down. (The first try is queued with the change, to run at once.)"""
    for row in rows.values():
        tasks = service.query(
            "SELECT extract(epoch FROM run_after - enqueued_at), started_at >= run_after"
            " FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE %s AND args_kwargs->'kwargs'->>'email_id' = %s AND started_at IS NOT NULL"
            " ORDER BY enqueued_at",
            ("%.email_send", row.id),
        )
        retries = tasks[1:]
        assert len(retries) >= 3, f"{row.to}: {tasks}"
        for attempt, (waited, ran_no_sooner) in enumerate(retries, start=1):
            ceiling = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** (attempt - 1))
            # The wait is reckoned a moment before the retry is queued, hence the allowance.
            assert ceiling / 2 - 0.1 <= float(waited) <= ceiling, f"{row.to}, after try {attempt}: {waited} s"
            assert ran_no_sooner, f"{row.to}: retry {attempt} ran before it was due"
