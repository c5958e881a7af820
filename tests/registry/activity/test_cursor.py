"""A page's place in the feed, carried in its address."""

import datetime

import pytest

from registry.activity.cursor import FeedPlace

PLACE = FeedPlace(datetime.datetime(2025, 5, 21, 13, 13, 0, 123456, tzinfo=datetime.UTC), 4, 5821)


def test_a_place_reads_back_as_itself():
    assert PLACE.token() == "1747833180123456.4.5821"
    assert FeedPlace.from_token(PLACE.token()) == PLACE


def test_places_compare_as_the_feed_orders_them_newer_being_greater():
    later = FeedPlace(PLACE.changed_at + datetime.timedelta(microseconds=1), 0, 1)
    same_moment_later_source = FeedPlace(PLACE.changed_at, 5, 1)

    assert sorted([later, PLACE, same_moment_later_source]) == [PLACE, same_moment_later_source, later]


@pytest.mark.parametrize("token", [None, "", "nonsense", "1.2", "1.2.3.4", "1.-2.3", "1.2.-3", "9" * 30 + ".0.1"])
def test_anything_else_is_no_place(token):
    assert FeedPlace.from_token(token) is None
