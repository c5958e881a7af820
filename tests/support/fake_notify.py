"""A stand-in for the GOV.UK Notify API, on 127.0.0.1, for tests that drive the real Notify client.

It checks what real Notify checks (the JWT in the Authorization header, the request body, the
template and its personalisation), answers in Notify's shapes, and records what it took. A test can
script its next answers (`respond_next`, with the answers of tests/support/fake_notify_script.py,
garbage among them) and stop it (`stop`) to make the connection refused.

Use the `fake_notify` fixture: it starts a server per test and points the settings at it.
"""

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest

from tests.support.fake_notify_script import (
    CANNED_ERRORS,
    AcceptThen,
    Behaviour,
    ReceivedEmail,
    ReceivedRequest,
    Reply,
    Template,
)
from tests.support.local_server import FakeServiceHandler, LocalServer

SEND_PATH = "/v2/notifications/email"
LOOKUP_PATH = "/v2/notifications"
# Notify refuses tokens issued more than this many seconds away from its own clock.
CLOCK_SKEW_SECONDS = 30

_PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class _Script:
    send: list = field(default_factory=list)
    lookup: list = field(default_factory=list)


class FakeNotify(LocalServer):
    thread_name = "fake-notify"

    @property
    def handler_class(self):
        return _Handler

    def __init__(self):
        super().__init__()
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        # Notify's key format: {key name}-{service id}-{secret}.
        self.api_key = f"test_key-{self.service_id}-{self.secret}"
        self.templates: dict[str, Template] = {}
        self.emails: list[ReceivedEmail] = []
        self.requests: list[ReceivedRequest] = []
        self._script = _Script()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    # --- Running -------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start serving; after a `stop`, on the same port, so the client finds it again."""
        self._stopping.clear()
        super().start()

    def stop(self) -> None:
        """Stop serving and close the port: connecting is then refused, as when Notify is unreachable."""
        # Lets a request held open on purpose (ACCEPT_THEN_HANG) end, so the server can shut down.
        self._stopping.set()
        super().stop()

    # --- Scripting -----------------------------------------------------------------------------------

    def add_template(self, *, subject: str, body: str) -> str:
        """Add a template with ((placeholders)) and return its id."""
        template = Template(id=str(uuid.uuid4()), subject=subject, body=body)
        self.templates[template.id] = template
        return template.id

    def respond_next(self, *responses: "int | Reply | Behaviour | AcceptThen", endpoint: str = "send") -> None:
        """Answer the next requests to `endpoint` ("send" or "lookup") like this, in order, after the
        usual auth check; once they are used up, answer normally again."""
        with self._lock:
            getattr(self._script, endpoint).extend(responses)

    def add_email(self, *, email_address: str, template_id: str, personalisation: dict, reference: str):
        """Record an email as though Notify had taken it earlier (by a worker that then died)."""
        return self._record(
            {
                "email_address": email_address,
                "template_id": template_id,
                "personalisation": personalisation,
                "reference": reference,
            },
            self.templates[template_id],
        )

    # --- Looking at what happened --------------------------------------------------------------------

    def requests_to(self, method: str, path: str) -> list[ReceivedRequest]:
        with self._lock:
            return [each for each in self.requests if each.method == method and each.path == path]

    @property
    def send_requests(self) -> list[ReceivedRequest]:
        return self.requests_to("POST", SEND_PATH)

    @property
    def lookup_requests(self) -> list[ReceivedRequest]:
        return self.requests_to("GET", LOOKUP_PATH)

    # --- Handling requests (on the server's threads) -------------------------------------------------

    def _handle(self, handler: "_Handler", method: str) -> None:
        url = urlsplit(handler.path)
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw_body = handler.rfile.read(length) if length else b""
        with self._lock:
            self.requests.append(ReceivedRequest(method=method, path=url.path, query=query))

        if (method, url.path) == ("POST", SEND_PATH):
            endpoint = "send"
        elif (method, url.path) == ("GET", LOOKUP_PATH):
            endpoint = "lookup"
        else:
            return handler.reply(404, _error(404, "NotFound", "The requested URL was not found on the server."))

        if refusal := self._auth_refusal(handler.headers.get("Authorization")):
            return handler.reply(*refusal)

        with self._lock:
            queue = getattr(self._script, endpoint)
            scripted = queue.pop(0) if queue else None
        if isinstance(scripted, int):
            scripted = Reply(status=scripted)
        if isinstance(scripted, Reply):
            return self._reply(handler, scripted)

        if endpoint == "lookup":
            return handler.reply(200, self._lookup(query))

        status, answer, email = self._send(raw_body)
        if scripted is Behaviour.ACCEPT_THEN_DROP and email is not None:
            return handler.drop()
        if scripted is Behaviour.ACCEPT_THEN_HANG and email is not None:
            self._stopping.wait()
            return handler.drop()
        if isinstance(scripted, AcceptThen) and email is not None:
            return self._reply(handler, scripted.reply)
        return handler.reply(status, answer)

    def _reply(self, handler: "_Handler", scripted: Reply) -> None:
        if scripted.raw is not None:
            return handler.reply_raw(scripted.status, scripted.raw, scripted.content_type)
        error, message = CANNED_ERRORS.get(scripted.status, ("Exception", "Error"))
        body = scripted.body if scripted.body is not None else _error(scripted.status, error, message)
        return handler.reply(scripted.status, body)

    def _auth_refusal(self, header: str | None) -> tuple[int, dict] | None:
        if not header:
            return 401, _error(401, "AuthError", "Unauthorized: authentication token must be provided")
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            return 401, _error(401, "AuthError", "Unauthorized: authentication bearer scheme must be used")
        try:
            claims = jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256"])
        except jwt.PyJWTError:
            return 403, _error(403, "AuthError", "Invalid token: signature, api token is not valid")
        if claims.get("iss") != self.service_id:
            return 403, _error(403, "AuthError", "Invalid token: service not found")
        try:
            jwt.decode(token, key=self.secret, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.PyJWTError:
            return 403, _error(403, "AuthError", "Invalid token: API key not found")
        issued_at = claims.get("iat")
        if not isinstance(issued_at, int | float):
            return 403, _error(403, "AuthError", "Invalid token: iat field not provided")
        if abs(time.time() - issued_at) > CLOCK_SKEW_SECONDS:
            return 403, _error(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        return None

    def _send(self, raw_body: bytes) -> tuple[int, dict, ReceivedEmail | None]:
        try:
            body = json.loads(raw_body)
        except ValueError:
            return 400, _error(400, "BadRequestError", "Invalid JSON supplied in POST data"), None
        if not isinstance(body, dict):
            return 400, _error(400, "ValidationError", f"{body!r} is not of type object"), None

        problems = [f"{name} is a required property" for name in ("email_address", "template_id") if name not in body]
        if "template_id" in body and not _is_uuid(body["template_id"]):
            problems.append("template_id is not a valid UUID")
        if "email_address" in body and not _EMAIL.match(str(body["email_address"])):
            problems.append("email_address Not a valid email address")
        if not isinstance(body.get("personalisation", {}), dict):
            problems.append("personalisation is not of type object")
        if not isinstance(body.get("reference", ""), str):
            problems.append("reference is not of type string")
        if problems:
            return 400, {"status_code": 400, "errors": [_problem("ValidationError", p) for p in problems]}, None

        template = self.templates.get(body["template_id"])
        if template is None:
            return 400, _error(400, "BadRequestError", "Template not found"), None
        personalisation = body.get("personalisation") or {}
        missing = [
            name
            for name in dict.fromkeys(_PLACEHOLDER.findall(template.subject + template.body))
            if name not in personalisation
        ]
        if missing:
            return 400, _error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}"), None

        email = self._record(body, template)
        return (
            201,
            {
                "id": email.id,
                "reference": email.reference,
                "content": {
                    "subject": email.subject,
                    "body": email.body,
                    "from_email": "register.of.training.providers@notifications.service.gov.uk",
                    "one_click_unsubscribe_url": None,
                },
                "uri": f"{self.base_url}/v2/notifications/{email.id}",
                "template": self._template_link(template.id),
                "scheduled_for": None,
            },
            email,
        )

    def _record(self, body: dict, template: Template) -> ReceivedEmail:
        personalisation = body.get("personalisation") or {}

        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda match: str(personalisation.get(match[1], match[0])), text)

        email = ReceivedEmail(
            id=str(uuid.uuid4()),
            email_address=body["email_address"],
            template_id=template.id,
            personalisation=personalisation,
            reference=body.get("reference"),
            subject=fill(template.subject),
            body=fill(template.body),
            created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        )
        with self._lock:
            self.emails.append(email)
        return email

    def _lookup(self, query: dict) -> dict:
        with self._lock:
            emails = list(reversed(self.emails))  # Newest first, as Notify lists them.
        if "reference" in query:
            emails = [each for each in emails if each.reference == query["reference"]]
        if query.get("template_type", "email") != "email":
            emails = []
        return {
            "notifications": [self._notification(each) for each in emails],
            "links": {"current": f"{self.base_url}{LOOKUP_PATH}?{urlencode(query)}"},
        }

    def _notification(self, email: ReceivedEmail) -> dict:
        return {
            "id": email.id,
            "reference": email.reference,
            "email_address": email.email_address,
            "phone_number": None,
            "type": "email",
            "status": "delivered",
            "template": self._template_link(email.template_id),
            "subject": email.subject,
            "body": email.body,
            "created_at": email.created_at,
            "created_by_name": None,
            "sent_at": email.created_at,
            "completed_at": email.created_at,
            "scheduled_for": None,
        }

    def _template_link(self, template_id: str) -> dict:
        return {
            "id": template_id,
            "version": 1,
            "uri": f"{self.base_url}/services/{self.service_id}/templates/{template_id}",
        }


