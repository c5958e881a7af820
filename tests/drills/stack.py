"""The service as production runs it, for the failure drills: the release steps, gunicorn, the email
worker, signing in to the admin through the DfE Sign-in stand-in, and reading the database behind it.

Built on the process helpers of tests/production (environment, processes, the balancer-like
`Browser`); each drill decides what fails and when.
"""

import contextlib
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

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
)
from tests.support.fake_notify import ACCOUNT_REMOVED_TEMPLATE, SIGN_IN_DETAILS_TEMPLATE, FakeNotify, Template
from tests.support.oidc_provider import OIDCProvider, Person

HOST = "register.example"
USERS_FIXTURE = PROJECT_ROOT / "fixtures" / "0001_users.json"
ADMINISTRATOR_EMAIL = "anne.wilson@education.gov.uk"

# The templates every drill's Notify stand-in knows, so that one worker environment fits them all.
SIGN_IN_DETAILS_TEMPLATE_ID = "5d3b6a2e-6f1c-4c1e-9d59-6b0b1b7c2a01"
ACCOUNT_REMOVED_TEMPLATE_ID = "5d3b6a2e-6f1c-4c1e-9d59-6b0b1b7c2a02"


def notify_with_service_templates(notify: FakeNotify) -> FakeNotify:
    """Give a Notify stand-in the service's two templates, under the ids the drills' settings name."""
    for template_id, template in (
        (SIGN_IN_DETAILS_TEMPLATE_ID, SIGN_IN_DETAILS_TEMPLATE),
        (ACCOUNT_REMOVED_TEMPLATE_ID, ACCOUNT_REMOVED_TEMPLATE),
    ):
        notify.templates[template_id] = Template(id=template_id, **template)
    return notify


def administrator() -> Person:
    """Anne Wilson from the fixture users, a support administrator, as DfE Sign-in knows her."""
    users = [entry["fields"] for entry in json.loads(USERS_FIXTURE.read_text())]
    anne = next(user for user in users if user["email"] == ADMINISTRATOR_EMAIL)
    return Person(sub=anne["dfe_sign_in_uid"], email=anne["email"], given_name="Anne", family_name="Wilson")


@dataclass
class Service:
    environment: dict[str, str]
    database_url: str
    log_dir: Path
    provider: OIDCProvider
    webs: list[WebProcess] = field(default_factory=list)

    def worker_environment(self, notify: FakeNotify, **settings: str) -> dict[str, str]:
        """The service's environment, sending through `notify`, with `settings` on top."""
        return {
            **self.environment,
            "GOVUK_NOTIFY_API_KEY": notify.api_key,
            "GOVUK_NOTIFY_BASE_URL": notify.base_url,
            **settings,
        }

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """The rows `sql` gives, read straight from the database (never through the service)."""
        import psycopg

        with psycopg.connect(self.database_url, connect_timeout=3, autocommit=True) as connection:
            return connection.execute(sql, params or None).fetchall()


def service_environment(
    *, database_url: str, redis_cache, provider: OIDCProvider, static_root: Path, **settings: str
) -> dict[str, str]:
    """Production's environment (DEBUG off, every secret given), with `settings` on top."""
    return production_environment(
        host=HOST,
        database_url=database_url,
        redis_cache=redis_cache,
        provider=provider,
        static_root=static_root,
        # Where nothing listens, until a drill gives a process a Notify stand-in of its own.
        GOVUK_NOTIFY_API_KEY=f"drill_key-{secrets.token_hex(18)}-{secrets.token_hex(18)}",
        GOVUK_NOTIFY_BASE_URL="http://127.0.0.1:9",
        GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS=SIGN_IN_DETAILS_TEMPLATE_ID,
        GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED=ACCOUNT_REMOVED_TEMPLATE_ID,
        **settings,
    )


