"""`email_send` when what answers is not Notify's JSON: an HTML page from a proxy, JSON cut short, JSON
without the email's id. The email is kept and tried again (never marked sent, never lost), with one
log record; and since Notify may have taken it all the same, the retry asks Notify first, so it is
never sent twice."""

import logging

import pytest

from accounts.models import Email
from tests.accounts.emails.conftest import (
    a_queued_email,
    assert_no_task_failed,
    make_waiting_tasks_due,
    waiting_tasks,
    worker_test,
)
from tests.support.fake_notify_script import AcceptThen, Reply

PROXY_PAGE = Reply(200, raw=b"<html><body><h1>Bad gateway</h1></body></html>", content_type="text/html")
CUT_SHORT = Reply(201, raw=b'{"id": "6f1c6a4e-8f3c-4b8e-9a55-0d2f', content_type="application/json")
GARBAGE = {
    "an HTML page from a proxy": (PROXY_PAGE, "GOV.UK Notify answered 200 with a body that is not JSON"),
    "JSON cut short": (CUT_SHORT, "GOV.UK Notify answered 201 with a body that is not JSON"),
    "JSON without an id": (
        Reply(201, body={"status": "ok", "content": {"body": "Dear Priya Shah"}}),
        "GOV.UK Notify answered with no id for the email, but an object with content, status",
    ),
    "an id that is not Notify's": (
        Reply(201, body={"id": 12345}),
        "GOV.UK Notify answered with no id for the email, but an object with id",
    ),
    "a list": (Reply(201, body=[]), "GOV.UK Notify answered with no id for the email, but a JSON list"),
}


def _warnings(caplog):
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.parametrize(("reply", "error"), GARBAGE.values(), ids=GARBAGE.keys())
@worker_test
def test_an_answer_that_is_not_notifys_keeps_the_email_to_try_again(fake_notify, run_worker, caplog, reply, error):
    fake_notify.respond_next(reply)
    email = a_queued_email()

    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts, email.notify_id) == (Email.Status.PENDING, 1, "")
    assert email.last_error == error
    assert "Priya" not in email.last_error
    assert waiting_tasks().count() == 1
    (record,) = _warnings(caplog)
    assert (record.name, record.event, record.outcome) == ("accounts.emails", "email_send", "retry")
    assert_no_task_failed()

    make_waiting_tasks_due()
    run_worker()

    email.refresh_from_db()
    [received] = fake_notify.emails
    assert (email.status, email.notify_id) == (Email.Status.SENT, received.id)
    # The retry asked Notify whether it had the email before sending it.
    assert (len(fake_notify.lookup_requests), len(fake_notify.send_requests)) == (1, 2)


@pytest.mark.parametrize(
    "reply", [PROXY_PAGE, CUT_SHORT, Reply(201, body={})], ids=["proxy page", "cut short", "no id"]
)
@worker_test
def test_an_email_notify_took_but_answered_with_garbage_is_not_sent_twice(fake_notify, run_worker, reply):
    fake_notify.respond_next(AcceptThen(reply))
    email = a_queued_email()

    run_worker()
    email.refresh_from_db()
    assert email.status == Email.Status.PENDING

    make_waiting_tasks_due()
    run_worker()

    email.refresh_from_db()
    [received] = fake_notify.emails
    assert (email.status, email.notify_id) == (Email.Status.SENT, received.id)
    assert len(fake_notify.send_requests) == 1
    assert_no_task_failed()


LOOKUP_GARBAGE = {
    "an HTML page from a proxy": PROXY_PAGE,
    "a list": Reply(200, body=[]),
    "no list of emails": Reply(200, body={"notifications": "none"}),
    "emails that are not objects": Reply(200, body={"notifications": ["x"]}),
}


@pytest.mark.parametrize("reply", LOOKUP_GARBAGE.values(), ids=LOOKUP_GARBAGE.keys())
@worker_test
def test_garbage_from_the_lookup_before_a_resend_keeps_the_email_and_sends_nothing(
    fake_notify, run_worker, caplog, reply
):
    fake_notify.respond_next(AcceptThen(Reply(201, body={})))
    fake_notify.respond_next(reply, endpoint="lookup")
    email = a_queued_email()
    run_worker()

    caplog.clear()
    make_waiting_tasks_due()
    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.PENDING, 2)
    assert len(fake_notify.send_requests) == 1
    assert len(_warnings(caplog)) == 1
    assert_no_task_failed()

    make_waiting_tasks_due()
    run_worker()

    email.refresh_from_db()
    [received] = fake_notify.emails
    assert (email.status, email.notify_id) == (Email.Status.SENT, received.id)
    assert len(fake_notify.send_requests) == 1
