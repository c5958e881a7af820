"""A page of the feed read in one query, across every history table, each row with the one before it.

Each table's part of the query gives, for its first rows past the page's place: when, which
source, the history id, the whole row as a JSON object, and the row before it of the same record
as another (a subquery on the record's index). The parts are joined by UNION ALL and the database
keeps the page's rows. The rows are then made into historical model instances here, as Django
would have made them, so that the entries read them the same way whichever way they were read.
"""

import datetime
import decimal
import functools
import json
import uuid
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Case, F, Subquery, Value, When
from django.db.models.base import ModelState
from django.db.models.functions import JSONObject

from registry.activity.cursor import FeedPlace
from registry.activity.filters import ActivityFilters
from registry.activity.queries import beyond, earlier_records, matching
from registry.activity.sources import ActivitySource
from registry.activity.union import union_all

COLUMNS = ("feed_date", "feed_source", "feed_id", "feed_row", "feed_previous")


def _as_json(fields: tuple[models.Field, ...], **extra) -> JSONObject:
    return JSONObject(**{field.attname: F(field.attname) for field in fields}, **extra)


@functools.cache
def _fields(source: ActivitySource) -> tuple[models.Field, ...]:
    return tuple(source.history_model._meta.concrete_fields)


def _read_with_row(source: ActivitySource) -> dict:
    return source.read_with_row() if source.read_with_row is not None else {}


@functools.cache
def _read_with_row_names(source: ActivitySource) -> tuple[str, ...]:
    return tuple(_read_with_row(source))


@functools.cache
def _compared_fields(source: ActivitySource) -> tuple[models.Field, ...]:
    """What the record before a change is read for: the fields compared with it, and its id."""
    return (source.history_model._meta.get_field("history_id"), *source.shown_fields())


def _part(source: ActivitySource, position: int, filters: ActivityFilters, place, *, newer: bool, limit: int):
    history = matching(source, filters)
    if place is not None:
        history = beyond(history, place, position, newer=newer)
    return history.annotate(
        feed_date=F("history_date"),
        feed_source=Value(position, output_field=models.IntegerField()),
        feed_id=F("history_id"),
        feed_row=_as_json(_fields(source), action=F("action"), **_read_with_row(source)),
        # Only an update is compared with the record before it: adding and removing are not.
        feed_previous=Case(
            When(
                history_type="~",
                then=Subquery(earlier_records(source).values(json=_as_json(_compared_fields(source)))[:1]),
            ),
            default=None,
            output_field=models.JSONField(),
        ),
    ).values_list(*COLUMNS)[:limit]


def feed_rows(
    filters: ActivityFilters, place: FeedPlace | None, *, newer: bool, limit: int
) -> list[tuple[FeedPlace, ActivitySource, models.Model]]:
    """Up to `limit` rows past `place` (older, or newer), nearest first, each with `action` and
    `previous_record` (the row before it of the same record, None for none). Rows carry their
    actor's id only: the caller gives them their actors, whom it has already read."""
    parts = [
        _part(source, position, filters, place, newer=newer, limit=limit)
        for position, source in enumerate(filters.sources)
    ]
    direction = "ASC" if newer else "DESC"
    found = union_all(parts, COLUMNS, order_by=f"1 {direction}, 2 {direction}, 3 {direction}", limit=limit)
    return [_row(filters, found_row) for found_row in found]


def source_rows(
    filters: ActivityFilters, position: int, place: FeedPlace | None, *, limit: int
) -> list[tuple[FeedPlace, ActivitySource, models.Model]]:
    """`feed_rows` of one source (the one at `position` in the filters), older than `place`."""
    part = _part(filters.sources[position], position, filters, place, newer=False, limit=limit)
    return [_row(filters, found_row) for found_row in part]


def _row(filters: ActivityFilters, found_row: tuple) -> tuple[FeedPlace, ActivitySource, models.Model]:
    _, position, _, row_json, previous_json = found_row
    source = filters.sources[position]
    fields = _loaded(row_json)
    row = _instance(source, fields)
    row.action = fields["action"]
    for name in _read_with_row_names(source):
        setattr(row, name, fields.get(name))
    row.previous_record = (
        _instance(source, _loaded(previous_json), compared_only=True) if previous_json is not None else None
    )
    row.previous_history_id = row.previous_record.history_id if row.previous_record is not None else None
    return FeedPlace(row.history_date, position, row.history_id), source, row


def _loaded(value) -> dict:
    # psycopg hands Django's JSON columns over as text, as SQLite does.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _instance(source: ActivitySource, values: dict, *, compared_only: bool = False) -> models.Model:
    """The row as a historical model instance, made without Django's `__init__`: these rows are only
    read, and checking each value again would double the export's time. The record before a change
    has only the fields compared with it (`compared_only`, `_compared_fields`)."""
    converted = {}
    for attname, convert in _readers(source, compared_only):
        value = values.get(attname)
        converted[attname] = value if value is None or convert is None else convert(value)
    model = source.history_model
    instance = model.__new__(model)
    instance.__dict__.update(converted)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    return instance


@functools.cache
def _readers(source: ActivitySource, compared_only: bool) -> tuple[tuple[str, Callable | None], ...]:
    """For each field read, its attribute and what turns its JSON value into the field's (None: as it is)."""
    fields = _compared_fields(source) if compared_only else _fields(source)
    return tuple((field.attname, _reader(field)) for field in fields)


def _reader(field: models.Field) -> Callable | None:
    """What a JSON value needs to be as the field holds it in Python: JSON has no dates, UUIDs or decimals."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    match target:
        case models.DateTimeField():
            return _datetime
        case models.DateField():
            return datetime.date.fromisoformat
        case models.UUIDField():
            return uuid.UUID
        case models.BooleanField():
            return bool
        case models.DecimalField():
            quantum = decimal.Decimal(1).scaleb(-target.decimal_places)
            return lambda value: decimal.Decimal(str(value)).quantize(quantum)
        case models.JSONField():
            return _json_text
    return None


def _datetime(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    # SQLite keeps UTC times without an offset.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=datetime.UTC)


def _json_text(value):
    # SQLite's json_object() writes a JSON column's text as a string.
    return json.loads(value) if isinstance(value, str) else value
