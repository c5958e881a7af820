"""Reading the activity feed: every registered model's history as one list, newest first.

How the feed is merged. Each registered model keeps its history in its own table, so there is no
single table to page through. A page is the 25 changes just past a place in the feed
(`registry.activity.cursor`): each table's first 26 rows past that place, read through its
(history_date, history_id) index, joined by UNION ALL in one query that keeps the 26 nearest
(`registry.activity.feed_rows`). The 26th only says whether there is a page beyond. Nothing counts
the changes: a count would read every one of them on every request.

How the N+1 traps are avoided. Each row comes with the record before it (a subquery on the record's
(id, history_date, history_id) index) and its action, in that one query; the actor comes from the
people who have made changes, which the page reads anyway for its filter; the many-to-many answers,
which records still exist and the providers' names are one query each for the whole page. A page
costs the same number of queries however many changes there are, and however deep it is.
"""

import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef
from django.utils.functional import cached_property

from accounts.models import User
from registry.activity.cursor import FeedPlace
from registry.activity.entries import ActivityEntry, activity_entries
from registry.activity.feed_rows import feed_rows, source_rows
from registry.activity.filters import ActivityFilters
from registry.activity.queries import matching
from registry.activity.sources import ACTIVITY_SOURCES
from registry.activity.union import count_all

PAGE_SIZE = 25
EXPORT_BATCH_SIZE = 2_000


@dataclass(frozen=True)
class FeedPage:
    """A page of the feed, and the places the pages either side of it start from (None: no such page)."""

    entries: list[ActivityEntry]
    newer: FeedPlace | None
    older: FeedPlace | None

    @property
    def object_list(self) -> list[ActivityEntry]:
        return self.entries


def activity_feed_page(
    filters: ActivityFilters,
    *,
    viewer,
    older_than: FeedPlace | None = None,
    newer_than: FeedPlace | None = None,
    actors: list[User] | None = None,
) -> FeedPage:
    """The 25 changes just older than `older_than` (or just newer than `newer_than`; the newest 25
    when neither is given), and where the pages either side start.

    `actors`, everyone who has made a change, are the page's filter choices too: given, they are
    not read again.
    """
    newer = newer_than is not None and older_than is None
    place = newer_than if newer else older_than
    rows = feed_rows(filters, place, newer=newer, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if place is not None and not rows:
        # Nothing past a place (an address kept while the filters' changes went, or made up): the
        # first page, rather than none.
        return activity_feed_page(filters, viewer=viewer, actors=actors)
    if newer:
        if not more:
            # Back at the newest changes: the first page, whole even if the pages have moved on.
            return activity_feed_page(filters, viewer=viewer, actors=actors)
        rows.reverse()
    entries = _entries(rows, viewer=viewer, actors=actors)
    first, last = (rows[0][0], rows[-1][0]) if rows else (None, None)
    has_newer = (more if newer else place is not None) and bool(rows)
    has_older = (True if newer else more) and bool(rows)
    return FeedPage(entries=entries, newer=first if has_newer else None, older=last if has_older else None)


def _entries(rows: list[tuple], *, viewer, actors: list[User] | None, **options) -> list:
    """Entries for (place, source, row) triples; `options` go to `activity_entries`."""
    _give_actors([row for _, _, row in rows], actors)
    return activity_entries([(source, row) for _, source, row in rows], viewer=viewer, **options)


def _give_actors(rows: list, actors: list[User] | None) -> None:
    """Each row's `history_user` from `actors`; anyone not among them (a change made since they
    were read, or none given) read in one query."""
    by_id = {actor.pk: actor for actor in actors or ()}
    missing = {row.history_user_id for row in rows} - set(by_id) - {None}
    if missing:
        by_id.update(User.objects.in_bulk(missing))
    for row in rows:
        row.history_user = by_id.get(row.history_user_id)


class ActivityFeed:
    """The merged feed, shaped for Django's Paginator: `count()` and slicing. For a record's
    history page, whose changes are few: it counts them, and a page N reads N pages' places."""

    def __init__(self, filters: ActivityFilters, *, viewer):
        self.filters = filters
        self.viewer = viewer

    @cached_property
    def _count(self) -> int:
        return count_all([matching(source, self.filters) for source in self.filters.sources])

    def count(self) -> int:
        return self._count

    def __getitem__(self, page: slice) -> list[ActivityEntry]:
        start, stop = page.start or 0, page.stop
        if stop <= start:
            return []
        rows = feed_rows(self.filters, None, newer=False, limit=stop)[start:stop]
        return _entries(rows, viewer=self.viewer, actors=None)


def activity_page(filters: ActivityFilters, *, page_number, viewer) -> Page:
    """One page of a record's history; a page number out of range gives the nearest page, never an error."""
    return Paginator(ActivityFeed(filters, viewer=viewer), PAGE_SIZE).get_page(page_number)


def _source_stream(position: int, filters: ActivityFilters) -> Iterator[tuple]:
    """Every matching change of one model, newest first: batches read along the feed's index, each
    starting where the last ended, so each costs what the first does."""
    place = None
    while True:
        batch = source_rows(filters, position, place, limit=EXPORT_BATCH_SIZE)
        yield from batch
        if len(batch) < EXPORT_BATCH_SIZE:
            return
        place = batch[-1][0]


def activity_stream(filters: ActivityFilters) -> Iterator[ActivityEntry]:
    """Every matching change, newest first, for the export: never more than a batch per model in memory."""
    actors = activity_actors()
    merged = heapq.merge(
        *(_source_stream(position, filters) for position in range(len(filters.sources))),
        key=lambda item: item[0],
        reverse=True,
    )
    providers = {}
    for batch in itertools.batched(merged, EXPORT_BATCH_SIZE, strict=False):
        yield from _entries(list(batch), viewer=None, actors=actors, name_providers=True, known_providers=providers)


def activity_actors() -> list[User]:
    """Everyone who has made a recorded change: people with accounts by name, then deleted accounts.

    Asked of each person (there are few) whether any history table has a change of theirs: one
    probe of each table's (history_user, …) index, not a read of every change.
    """
    made_changes = None
    for source in ACTIVITY_SOURCES:
        theirs = Exists(source.history_model._default_manager.filter(history_user_id=OuterRef("pk")))
        made_changes = theirs if made_changes is None else made_changes | theirs
    return list(
        User.objects.filter(made_changes).order_by(
            F("deleted_at").asc(nulls_first=True), "first_name", "last_name", "pk"
        )
    )
