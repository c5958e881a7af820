"""The feed merges every registered model's history; two sources over users stand in for two models."""

import pytest
from django.core.paginator import Paginator

from accounts.models import User
from registry.activity.filters import ActivityFilters
from registry.activity.selectors import PAGE_SIZE, ActivityFeed, activity_feed_page, activity_stream
from registry.activity.sources import ActivitySource
from tests.registry.activity.support import add_user, latest_change_at, london

pytestmark = pytest.mark.django_db

USERS = ActivitySource(User, soft_delete_field="deleted_at")
MORE_USERS = ActivitySource(User, hidden_fields=frozenset({"is_staff"}))
TWO_SOURCES = ActivityFilters(sources=(USERS, MORE_USERS))


@pytest.fixture
def thirty_changes(administrator, forget_history):
    forget_history()
    people = [add_user(administrator, "Person", f"Number{number}") for number in range(30)]
    # Several changes at the same moment must still fall in one order, the same on every page.
    for person in people[5:15]:
        latest_change_at(person, london(2025, 5, 21, 14, 13))


def _page(filters, number):
    return Paginator(ActivityFeed(filters, viewer=None), PAGE_SIZE).page(number).object_list


def test_pages_of_the_merged_feed_are_newest_first_without_gaps_or_repeats(thirty_changes):
    pages = [_page(TWO_SOURCES, number) for number in (1, 2, 3)]

    merged = [entry for page in pages for entry in page]
    assert [len(page) for page in pages] == [25, 25, 10]
    assert [entry.changed_at for entry in merged] == sorted((entry.changed_at for entry in merged), reverse=True)
    every_change = sorted(User.history.values_list("history_id", flat=True))
    for source in (USERS, MORE_USERS):
        assert sorted(entry.history_id for entry in merged if entry.source is source) == every_change


def test_export_lists_the_merged_feed_in_page_order(thirty_changes):
    pages = [entry for number in (1, 2, 3) for entry in _page(TWO_SOURCES, number)]

    exported = list(activity_stream(TWO_SOURCES))

    assert [(entry.source, entry.history_id) for entry in exported] == [
        (entry.source, entry.history_id) for entry in pages
    ]


def test_count_adds_up_every_source(thirty_changes):
    assert ActivityFeed(TWO_SOURCES, viewer=None).count() == 60


def _walk(filters):
    """Every page from the first, by "Next", then back by "Previous": the entries' ids, page by page."""
    pages = []
    page = activity_feed_page(filters, viewer=None)
    pages.append(page)
    while page.older is not None:
        page = activity_feed_page(filters, viewer=None, older_than=page.older)
        pages.append(page)
    back = [page]
    while page.newer is not None:
        page = activity_feed_page(filters, viewer=None, newer_than=page.newer)
        back.append(page)
    return pages, back


def _ids(page):
    return [(entry.source, entry.history_id) for entry in page.entries]


def test_next_walks_the_merged_feed_without_gaps_or_repeats_and_previous_walks_back(thirty_changes):
    pages, back = _walk(TWO_SOURCES)

    assert [len(page.entries) for page in pages] == [25, 25, 10]
    assert [_ids(page) for page in back] == [_ids(page) for page in reversed(pages)]
    walked = [_ids(page) for page in pages]
    by_numbers = [_ids_of(_page(TWO_SOURCES, number)) for number in (1, 2, 3)]
    assert walked == by_numbers
    assert pages[0].newer is None
    assert pages[-1].older is None


def _ids_of(entries):
    return [(entry.source, entry.history_id) for entry in entries]


def test_a_page_of_rows_brings_the_record_before_each_change(administrator, forget_history):
    forget_history()
    mary = add_user(administrator, "Mary", "Lawson")
    mary.first_name = "Maria"
    mary.save()

    updated, added = activity_feed_page(ActivityFilters(sources=(USERS,)), viewer=None).entries

    assert [(change.label, change.old, change.new) for change in updated.changes] == [("First name", "Mary", "Maria")]
    assert added.changes == ()
