"""Several tables' rows in one query: each query as a subquery, joined by UNION ALL.

The feed reads ten history tables; asking each in turn would cost a query per table on every page.
Each part keeps its own ORDER BY and LIMIT (so each reads only the first rows of its index), which
Django's `union()` does not allow on SQLite; wrapping each part as a subquery does, on both.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def _parts_sql(parts: list[QuerySet]) -> list[tuple[str, list]]:
    """Each part's SQL and parameters; a part that can find nothing (`.none()`, an empty `__in`) is left out."""
    compiled = []
    for part in parts:
        try:
            compiled.append(part.query.sql_with_params())
        except EmptyResultSet:
            continue
    return compiled


def count_all(parts: list[QuerySet]) -> int:
    """How many rows the parts find together, in one query."""
    compiled = _parts_sql([part.order_by().values("pk") for part in parts])
    if not compiled:
        return 0
    quote = connection.ops.quote_name
    counts = [f"(SELECT COUNT(*) FROM ({sql}) {quote(f'part_{number}')})" for number, (sql, _) in enumerate(compiled)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' + '.join(counts)}", [param for _, params in compiled for param in params])
        return cursor.fetchone()[0]


def union_all(parts: list[QuerySet], columns: tuple[str, ...], *, order_by: str = "", limit: int | None = None):
    """The rows of every part, as tuples of `columns` (each part's annotations of those names).

    `order_by` orders the whole ("1 DESC, 2 DESC": by column position); a part that can find
    nothing (`.none()`, an empty `__in`) is left out.
    """
    quote = connection.ops.quote_name
    selected = ", ".join(quote(column) for column in columns)
    sql, params = [], []
    for number, (part_sql, part_params) in enumerate(_parts_sql(parts)):
        sql.append(f"SELECT {selected} FROM ({part_sql}) {quote(f'part_{number}')}")
        params.extend(part_params)
    if not sql:
        return []
    query = " UNION ALL ".join(sql)
    if order_by:
        query += f" ORDER BY {order_by}"
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()
