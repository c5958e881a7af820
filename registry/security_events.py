"""Security events: sign-ins, refusals and changes to access, logged as structured records.

Each record says what happened, to what, by whom, from where and with what outcome. Never pass a
secret (a token, a session key, an authorisation code, a password) as a detail.
"""

import logging

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