# The release steps (migrate, then the fixture users), in one process: each start of Django costs seconds.
RELEASE_STEPS = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("loaddata", {str(USERS_FIXTURE)!r}, verbosity=0)
"""


def release(environment: dict[str, str]) -> None:
    """Make the database in `environment` ready: migrated, with the fixture users."""
    manage_py_shell(RELEASE_STEPS, environment=environment)


def manage_py_shell(code: str, *, environment: dict[str, str]) -> str:
    """Run `code` in `manage.py shell` with `environment`; what it prints."""
    return run_command([PYTHON, "manage.py", "shell", "--no-imports", "--command", code], environment=environment)


def start_service(
    stack: contextlib.ExitStack,
    *,
    database_url: str,
    redis_cache,
    static_root: Path,
    log_dir: Path,
    web_processes: int = 1,
    **settings: str,
) -> Service:
    """Start `web_processes` gunicorn servers on a released database; all stopped with `stack`."""
    provider = stack.enter_context(OIDCProvider())
    provider.sign_in_as(administrator())
    environment = service_environment(
        database_url=database_url, redis_cache=redis_cache, provider=provider, static_root=static_root, **settings
    )
    service = Service(environment=environment, database_url=database_url, log_dir=log_dir, provider=provider)
    for number in range(web_processes):
        web = start_gunicorn(f"web-{'abcdefgh'[number]}", environment=environment, log_dir=log_dir)
        stack.callback(web.process.stop)
        service.webs.append(web)
    for web in service.webs:
        web.wait_until_healthy(host=HOST)
    return service


def sign_in(service: Service, web: WebProcess) -> Browser:
    """Sign in to the admin as Anne Wilson, through the DfE Sign-in stand-in."""
    browser = Browser(HOST)
    page = browser.get(web, "/sign-in/")
    assert page.status_code == 200, page.text
    to_provider = browser.post(web, "/sign-in/dfe/", {"csrfmiddlewaretoken": browser.csrf_token(page), "next": "/"})
    assert to_provider.status_code == 302, to_provider.text
    back = requests.get(to_provider.headers["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    signed_in = browser.get(web, browser.local_path(back.headers["Location"]))
    assert signed_in.status_code == 302, signed_in.text
    return browser


def admin_csrf_token(browser: Browser, web: WebProcess) -> str:
    """A CSRF token for the admin's forms, from the add user page."""
    form = browser.get(web, reverse("admin:accounts_user_add"))
    assert form.status_code == 200, form.text
    return browser.csrf_token(form)


@dataclass
class UserAdded:
    """What the admin answered each step of adding one user: the answers, then the save."""

    email: str
    answers: requests.Response
    save: requests.Response | None

    @property
    def saved(self) -> bool:
        # Saved, the new user's page is shown.
        if self.save is None or self.save.status_code != 302:
            return False
        return bool(_USER_PAGE.fullmatch(self.save.headers.get("Location", "")))


# A user's page, where "Save user" leads: /admin/accounts/user/<id>/change/.
_USER_PAGE = re.compile(reverse("admin:accounts_user_changelist") + r"[0-9a-f-]{36}/change/")


def add_user(browser: Browser, web: WebProcess, *, token: str, last_name: str, email: str) -> UserAdded:
    """Add a support user through the admin: the personal details, the role, then "Save user" on the check page."""
    answers = browser.post(
        web,
        reverse("admin:accounts_user_add"),
        {
            "csrfmiddlewaretoken": token,
            "first_name": "Drill",
            "last_name": last_name,
            "email": email,
            "is_api_user": "no",
        },
    )
    if _redirects_to(answers, reverse("admin:accounts_user_add_role")):
        answers = browser.post(
            web, reverse("admin:accounts_user_add_role"), {"csrfmiddlewaretoken": token, "role": Role.SUPPORT_VIEWER}
        )
    if not _redirects_to(answers, reverse("admin:accounts_user_add_check")):
        return UserAdded(email=email, answers=answers, save=None)
    save = browser.post(web, reverse("admin:accounts_user_add_check"), {"csrfmiddlewaretoken": token})
    return UserAdded(email=email, answers=answers, save=save)


def _redirects_to(response: requests.Response, path: str) -> bool:
    return response.status_code == 302 and response.headers.get("Location") == path


def start_worker(name: str, *, environment: dict[str, str], log_dir: Path) -> Process:
    """The email worker as production runs it, but looking for work five times a second, from the start."""
    command = [PYTHON, "manage.py", "email_worker", "--interval", "0.2", "--no-startup-delay"]
    return start_process(name, [*command, "--worker-id", name], environment=environment, log_dir=log_dir)


def json_records(process: Process) -> list[dict]:
    """The process's log records (one JSON object a line); lines that are not JSON are left out."""
    records = []
    for line in process.log().splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict):
                records.append(record)
    return records
