"""Two web processes behind one load balancer share everything a person's visit depends on.

Two gunicorn servers (one sync worker each, started as production starts them, with DEBUG off) run
against one PostgreSQL database, made for the test and dropped afterwards, and one Redis. The test
is the balancer, passing each request to whichever process it chooses, with X-Forwarded-Proto as a
balancer sets it. DfE Sign-in and GOV.UK Notify are the stand-ins from tests/support.

It shows that a sign-in started on one process finishes on the other and the session works on both;
that the API's rate limit counts the requests to both; and that two email workers share one outbox
and never send an email twice.
"""

import contextlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.urls import reverse

from accounts.roles import Role
from tests.production.conftest import (
    PROJECT_ROOT,
    PYTHON,
    Browser,
    Process,
    WebProcess,
    production_environment,
    run_command,
    start_gunicorn,
    start_process,
    wait_for,
)
from tests.support.fake_notify import ACCOUNT_REMOVED_TEMPLATE, SIGN_IN_DETAILS_TEMPLATE, FakeNotify
from tests.support.oidc_provider import OIDCProvider, Person

pytestmark = pytest.mark.production

HOST = "register.example"
# The API's limit for requests without a working token, per client address, in a window long
# enough (about three years) that the test never straddles two.
RATE_LIMIT = 4
RATE_LIMIT_WINDOW_SECONDS = 10**8
# How many users are added, and so how many emails the two workers share out.
EMAILS = 10
# How long the stand-in Notify holds the first email, waiting for a second to be sent beside it.
NOTIFY_HOLDS_FIRST_EMAIL_SECONDS = 20

USERS_FIXTURE = PROJECT_ROOT / "fixtures" / "0001_users.json"
ADMINISTRATOR_EMAIL = "anne.wilson@education.gov.uk"


class BusyNotify(FakeNotify):
    """The stand-in Notify, answering the first email only once a second is being sent at the same
    time (or after a while): so one worker is still sending when the other starts, and both work."""

    def __init__(self):
        super().__init__()
        self._first = threading.Lock()
        self.second_email_arrived = threading.Event()

    def _handle(self, handler, method):
        if method == "POST":
            if self._first.acquire(blocking=False):
                self.second_email_arrived.wait(NOTIFY_HOLDS_FIRST_EMAIL_SECONDS)
            else:
                self.second_email_arrived.set()
        super()._handle(handler, method)


@dataclass
class Service:
    a: WebProcess
    b: WebProcess
    provider: OIDCProvider
    notify: BusyNotify
    environment: dict[str, str]
    database_url: str
    log_dir: Path


def _administrator() -> Person:
    """Anne Wilson from the fixture users, a support administrator, as DfE Sign-in knows her."""
    users = [entry["fields"] for entry in json.loads(USERS_FIXTURE.read_text())]
    anne = next(user for user in users if user["email"] == ADMINISTRATOR_EMAIL)
    return Person(sub=anne["dfe_sign_in_uid"], email=anne["email"], given_name="Anne", family_name="Wilson")


