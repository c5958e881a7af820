"""Every history the Activity page reads is indexed for it, and migrations know the indexes."""

import pytest
from django.db import connection

from registry.activity.history_indexes import deletion_candidates
from registry.activity.sources import ACTIVITY_SOURCES

EXPECTED = (
    ("history_date", "history_id"),
    ("history_user", "history_date", "history_id"),
)


@pytest.mark.parametrize("source", ACTIVITY_SOURCES, ids=lambda source: source.key)
def test_each_history_has_the_feeds_indexes(source):
    declared = {tuple(index.fields) for index in source.history_model._meta.indexes}

    assert set(EXPECTED) <= declared
    assert (source.record_id_field, "history_date", "history_id") in declared


@pytest.mark.parametrize("source", ACTIVITY_SOURCES, ids=lambda source: source.key)
def test_each_history_has_an_index_of_the_rows_that_may_be_deletions(source):
    (deletions,) = [index for index in source.history_model._meta.indexes if index.condition is not None]

    assert tuple(deletions.fields) == ("history_date", "history_id")
    assert deletions.condition == deletion_candidates(source.soft_delete_field)


@pytest.mark.django_db
@pytest.mark.parametrize("source", ACTIVITY_SOURCES, ids=lambda source: source.key)
def test_the_indexes_are_in_the_database(source):
    table = source.history_model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)

    in_database = {tuple(each["columns"]) for each in constraints.values() if each["index"]}

    assert ("history_date", "history_id") in in_database
    assert ("history_user_id", "history_date", "history_id") in in_database
    assert (source.record_id_field, "history_date", "history_id") in in_database
