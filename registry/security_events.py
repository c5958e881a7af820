"""Security events: sign-ins, refusals and changes to access, logged as structured records.

Each record says what happened, to what, by whom, from where and with what outcome. Never pass a
secret (a token, a session key, an authorisation code, a password) as a detail.

A change is logged as done only once it is: services log their writes with
`security_event_on_commit`, so a change rolled back (a deadlock, a lost race, a database that went
away) is never in the log as made. Refusals and failures are logged at once, with `security_event`:
they happened whatever becomes of the transaction.
"""

import logging

from django.db import transaction

logger = logging.getLogger("security")


def _actor(request, actor):
    actor = actor if actor is not None else getattr(request, "user", None)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "anonymous"
    return str(actor.pk), "api_user" if getattr(actor, "is_api_user", False) else "support_user"


def client_ip(request) -> str | None:
    """The address the request came from, as the server saw it (never a client-supplied header)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def security_event(event: str, *, outcome: str, request=None, actor=None, target=None, **details) -> None:
    """Log `event` (e.g. "sign_in") with `outcome` ("success", "failure", "denied", ...)."""
    actor_id, actor_type = _actor(request, actor)
    record = {
        "event": event,
        "outcome": outcome,
        "actor_id": actor_id,
        "actor_type": actor_type,
        "target": None if target is None else str(target),
        "request_id": getattr(request, "request_id", None),
        "ip": client_ip(request),
        **details,
    }
    level = logging.INFO if outcome == "success" else logging.WARNING
    logger.log(level, event, extra=record)


def security_event_on_commit(event: str, *, outcome: str = "success", request=None, actor=None, target=None, **details):
    """Log `event` as `security_event` does, once the transaction in progress commits (at once
    outside one); if it is rolled back, nothing is logged."""
    transaction.on_commit(
        lambda: security_event(event, outcome=outcome, request=request, actor=actor, target=target, **details)
    )
