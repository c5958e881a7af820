"""Each source's history rows as the feed asks for them: filtered, with their action, in feed order.

Every query here reads a history table through one of the indexes declared in
`registry.activity.history_indexes`, so that its cost depends on the rows it returns, not on how
many changes there are: the feed's order (history_date, history_id), one person's changes
(history_user, history_date, history_id), and one record's changes (record id, history_date,
history_id) for the change before a given one.
"""

import datetime

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from registry.activity.cursor import FeedPlace
from registry.activity.filters import ADDED, BY_THE_SYSTEM, DELETED, UPDATED, ActivityFilters
from registry.activity.history_indexes import deletion_candidates
from registry.activity.sources import ActivitySource

NEWEST_FIRST = ("-history_date", "-history_id")
OLDEST_FIRST = ("history_date", "history_id")


def before(*, date, history_id, or_at_same_date: bool = False) -> Q:
    """Rows earlier in feed order than (date, history_id), written so that an index on
    (…, history_date, history_id) is read as a range from that place: `history_date <= date` bounds
    the scan, the rest only filters its first rows. `or_at_same_date` takes every row at `date`."""
    if or_at_same_date:
        return Q(history_date__lte=date)
    return Q(history_date__lte=date) & (Q(history_date__lt=date) | Q(history_id__lt=history_id))


def after(*, date, history_id, or_at_same_date: bool = False) -> Q:
    """Rows later in feed order than (date, history_id): `before`'s mirror."""
    if or_at_same_date:
        return Q(history_date__gte=date)
    return Q(history_date__gte=date) & (Q(history_date__gt=date) | Q(history_id__gt=history_id))


def earlier_records(source: ActivitySource) -> QuerySet:
    """The records of the same object before the outer one, nearest first (for a subquery): one
    probe of the (record id, history_date, history_id) index."""
    id_field = source.record_id_field
    return (
        source.history_model._default_manager.filter(**{id_field: OuterRef(id_field)})
        .filter(before(date=OuterRef("history_date"), history_id=OuterRef("history_id")))
        .order_by(*NEWEST_FIRST)
    )


def with_action(source: ActivitySource, history: QuerySet) -> QuerySet:
    """Annotate "added", "updated" or "deleted", in the database so that it can be filtered on.

    A soft delete is an update whose soft-delete date went from empty to set. Only a row with the
    date set asks for the row before it (one index probe), and only while it is being read: a row
    the page does not reach costs nothing.
    """
    whens = [When(history_type="+", then=Value(ADDED)), When(history_type="-", then=Value(DELETED))]
    if source.soft_delete_field:
        field = source.soft_delete_field
        history = history.annotate(
            previous_soft_delete_value=Subquery(earlier_records(source).values(field)[:1]),
        )
        whens.append(
            When(
                Q(**{f"{field}__isnull": False}, previous_soft_delete_value__isnull=True),
                then=Value(DELETED),
            )
        )
    return history.annotate(action=Case(*whens, default=Value(UPDATED)))


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the service's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def matching(source: ActivitySource, filters: ActivityFilters) -> QuerySet:
    """The source's rows the filters find, with their action, newest first."""
    history = with_action(source, source.history_model._default_manager.all())
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
    if filters.action == DELETED:
        # Implied by the action, and said so that the deletions' own partial index is read.
        history = history.filter(deletion_candidates(source.soft_delete_field))
    if filters.date_from:
        history = history.filter(history_date__gte=start_of_day(filters.date_from))
    if filters.date_to:
        history = history.filter(history_date__lt=start_of_day(filters.date_to + datetime.timedelta(days=1)))
    return history.order_by(*NEWEST_FIRST)


def beyond(history: QuerySet, place: FeedPlace, position: int, *, newer: bool) -> QuerySet:
    """The source at `position`'s rows past `place` in the feed: older than it, or newer (then
    oldest first, so that the nearest come first). At the same moment, the feed orders a later
    source before an earlier one, and a higher history id before a lower."""
    if newer:
        same_date = position > place.source_position
        where = after(date=place.changed_at, history_id=place.history_id, or_at_same_date=same_date)
        if position < place.source_position:
            where = Q(history_date__gt=place.changed_at)
        return history.filter(where).order_by(*OLDEST_FIRST)
    same_date = position < place.source_position
    where = before(date=place.changed_at, history_id=place.history_id, or_at_same_date=same_date)
    if position > place.source_position:
        where = Q(history_date__lt=place.changed_at)
    return history.filter(where)
