"""A token that changes whenever the register changes: what cached API pages and list counts are keyed by.

Every write to the register (a record saved, an import, fixtures loaded) replaces it in the shared
cache, so whatever was cached under the old token is never served again, by any process. It is
replaced twice: at once, and again when the write commits. The second is the one that matters: a
page built while the write was in flight, from the data as it was, is cached under the first
token and never looked up after the second. The first keeps a write that is never committed
(rolled back, or a test's transaction) from leaving pages cached that it has made stale.

Random, not a counter: if the cache loses the key (a restart, an eviction, a flush), a new token
cannot repeat one that pages were cached under.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

CACHE_KEY = "register-version"


def _new() -> str:
    return secrets.token_hex(8)


def register_version_from(cached: str | None) -> str:
    """The register's version, given what the cache held for CACHE_KEY (None if nothing)."""
    if cached is not None:
        return cached
    cache.add(CACHE_KEY, _new(), timeout=None)
    return cache.get(CACHE_KEY) or _new()


def register_version() -> str:
    """The register's current version: changes whenever anything in the register does."""
    return register_version_from(cache.get(CACHE_KEY))


def _replace() -> None:
    cache.set(CACHE_KEY, _new(), timeout=None)


def register_changed(using: str | None = None) -> None:
    """Record that the register is changing: call in the same transaction as the write."""
    _replace()
    transaction.on_commit(_replace, using=using)
