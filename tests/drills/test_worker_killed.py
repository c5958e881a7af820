"""Drill: the email worker is killed (SIGKILL) while it is sending, and the email still goes exactly once.

The service runs as production runs it, with a real email worker. A support user is added through
the admin; the worker claims the email and calls Notify, and Notify holds the request open, so the
worker is mid-send when it is killed. Either Notify had already taken the email, and the worker
died before hearing back; or the request had not got through. Then a new worker starts.

It shows that the email is finished by the stall rescue the claim queued (`email_send_if_stalled`),
which asks Notify by reference before sending: an email Notify already has is recorded as sent
without a second send, and one it never got is sent, once. Either way Notify ends up with exactly
one email under its reference, and the outbox says sent, with Notify's id.

The rescue is due when the dead worker's claim runs out: twice the Notify timeout and a grace
(EMAIL_SENDING_GRACE_SECONDS) after the claim, both set short for the drill.
"""

import contextlib
import signal
import threading

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
from tests.support.fake_notify import Behaviour, FakeNotify

pytestmark = pytest.mark.production

NOTIFY_TIMEOUT_SECONDS = 5
SENDING_GRACE_SECONDS = 1


class NotifyThatHoldsTheFirstEmail(FakeNotify):
    """The Notify stand-in, holding the first email's request open until the server stops.

    With `takes_it`, Notify takes the email first (as the real one would, before the worker hears
    back); without, it never gets it (the request did not get through before the worker died).
    """

    def __init__(self, *, takes_it: bool):
        super().__init__()
        self.takes_it = takes_it
        self.first_send_arrived = threading.Event()
        self._holding = threading.Lock()
        if takes_it:
            self.respond_next(Behaviour.ACCEPT_THEN_HANG)

    def _handle(self, handler, method):
        first = method == "POST" and self._holding.acquire(blocking=False)
        if first:
            self.first_send_arrived.set()
            if not self.takes_it:
                self._stopping.wait()
                return handler.drop()
        return super()._handle(handler, method)


@pytest.fixture(scope="module")
def service(drill_database, redis_cache, static_root, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        yield start_service(
            stack,
            database_url=drill_database,
            redis_cache=redis_cache,
            static_root=static_root,
            log_dir=tmp_path_factory.mktemp("worker-killed"),
            WEB_CONCURRENCY="1",
        )


def email_to(service, address: str) -> dict:
    rows = service.query(
        'SELECT id::text, status, attempts, notify_id, last_error FROM accounts_email WHERE "to" = %s', (address,)
    )
    assert len(rows) == 1, rows
    return dict(zip(("id", "status", "attempts", "notify_id", "last_error"), rows[0], strict=True))


def email_tasks_due(service, email_id: str) -> int:
    """Tasks of the email's that a worker would run now (the dead worker's task stays RUNNING for ever)."""
    [(count,)] = service.query(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE args_kwargs->'kwargs'->>'email_id' = %s AND status = 'READY' AND run_after <= now()",
        (email_id,),
    )
    return count


@pytest.mark.parametrize(
    "notify_took_it",
    [
        pytest.param(True, id="after-notify-took-the-email"),
        pytest.param(False, id="before-notify-got-the-email"),
    ],
)
def test_an_email_whose_worker_was_killed_mid_send_is_sent_exactly_once_after_a_restart(service, notify_took_it):
    address = f"drill.killed.{'after' if notify_took_it else 'before'}@education.gov.uk"
    with NotifyThatHoldsTheFirstEmail(takes_it=notify_took_it) as notify:
        notify_with_service_templates(notify)
        environment = service.worker_environment(
            notify,
            GOVUK_NOTIFY_TIMEOUT_SECONDS=str(NOTIFY_TIMEOUT_SECONDS),
            EMAIL_SENDING_GRACE_SECONDS=str(SENDING_GRACE_SECONDS),
        )
        first = start_worker(f"worker-first-{notify_took_it}", environment=environment, log_dir=service.log_dir)
        second = None
        try:
            web = service.webs[0]
            browser = sign_in(service, web)
            added = add_user(browser, web, token=admin_csrf_token(browser, web), last_name="Killed", email=address)
            assert added.saved

            # The worker has claimed the email and is waiting for Notify's answer.
            wait_for(
                notify.first_send_arrived.is_set,
                timeout=30,
                what=lambda: f"the worker to call Notify\n{first.log_tail()}",
            )
            if notify_took_it:
                wait_for(lambda: len(notify.emails) == 1, timeout=10, what="Notify to take the email")
            email = email_to(service, address)
            assert (email["status"], email["attempts"]) == ("sending", 1)

            first.signal_group(signal.SIGKILL)
            first.popen.wait(10)
            assert first.popen.returncode == -signal.SIGKILL
            assert email_to(service, address)["status"] == "sending"

            second = start_worker(f"worker-second-{notify_took_it}", environment=environment, log_dir=service.log_dir)
            wait_for(
                lambda: email_to(service, address)["status"] == "sent" and email_tasks_due(service, email["id"]) == 0,
                timeout=2 * NOTIFY_TIMEOUT_SECONDS + SENDING_GRACE_SECONDS + 30,
                what=lambda: f"the new worker to finish the email\n{email_to(service, address)}\n{second.log_tail()}",
            )
        finally:
            first.stop()
            if second is not None:
                second.stop()

        # Notify has the email exactly once, and the outbox records Notify's id for it.
        assert len(notify.emails) == 1, f"Notify took {len(notify.emails)} emails"
        [received] = notify.emails
        assert (received.email_address, received.reference) == (address, email["id"])
        finished = email_to(service, address)
        assert finished == {
            "id": email["id"],
            "status": "sent",
            "attempts": 2,
            "notify_id": received.id,
            "last_error": "",
        }
        # The new worker asked Notify by reference before anything else...
        assert [request.query.get("reference") for request in notify.lookup_requests] == [email["id"]]
        if notify_took_it:
            # ...found it there, and sent nothing more: the only send is the one the dead worker made.
            assert len(notify.send_requests) == 1
        else:
            # ...did not, and sent it: the held request never reached Notify's records.
            assert len(notify.send_requests) == 1
            assert notify.requests.index(notify.lookup_requests[0]) < notify.requests.index(notify.send_requests[0])
        [sent] = [record for record in json_records(second) if record.get("outcome") == "sent"]
        assert (sent["email_id"], sent["attempt"]) == (email["id"], 2)
