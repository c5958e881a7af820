"""Positions commit in the order they are given, however writers interleave: on PostgreSQL.

A writer that has taken a position holds the counter's row lock until it commits. A second writer
asking for a position meanwhile waits, then gets the next one; a reader in the meantime sees
neither. So no reader can see position n + 1 before position n: following "everything after the
last position I saw" never skips a change. On SQLite, which takes one writer at a time, skipped.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from accounts.permissions import SYSTEM
from registry.models import ProviderChange
from registry.services.changes import last_position, provider_changes_record
from tests.factories import ProviderFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers are PostgreSQL's"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOLD_SECONDS = 0.5


def _in_thread(work):
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_later_writer_waits_for_the_earlier_to_commit_and_takes_the_next_position():
    first_provider, second_provider = ProviderFactory(), ProviderFactory()
    before = last_position()
    first_has_position = threading.Event()
    events = []

    def first():
        with transaction.atomic():
            provider_changes_record([first_provider], actor=SYSTEM, reason="First")
            first_has_position.set()
            time.sleep(HOLD_SECONDS)
            events.append("first commits")

    def second():
        first_has_position.wait()
        with transaction.atomic():
            provider_changes_record([second_provider], actor=SYSTEM, reason="Second")
            events.append("second has its position")

    first_thread, _ = _in_thread(first)
    second_thread, _ = _in_thread(second)
    first_has_position.wait()
    time.sleep(HOLD_SECONDS / 2)
    # While the first is in flight, a reader sees neither change, nor its position as the last.
    assert last_position() == before
    assert not ProviderChange.objects.filter(position__gt=before).exists()
    first_thread.join()
    second_thread.join()

    assert events == ["first commits", "second has its position"]
    assert list(ProviderChange.objects.filter(position__gt=before).values_list("position", "reason")) == [
        (before + 1, "First"),
        (before + 2, "Second"),
    ]
