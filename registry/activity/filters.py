"""What a reader has asked the Activity page to show: the answers the filter form cleans into."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q

from registry.activity.sources import ACTIVITY_SOURCES, ActivitySource

ADDED = "added"
UPDATED = "updated"
DELETED = "deleted"
ACTIONS = (ADDED, UPDATED, DELETED)

# Changes saved with no signed-in person behind them (data loads, scheduled jobs).
BY_THE_SYSTEM = "system"


@dataclass(frozen=True)
class ActivityFilters:
    sources: tuple[ActivitySource, ...] = ACTIVITY_SOURCES
    actor: str | None = None  # a user's id, or BY_THE_SYSTEM
    action: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # Only the changes to some records (one record's history page): for each source's key, which of
    # its history rows, e.g. {"registry.address": Q(provider_id=…)}. A source not named has none.
    about: Mapping[str, Q] | None = None
