"""RoTP ids: the register's own identifier for a provider, like "RoTP-26V6KK09".

The id is `RoTP-<yy><L><d><L><L><mm>`: the year and month the provider onboarded around four
characters taken from the SHA-256 of "{operating name}|{onboarded date}-{attempt}". It is made the
same way as the real service makes it, so a provider gets the same id in both. A collision is met
by trying the next attempt, up to `REGISTER_ID_ATTEMPTS` times. Once given, an id never changes.
"""

import datetime
import hashlib
import re
from collections.abc import Callable, Iterator

from django.utils import timezone

REGISTER_ID_ATTEMPTS = 10
REGISTER_ID_FORMAT = re.compile(r"RoTP-[0-9]{2}[A-Z][0-9][A-Z]{2}[0-9]{2}")


class RegisterIdsExhausted(Exception):
    """Every attempt gave an id that another provider already has."""


def register_id_candidate(*, operating_name: str, onboarded_on: datetime.date | None, attempt: int) -> str:
    """The id a provider gets at `attempt` (0 first).

    A provider added with no onboarding date is dated by the day it is added, which is when it
    came onto the register.
    """
    seed = f"{operating_name}|{onboarded_on.isoformat() if onboarded_on else ''}-{attempt}"
    digest = hashlib.sha256(seed.encode()).hexdigest()

    def chunk(index: int) -> int:
        return int(digest[index * 8 : index * 8 + 8], 16)

    def letter(index: int) -> str:
        return chr(ord("A") + chunk(index) % 26)

    dated = onboarded_on or timezone.localdate()
    return f"RoTP-{dated:%y}{letter(1)}{chunk(0) % 10}{letter(3)}{letter(4)}{dated:%m}"


def register_id_candidates(*, operating_name: str, onboarded_on: datetime.date | None) -> Iterator[str]:
    for attempt in range(REGISTER_ID_ATTEMPTS):
        yield register_id_candidate(operating_name=operating_name, onboarded_on=onboarded_on, attempt=attempt)


def register_id_choose(*, operating_name: str, onboarded_on: datetime.date | None, taken: Callable[[str], bool]) -> str:
    """The first candidate id that `taken` says is free."""
    for candidate in register_id_candidates(operating_name=operating_name, onboarded_on=onboarded_on):
        if not taken(candidate):
            return candidate
    raise RegisterIdsExhausted(f"No free RoTP id for {operating_name!r} after {REGISTER_ID_ATTEMPTS} attempts")


def is_register_id(value: str) -> bool:
    return bool(REGISTER_ID_FORMAT.fullmatch(value))
