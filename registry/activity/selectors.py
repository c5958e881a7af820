"""Reading the activity feed: every registered model's history as one list, newest first.

How the feed is merged. Each registered model keeps its history in its own table, so there is no
single table to page through. For page N, each model's newest (offset + 25) changes that match the
filters are read as (date, id) pairs only, the pairs are merged by date, and the 25 that fall on the
page are then read in full, one query per model. That is proportionate while the history is tens
of thousands of rows; a far deeper history would want keyset paging or a shared feed table.

How the N+1 traps are avoided. Each full row comes with its actor (`select_related`), its action
and the id of the previous record of the same object (both worked out by the database), so the
previous records needed for the field-by-field changes are read in one query per model, and
whether each record still exists in one more. A page costs the same number of queries however many
changes there are.
"""

import datetime
import heapq
import itertools
from collections.abc import Iterator

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.models import User
from registry.activity.entries import ActivityEntry, activity_entries
from registry.activity.filters import ADDED, BY_THE_SYSTEM, DELETED, UPDATED, ActivityFilters
from registry.activity.sources import ACTIVITY_SOURCES, ActivitySource

PAGE_SIZE = 25
EXPORT_BATCH_SIZE = 500
NEWEST_FIRST = ("-history_date", "-history_id")


def _earlier_records(source: ActivitySource) -> QuerySet:
    """The records of the same object before the outer one, nearest first (for a subquery)."""
    id_field = source.record_id_field
    return (
        source.history_model._default_manager.filter(**{id_field: OuterRef(id_field)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by(*NEWEST_FIRST)
    )


def _with_action(source: ActivitySource, history: QuerySet) -> QuerySet:
    """Annotate "added", "updated" or "deleted", in the database so that it can be filtered on.

    A soft delete is an update whose soft-delete date went from empty to set.
    """
    whens = [When(history_type="+", then=Value(ADDED)), When(history_type="-", then=Value(DELETED))]
    if source.soft_delete_field:
        field = source.soft_delete_field
        history = history.annotate(
            previous_soft_delete_value=Subquery(_earlier_records(source).values(field)[:1]),
        )
        whens.append(
            When(
                Q(**{f"{field}__isnull": False}, previous_soft_delete_value__isnull=True),
                then=Value(DELETED),
            )
        )
    return history.annotate(action=Case(*whens, default=Value(UPDATED)))


def _start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the service's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _matching(source: ActivitySource, filters: ActivityFilters) -> QuerySet:
    history = _with_action(source, source.history_model._default_manager.all())
    if filters.about is not None:
        history = history.filter(filters.about[source.key]) if source.key in filters.about else history.none()
    elif source.activity_rows is not None:
        history = history.filter(source.activity_rows)
    if filters.actor == BY_THE_SYSTEM:
        history = history.filter(history_user__isnull=True)
    elif filters.actor:
        history = history.filter(history_user_id=filters.actor)
    if filters.action:
        history = history.filter(action=filters.action)
    if filters.date_from:
        history = history.filter(history_date__gte=_start_of_day(filters.date_from))
    if filters.date_to:
        history = history.filter(history_date__lt=_start_of_day(filters.date_to + datetime.timedelta(days=1)))
    return history.order_by(*NEWEST_FIRST)


def _in_full(source: ActivitySource, history: QuerySet) -> QuerySet:
    """What an entry needs besides the row itself, read with it rather than once per row."""
    return history.select_related("history_user").annotate(
        previous_history_id=Subquery(_earlier_records(source).values("history_id")[:1])
    )


class ActivityFeed:
    """The merged feed, shaped for Django's Paginator: `count()` and slicing."""

    def __init__(self, filters: ActivityFilters, *, viewer):
        self.filters = filters
        self.viewer = viewer

    @cached_property
    def _count(self) -> int:
        return sum(_matching(source, self.filters).count() for source in self.filters.sources)

    def count(self) -> int:
        return self._count

    def __getitem__(self, page: slice) -> list[ActivityEntry]:
        start, stop = page.start or 0, page.stop
        if stop <= start:
            return []
        newest = heapq.merge(
            *(self._newest_keys(position, source, stop) for position, source in enumerate(self.filters.sources)),
            reverse=True,
        )
        on_page = list(itertools.islice(newest, start, stop))
        rows = {}
        for position, source in enumerate(self.filters.sources):
            history_ids = [history_id for _, at, history_id in on_page if at == position]
            if history_ids:
                found = _in_full(source, _with_action(source, source.history_model._default_manager.all()))
                rows.update(((position, row.history_id), row) for row in found.filter(history_id__in=history_ids))
        return activity_entries(
            [(self.filters.sources[at], rows[at, history_id]) for _, at, history_id in on_page], viewer=self.viewer
        )

    def _newest_keys(self, position: int, source: ActivitySource, limit: int) -> list[tuple]:
        """(date, source position, history id) of the newest `limit` matching changes, newest first."""
        keys = _matching(source, self.filters).values_list("history_date", "history_id")[:limit]
        return [(history_date, position, history_id) for history_date, history_id in keys]


def activity_page(filters: ActivityFilters, *, page_number, viewer) -> Page:
    """One page of the feed; a page number out of range gives the nearest page, never an error."""
    return Paginator(ActivityFeed(filters, viewer=viewer), PAGE_SIZE).get_page(page_number)


def _all_matching(source: ActivitySource, filters: ActivityFilters) -> Iterator:
    """Every matching change of one model, newest first, read in batches that resume where they left off."""
    history = _in_full(source, _matching(source, filters))
    after = None
    while True:
        batch = history
        if after is not None:
            batch = history.filter(
                Q(history_date__lt=after.history_date)
                | Q(history_date=after.history_date, history_id__lt=after.history_id)
            )
        rows = list(batch[:EXPORT_BATCH_SIZE])
        yield from rows
        if len(rows) < EXPORT_BATCH_SIZE:
            return
        after = rows[-1]


def activity_stream(filters: ActivityFilters) -> Iterator[ActivityEntry]:
    """Every matching change, newest first, for the export: never more than a batch in memory."""
    merged = heapq.merge(
        *(_keyed_rows(position, source, filters) for position, source in enumerate(filters.sources)),
        key=lambda item: item[0],
        reverse=True,
    )
    for batch in itertools.batched(merged, EXPORT_BATCH_SIZE, strict=False):
        yield from activity_entries([(source, row) for _, source, row in batch], viewer=None, name_providers=True)


def _keyed_rows(position: int, source: ActivitySource, filters: ActivityFilters) -> Iterator[tuple]:
    """Rows with the same sort key the page uses, so that the export lists changes in page order."""
    for row in _all_matching(source, filters):
        yield (row.history_date, position, row.history_id), source, row


def activity_actors() -> list[User]:
    """Everyone who has made a recorded change: people with accounts by name, then deleted accounts."""
    made_changes = Q()
    for source in ACTIVITY_SOURCES:
        made_changes |= Q(pk__in=source.history_model._default_manager.values("history_user_id"))
    return list(
        User.objects.filter(made_changes).order_by(
            F("deleted_at").asc(nulls_first=True), "first_name", "last_name", "pk"
        )
    )