@pytest.fixture(scope="module")
def service(postgres_database, redis_cache, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("two-processes")
    with contextlib.ExitStack() as stack:
        provider = stack.enter_context(OIDCProvider())
        provider.sign_in_as(_administrator())
        notify = stack.enter_context(BusyNotify())
        environment = production_environment(
            host=HOST,
            database_url=postgres_database,
            redis_cache=redis_cache,
            provider=provider,
            static_root=log_dir / "static",
            GOVUK_NOTIFY_API_KEY=notify.api_key,
            GOVUK_NOTIFY_BASE_URL=notify.base_url,
            # Longer than Notify holds the first email.
            GOVUK_NOTIFY_TIMEOUT_SECONDS=str(NOTIFY_HOLDS_FIRST_EMAIL_SECONDS + 10),
            GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS=notify.add_template(**SIGN_IN_DETAILS_TEMPLATE),
            GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED=notify.add_template(**ACCOUNT_REMOVED_TEMPLATE),
            API_RATE_LIMIT_PER_ADDRESS=str(RATE_LIMIT),
            API_RATE_LIMIT_WINDOW_SECONDS=str(RATE_LIMIT_WINDOW_SECONDS),
            WEB_CONCURRENCY="1",
        )
        # The release steps, then the two web processes.
        run_command([PYTHON, "manage.py", "migrate", "--noinput"], environment=environment)
        run_command([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], environment=environment)
        run_command([PYTHON, "manage.py", "loaddata", str(USERS_FIXTURE)], environment=environment)
        a = start_gunicorn("web-a", environment=environment, log_dir=log_dir)
        stack.callback(a.process.stop)
        b = start_gunicorn("web-b", environment=environment, log_dir=log_dir)
        stack.callback(b.process.stop)
        a.wait_until_healthy(host=HOST)
        b.wait_until_healthy(host=HOST)
        yield Service(a, b, provider, notify, environment, postgres_database, log_dir)


def sign_in(service: Service, *, start: WebProcess, finish: WebProcess) -> Browser:
    """Sign in with DfE Sign-in, starting on one web process and coming back from DfE Sign-in to the other."""
    browser = Browser(HOST)
    page = browser.get(start, "/sign-in/")
    assert page.status_code == 200, page.text
    to_provider = browser.post(start, "/sign-in/dfe/", {"csrfmiddlewaretoken": browser.csrf_token(page), "next": "/"})
    assert to_provider.status_code == 302, to_provider.text
    assert to_provider.headers["Location"].startswith(service.provider.issuer)

    back = requests.get(to_provider.headers["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302

    # The callback checks the state, nonce and PKCE verifier that the other process kept in the session.
    signed_in = browser.get(finish, browser.local_path(back.headers["Location"]))
    assert signed_in.status_code == 302, signed_in.text
    assert signed_in.headers["Location"] == "/"
    return browser


def test_a_sign_in_started_on_one_process_finishes_on_the_other_and_the_session_works_on_both(service):
    browser = sign_in(service, start=service.a, finish=service.b)

    for web in (service.a, service.b):
        account = browser.get(web, reverse("your-account"))
        assert account.status_code == 200, web.process.log_tail()
        assert ADMINISTRATOR_EMAIL in account.text

    # Signing out on one ends the session on both: neither keeps a copy of its own. (The browser
    # forgets the cookie; a copy of it, replayed, must not work either.)
    copied = Browser(HOST)
    copied.cookies = dict(browser.cookies)
    home = browser.get(service.b, reverse("your-account"))
    signed_out = browser.post(service.b, reverse("sign-out"), {"csrfmiddlewaretoken": browser.csrf_token(home)})
    assert signed_out.status_code == 302
    for web in (service.a, service.b):
        replayed = copied.get(web, reverse("your-account"))
        assert replayed.status_code == 302, web.process.log_tail()
        assert replayed.headers["Location"].startswith(reverse("sign-in"))


def test_the_api_rate_limit_counts_requests_to_both_processes(service):
    def ask(web: WebProcess) -> requests.Response:
        # Without a token: counted against the client's address (the same for both processes).
        return requests.get(
            web.url + reverse("api:info"),
            headers={"Host": HOST, "X-Forwarded-Proto": "https"},
            allow_redirects=False,
            timeout=10,
        )

    allowed = [ask(web).status_code for web in (service.a, service.b) * (RATE_LIMIT // 2)]
    assert allowed == [401] * RATE_LIMIT

    # Each process has answered only half the limit itself, yet both now refuse.
    for web in (service.a, service.b):
        refused = ask(web)
        assert refused.status_code == 429, web.process.log_tail()
        assert int(refused.headers["Retry-After"]) > 0


def test_two_email_workers_share_one_outbox_and_send_each_email_exactly_once(service):
    browser = sign_in(service, start=service.b, finish=service.a)
    add_url, check_url = reverse("admin:accounts_user_add"), reverse("admin:accounts_user_add_check")
    role_url = reverse("admin:accounts_user_add_role")
    addresses = []
    for number in range(EMAILS):
        # The answers go to one process, and are saved from the check page by the other.
        first, second = (service.a, service.b) if number % 2 == 0 else (service.b, service.a)
        last_name = f"Person{'abcdefghijklmnopqrstuvwxyz'[number]}"
        address = f"test.{last_name.lower()}@education.gov.uk"
        form = browser.get(first, add_url)
        token = browser.csrf_token(form)
        answers = {"first_name": "Test", "last_name": last_name, "email": address, "is_api_user": "no"}
        answered = browser.post(first, add_url, {"csrfmiddlewaretoken": token, **answers})
        assert (answered.status_code, answered.headers.get("Location")) == (302, role_url), answered.text
        chose = browser.post(second, role_url, {"csrfmiddlewaretoken": token, "role": Role.SUPPORT_VIEWER})
        assert (chose.status_code, chose.headers.get("Location")) == (302, check_url), chose.text
        saved = browser.post(second, check_url, {"csrfmiddlewaretoken": token})
        # Saved, the new user's page is shown.
        assert saved.status_code == 302
        assert re.fullmatch(
            reverse("admin:accounts_user_changelist") + r"[0-9a-f-]{36}/change/", saved.headers["Location"]
        )
        addresses.append(address)
    assert _email_statuses(service) == {"pending": EMAILS}

    workers = [_start_worker(service, name) for name in ("worker-a", "worker-b")]
    try:
        wait_for(
            lambda: _email_statuses(service) == {"sent": EMAILS} and _email_tasks_waiting(service) == 0,
            timeout=NOTIFY_HOLDS_FIRST_EMAIL_SECONDS + 30,
            what=lambda: f"the workers to send {EMAILS} emails\n" + "\n".join(worker.log_tail() for worker in workers),
        )
    finally:
        for worker in workers:
            worker.stop()

    sent = service.notify.emails
    assert sorted(email.email_address for email in sent) == sorted(addresses)
    assert len(service.notify.send_requests) == EMAILS
    assert len({email.reference for email in sent}) == EMAILS
    # Both workers took a share, one sending while the other was.
    assert service.notify.second_email_arrived.is_set()
    assert _workers_that_sent(service) == {"worker-a", "worker-b"}


def test_each_process_answers_the_healthcheck_and_serves_static_files_over_plain_http(service):
    for web in (service.a, service.b):
        # As a load balancer probes it: over HTTP, with no X-Forwarded-Proto, and not redirected.
        health = web.get("/healthcheck", headers={"Host": HOST})
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
        assert health.headers["Cache-Control"] == "no-store"

        page = web.get("/sign-in/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        stylesheet = next(path for path in _static_paths(page.text) if path.endswith(".css"))
        static = web.get(stylesheet, headers={"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
        assert static.status_code == 200
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]


def test_each_process_logs_one_json_record_per_request_with_its_request_id(service):
    response = service.a.get("/healthcheck", headers={"Host": HOST, "X-Request-Id": "probe-0123456789"})
    assert response.headers["X-Request-Id"] == "probe-0123456789"

    def logged():
        for line in service.a.process.log().splitlines():
            record = json.loads(line)
            if record.get("logger") == "gunicorn.access" and record.get("request_id") == "probe-0123456789":
                return record
        return None

    record = wait_for(logged, timeout=5, what="the access log record")
    assert {key: record[key] for key in ("method", "path", "status")} == {
        "method": "GET",
        "path": "/healthcheck",
        "status": 200,
    }


# --- Helpers ---------------------------------------------------------------------------------------


def _start_worker(service: Service, name: str) -> Process:
    # As production runs it, but looking for work five times a second, and starting at once.
    command = [PYTHON, "manage.py", "email_worker", "--interval", "0.2", "--no-startup-delay"]
    return start_process(
        name,
        [*command, "--worker-id", name],
        environment=service.environment,
        log_dir=service.log_dir,
    )


def _query(service: Service, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(service.database_url, connect_timeout=3) as connection:
        return connection.execute(sql).fetchall()


def _email_statuses(service: Service) -> dict[str, int]:
    return dict(_query(service, "SELECT status, count(*) FROM accounts_email GROUP BY status"))


def _email_tasks_waiting(service: Service) -> int:
    rows = _query(
        service,
        "SELECT count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE task_path LIKE '%.email_send' AND status IN ('READY', 'RUNNING')",
    )
    return rows[0][0]


def _workers_that_sent(service: Service) -> set[str]:
    rows = _query(
        service,
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult"
        " WHERE task_path LIKE '%.email_send' AND status = 'SUCCESSFUL'",
    )
    return {worker for (worker_ids,) in rows for worker in worker_ids}


def _static_paths(html: str) -> list[str]:
    import re

    return re.findall(r'"(/static/[^"]+)"', html)
