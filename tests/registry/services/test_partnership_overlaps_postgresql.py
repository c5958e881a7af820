"""Two people adding the same partnership at once: one is added, the other refused, on PostgreSQL.

Each addition locks both providers' rows before it looks for an overlapping partnership
(registry.services.partnerships), so the second waits for the first to commit and then finds it.
On SQLite, which takes one writer at a time, these are skipped.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, connections

from registry.models import Partnership
from registry.services import partnerships
from registry.services.partnerships import PartnershipDatesOverlap, partnership_create
from tests.factories import AccreditedProviderFactory, SchoolProviderFactory, SupportEditorFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent writers are PostgreSQL's"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_of_two_overlapping_partnerships_added_at_once_one_is_refused(monkeypatch):
    editors = SupportEditorFactory.create_batch(2)
    accredited, school = AccreditedProviderFactory(), SchoolProviderFactory()
    save = partnerships.save_with_history

    def slowly(*args, **kwargs):
        time.sleep(0.5)  # the first holds its locks while the second asks
        save(*args, **kwargs)

    monkeypatch.setattr(partnerships, "save_with_history", slowly)
    start, outcomes = threading.Barrier(2), []

    def add(editor, starts_on):
        start.wait()
        try:
            partnership_create(
                actor=editor,
                accredited_provider=accredited,
                training_partner=school,
                starts_on=starts_on,
                academic_years=[2024],
            )
            outcomes.append("added")
        except PartnershipDatesOverlap:
            outcomes.append("refused")
        except Exception as error:  # the test reports whatever else happened
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add, args=(editors[0], datetime.date(2024, 8, 1))),
        threading.Thread(target=add, args=(editors[1], datetime.date(2024, 9, 1))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["added", "refused"]
    assert Partnership.objects.kept().filter(accredited_provider=accredited, training_partner=school).count() == 1
