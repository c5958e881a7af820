"""Reading for email notifications: a person's settings, who is due an email, and the changes to tell them.

The register's change record (`registry.models.ProviderChange`) is read here rather than through
`registry.services.changes`, which writes it: positions only grow and commit in order, so "every
change after n, up to m" (with m no higher than the last committed position) never misses one.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.db.models import Q

from accounts.models import ChangeNotifications
from accounts.notifications.schedule import digest_due_if_covered_before
from registry.models import Provider, ProviderChange

Frequency = ChangeNotifications.Frequency


def change_notifications_of(user) -> ChangeNotifications | None:
    """The person's settings, or None if they have never set up email notifications."""
    if user is None or not getattr(user, "pk", None):
        return None
    return ChangeNotifications.objects.filter(user_id=user.pk).first()


def change_notifications_due(*, now: datetime.datetime, up_to: int) -> list[uuid.UUID]:
    """The settings of everyone who may be due an email now: a daily or weekly digest whose time has
    come, or "each time" with changes after their last email (up to position `up_to`)."""
    due = (
        Q(frequency=Frequency.DAILY, covered_at__lt=digest_due_if_covered_before(Frequency.DAILY, now))
        | Q(frequency=Frequency.WEEKLY, covered_at__lt=digest_due_if_covered_before(Frequency.WEEKLY, now))
        | Q(frequency=Frequency.EACH_TIME, covered_position__lt=up_to)
    )
    return list(ChangeNotifications.objects.filter(due).order_by("covered_at").values_list("pk", flat=True))


def provider_changes_to_tell(
    *, after: int, up_to: int, topics: Iterable[str], leaving_out_actor_id
) -> list[ProviderChange]:
    """The changes after position `after`, up to `up_to`, about `topics`, in the order they were made,
    leaving out those made by `leaving_out_actor_id` (the person being told: they made them)."""
    return list(
        ProviderChange.objects.filter(position__gt=after, position__lte=up_to, topic__in=list(topics))
        .exclude(actor_id=leaving_out_actor_id)
        .select_related("actor")
        .order_by("position")
    )


def providers_named(provider_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Provider]:
    """The providers, deleted ones included (a change may be their deletion), by id, in one query."""
    return Provider._base_manager.only("pk", "operating_name", "deleted_at").in_bulk(list(set(provider_ids)))