class _Handler(FakeServiceHandler):
    server_version = "FakeNotify/1"


def _problem(error: str, message: str) -> dict:
    return {"error": error, "message": message}


def _error(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [_problem(error, message)]}


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# The wording of the service's emails is Notify's business; these stand-ins have the same placeholders.
SIGN_IN_DETAILS_TEMPLATE = {
    "subject": "Your account for the Register of training providers",
    "body": "Dear ((first_name)) ((last_name)),\n\nSign in at ((service_url))",
}
ACCOUNT_REMOVED_TEMPLATE = {
    "subject": "Your account for the Register of training providers has been removed",
    "body": "Dear ((first_name)) ((last_name)),\n\nYou can no longer sign in at ((service_url))",
}
# Email notifications of the register's changes (accounts.notifications; README, "Email notifications").
CHANGE_DIGEST_TEMPLATE = {
    "subject": "Your ((frequency)) email: ((providers_changed)) changed",
    "body": "Dear ((first_name)) ((last_name)),\n\n((providers_changed)) changed since ((since)).\n\n((changes))"
    "\n\nTo change or stop these emails: ((settings_url))",
}
PROVIDER_CHANGED_TEMPLATE = {
    "subject": "((provider_name)) has changed",
    "body": "Dear ((first_name)) ((last_name)),\n\n((provider_name)) has changed.\n\n((changes))\n\n"
    "See the provider: ((provider_url))\n\nTo change or stop these emails: ((settings_url))",
}


@pytest.fixture
def fake_notify(settings):
    """A running fake Notify, with the service's templates, and the settings pointing at it."""
    with FakeNotify() as notify:
        settings.GOVUK_NOTIFY_API_KEY = notify.api_key
        settings.GOVUK_NOTIFY_BASE_URL = notify.base_url
        settings.GOVUK_NOTIFY_TIMEOUT_SECONDS = 2
        settings.GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS = notify.add_template(**SIGN_IN_DETAILS_TEMPLATE)
        settings.GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED = notify.add_template(**ACCOUNT_REMOVED_TEMPLATE)
        settings.GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST = notify.add_template(**CHANGE_DIGEST_TEMPLATE)
        settings.GOVUK_NOTIFY_TEMPLATE_PROVIDER_CHANGED = notify.add_template(**PROVIDER_CHANGED_TEMPLATE)
        yield notify
