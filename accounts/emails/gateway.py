"""The one place that talks to GOV.UK Notify, or stands in for it where there is no Notify key.

The task in `tasks.py` decides what to do with an email; a gateway only sends it, or tells whether
Notify already has it, and turns every way Notify can refuse into an `EmailNotSent` that says
whether trying again later could work.
"""

import logging
import uuid
from typing import Protocol, Self

from django.conf import settings
from django.template.loader import render_to_string
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError, HTTPError, InvalidResponse

from accounts.models import Email

logger = logging.getLogger("accounts.emails")

# Longest error kept on the email, so one odd response cannot fill the table.
_MAX_ERROR_LENGTH = 1000


class EmailNotSent(Exception):
    """Notify did not take the email. `retryable` is whether the same request may work later."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class EmailGateway(Protocol):
    def send(self, *, email: Email) -> str:
        """Send `email` and return Notify's id for it; raise `EmailNotSent` when it is refused."""

    def find(self, *, email: Email) -> str | None:
        """Notify's id for an earlier send of `email`, or None when Notify never took it."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info) -> None: ...


def email_gateway() -> EmailGateway:
    """A new gateway for one task run: Notify when there is a key, the log otherwise (local use)."""
    if settings.GOVUK_NOTIFY_API_KEY:
        return NotifyGateway()
    return LogGateway()


def email_template_id(*, kind: str) -> str:
    """The Notify template for each kind of email: Notify holds the wording, we hold only its id."""
    templates = {
        Email.Kind.SIGN_IN_DETAILS: settings.GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS,
        Email.Kind.ACCOUNT_REMOVED: settings.GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED,
        Email.Kind.CHANGE_DIGEST: settings.GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST,
        Email.Kind.PROVIDER_CHANGED: settings.GOVUK_NOTIFY_TEMPLATE_PROVIDER_CHANGED,
    }
    return templates[kind]


class NotifyGateway:
    """GOV.UK Notify through its own client.

    The client keeps one `requests` session and is not thread-safe, so each gateway makes its own
    and closes it when the task is done with it.
    """

    def __init__(self):
        self._client = NotificationsAPIClient(
            settings.GOVUK_NOTIFY_API_KEY,
            base_url=settings.GOVUK_NOTIFY_BASE_URL,
            timeout=settings.GOVUK_NOTIFY_TIMEOUT_SECONDS,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self._client.request_session.close()

    def send(self, *, email: Email) -> str:
        try:
            response = self._client.send_email_notification(
                email_address=email.to,
                template_id=email_template_id(kind=email.kind),
                personalisation=email.personalisation,
                reference=email.reference,
            )
        except APIError as error:
            raise _not_sent(error) from error
        notify_id = response.get("id") if isinstance(response, dict) else None
        if not _is_notify_id(notify_id):
            # Notify may have the email all the same (the answer mangled on the way): the retry asks
            # it by reference before sending again.
            raise EmailNotSent(
                _safe(f"GOV.UK Notify answered with no id for the email, but {_shape(response)}"), retryable=True
            )
        return notify_id

    def find(self, *, email: Email) -> str | None:
        try:
            response = self._client.get_all_notifications(reference=email.reference)
        except APIError as error:
            raise _not_sent(error) from error
        notifications = response.get("notifications") if isinstance(response, dict) else None
        if not isinstance(notifications, list) or not all(isinstance(each, dict) for each in notifications):
            # Not an answer to go on: sending now could send the email twice, so try again later.
            raise EmailNotSent(
                _safe(f"GOV.UK Notify answered with no list of emails, but {_shape(response)}"), retryable=True
            )
        for notification in notifications:
            if notification.get("reference") == email.reference and _is_notify_id(notification.get("id")):
                return notification["id"]
        return None


class LogGateway:
    """Writes each email to the log instead of sending it, for running the service locally.

    Settings refuse to start without a Notify key when DEBUG is off, so this never stands in for
    Notify in a deployed service, where the log would then hold people's addresses.
    """

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def send(self, *, email: Email) -> str:
        body = render_to_string(
            f"accounts/email/{email.kind}.txt",
            {**email.personalisation, "service_name": settings.SERVICE_NAME},
        )
        logger.info(
            "Email not sent through GOV.UK Notify, because GOVUK_NOTIFY_API_KEY is not set.\n"
            "To: %s\nKind: %s\nReference: %s\n\n%s",
            email.to,
            email.get_kind_display(),
            email.reference,
            body.strip(),
        )
        # There is no Notify id to record for an email that only went to the log.
        return ""

    def find(self, *, email: Email) -> str | None:
        return None


def _not_sent(error: APIError) -> EmailNotSent:
    """Sort Notify's refusals: 400 and 403 are our mistakes and retrying cannot fix them; 429, 5xx
    and no answer at all (which the client reports as a 503) may well work later."""
    if isinstance(error, InvalidResponse):
        # A success status with a body that is not JSON: something between us and Notify answered.
        return EmailNotSent(
            _safe(f"GOV.UK Notify answered {error.status_code} with a body that is not JSON"), retryable=True
        )
    if isinstance(error, HTTPError) and error.response is None:
        cause = error.__cause__
        detail = f"{type(cause).__name__}: {cause}" if cause else "no response"
        return EmailNotSent(_safe(f"Could not reach GOV.UK Notify ({detail})"), retryable=True)
    status = error.status_code
    retryable = status in {408, 429} or status >= 500
    return EmailNotSent(_safe(f"GOV.UK Notify answered {status}: {_describe(error)}"), retryable=retryable)


def _is_notify_id(value) -> bool:
    """Whether `value` is an id as Notify gives them (a UUID)."""
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _shape(answer) -> str:
    """What came back, by its shape alone: an answer may hold the email's address and words."""
    if isinstance(answer, dict):
        keys = ", ".join(sorted(str(key) for key in answer)[:10])
        return f"an object with {keys}" if keys else "an empty object"
    return f"a JSON {type(answer).__name__}"


def _describe(error: APIError) -> str:
    # Notify's errors come as [{"error": "BadRequestError", "message": "..."}, ...].
    message = error.message
    if isinstance(message, list):
        return "; ".join(
            f"{item.get('error', 'Error')}: {item.get('message', '')}" if isinstance(item, dict) else str(item)
            for item in message
        )
    if message == "Request failed" and error.response is not None:
        return error.response.reason or message
    return str(message)


def _safe(message: str) -> str:
    """The message with the API key taken out, wherever an answer might echo it, and cut short."""
    key = settings.GOVUK_NOTIFY_API_KEY
    if key:
        # The secret is the last 36 characters of the key; the key also holds the service id.
        for secret in (key, key[-36:]):
            message = message.replace(secret, "[redacted]")
    if len(message) > _MAX_ERROR_LENGTH:
        message = message[: _MAX_ERROR_LENGTH - 1] + "…"
    return message
