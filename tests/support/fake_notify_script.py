"""What a test tells the fake GOV.UK Notify (tests/support/fake_notify.py) to answer, and what it
reads back from it: scripted answers, good and bad, and the emails and requests it received."""

import enum
from dataclasses import dataclass

# The errors Notify gives for each status, used when a test scripts just a status code.
CANNED_ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type TEAM of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
    502: ("Exception", "Bad gateway"),
    503: ("Exception", "Service unavailable"),
}


class Behaviour(enum.Enum):
    # Take the email, then close the connection without answering: Notify has it, we never heard.
    ACCEPT_THEN_DROP = "accept then drop"
    # Take the email, then say nothing until the server stops, so the client times out.
    ACCEPT_THEN_HANG = "accept then hang"


@dataclass(frozen=True)
class Reply:
    """A scripted answer: this status, with this JSON body (Notify's usual error when None), or with
    these bytes as they are (`raw`): an HTML page from a proxy, JSON cut short."""

    status: int
    body: dict | list | None = None
    raw: bytes | None = None
    content_type: str = "application/json"


@dataclass(frozen=True)
class AcceptThen:
    """Take the email, then answer `reply` instead of Notify's own answer: Notify has the email, and
    what came back (mangled on the way, say) does not say so."""

    reply: Reply


@dataclass(frozen=True)
class Template:
    id: str
    subject: str
    body: str


@dataclass
class ReceivedEmail:
    """An email the fake Notify took, with what the client sent for it."""

    id: str
    email_address: str
    template_id: str
    personalisation: dict
    reference: str | None
    subject: str
    body: str
    created_at: str


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    query: dict
