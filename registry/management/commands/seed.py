"""Load the seed data in fixtures/ into a database that has none yet.

`make run` calls this each time. Loading every provider takes a while, and loading again would put
the fixture values back over any local change, so a database that already has accounts is left as
it is; `manage.py loaddata fixtures/*.json` reloads on purpose.

Fixtures are saved "raw", which django-simple-history leaves out of history (it records only the
academic years set on providers and partnerships, as updates with no reason). So that the first
change to a seeded record can be compared with something, every record the load leaves without a
history row of its own is given one: "Added (seeded from fixtures)", made by the system
(`accounts.permissions.SYSTEM`, so no user), holding the record as loaded, academic years included.
The rows the load wrote for the academic years are replaced by these.
"""

import itertools
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.permissions import SYSTEM
from registry.importing.bulk_writes import snapshot_latest_history
from registry.models import Provider
from registry.services.changes import provider_changes_record

SEEDED = "Added (seeded from fixtures)"
BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Load fixtures/ into a database that has no accounts yet."

    def handle(self, *args, **options):
        if User.objects.exists():
            self.stdout.write("The database already has data: fixtures not loaded again.")
            return
        fixtures = sorted(str(path) for path in Path(settings.BASE_DIR, "fixtures").glob("*.json"))
        loaded = _models_in(fixtures)
        with transaction.atomic():
            before = _latest_history_ids(loaded)
            call_command("loaddata", *fixtures, verbosity=options["verbosity"])
            seeded = seed_history(before)
            # Followers of the changes feed from its start see every seeded provider once.
            provider_changes_record(Provider._base_manager.only("pk").order_by("pk"), actor=SYSTEM, reason=SEEDED)
        if options["verbosity"]:
            self.stdout.write(f"Recorded {seeded} seeded record{'s' if seeded != 1 else ''} in their history.")


def _models_in(fixtures: list[str]) -> list[type[models.Model]]:
    """The models the fixtures hold records of whose changes are recorded (`history = HistoricalRecords()`)."""
    labels = {record["model"] for path in fixtures for record in json.loads(Path(path).read_text("utf-8"))}
    return [
        model
        for model in map(apps.get_model, sorted(labels))
        if getattr(model._meta, "simple_history_manager_attribute", None) == "history"
    ]


def _latest_history_ids(history_models: list[type[models.Model]]) -> dict:
    """{model: its newest history row's id, or 0}: what was recorded before the load."""
    return {
        model: model.history.model._default_manager.aggregate(latest=Max("history_id"))["latest"] or 0
        for model in history_models
    }


def seed_history(before: dict) -> int:
    """Give each record of the loaded models without a history row an "added" one by the system;
    returns how many.

    `before` is what `_latest_history_ids` gave for those models before the load: rows written
    since then are the load's own (academic years set), and are replaced.
    """
    now = timezone.now()
    seeded = 0
    for model, latest_before in before.items():
        history = model.history.model._default_manager
        history.filter(history_id__gt=latest_before).delete()
        recorded = history.values(model._meta.pk.attname)
        unrecorded = list(model._base_manager.exclude(pk__in=recorded).order_by("pk").values_list("pk", flat=True))
        for pks in itertools.batched(unrecorded, BATCH_SIZE, strict=False):
            batch = list(model._base_manager.filter(pk__in=pks).order_by("pk"))
            for record in batch:
                record._history_user = None  # SYSTEM: the seed, not a person
            model.history.bulk_history_create(batch, default_change_reason=SEEDED, default_date=now)
            if getattr(model.history.model, "_history_m2m_fields", None):
                snapshot_latest_history(model, batch)
            seeded += len(batch)
    return seeded
