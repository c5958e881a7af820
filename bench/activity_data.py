"""The history the activity benchmark (bench/activity_scaling.py) runs against, generated in SQL.

Recorded changes are written straight into every history table with `INSERT … SELECT` over
`generate_series`, in the share of a register in service: mostly providers and their records
(addresses, contacts, accreditations, partnerships), some user accounts, access changes and API
clients. Each generated record is added ("+"), then changed ("~") a few times; one in 20 is then
soft-deleted (its deletion date set) and one in 50 of those without a soft delete deleted ("-").
Nine changes in ten are made by one of 20 support staff (3 since deleted), one in ten by the
system; they are spread over two years, each record's in order. A provider's records belong to
real providers (generated with bench/register_data.py), so entries name and link them.

Each call to `HistoryGenerator.fill_to` adds records of their own, so the changes generated for a
smaller size are still there, unchanged, at a larger one.

Django is imported inside the functions: the benchmark sets it up first.
"""

import datetime
import time

# (history table's model label, share of all changes, changes per record)
MIX = (
    ("registry.provider", 0.28, 8),
    ("registry.address", 0.18, 3),
    ("registry.contact", 0.18, 3),
    ("registry.accreditation", 0.10, 2),
    ("registry.partnership", 0.12, 3),
    ("registry.provideraccesschange", 0.06, 1),
    ("accounts.user", 0.05, 4),
    ("accounts.apiclient", 0.02, 2),
    ("accounts.apitoken", 0.01, 2),
)
SPAN = datetime.timedelta(days=730)
STAFF = 20
DELETED_STAFF = 3


class HistoryGenerator:
    def __init__(self, *, end: datetime.datetime):
        self.end = end
        self.start = end - SPAN
        self.made = 0
        self.batches = 0
        self.staff = []
        self.providers = []

    def prepare(self) -> None:
        """The support staff who make the changes, and the providers that records belong to."""
        from accounts.models import User
        from accounts.roles import Role
        from bench.register_data import ProviderGenerator
        from registry.models import Provider

        deleted_at = self.start + SPAN / 2
        self.staff = User.objects.bulk_create(
            User(
                email=f"staff.{number}@education.gov.uk",
                first_name=f"Staff{number}",
                last_name="Member",
                role=Role.SUPPORT_ADMINISTRATOR.value if number < DELETED_STAFF * 3 else Role.SUPPORT_EDITOR.value,
                is_staff=True,
                deleted_at=deleted_at if number < DELETED_STAFF else None,
                is_active=number >= DELETED_STAFF,
            )
            for number in range(STAFF)
        )
        ProviderGenerator(2_235).fill_to(2_235)
        self.providers = [str(pk) for pk in Provider.objects.values_list("pk", flat=True)]

    def fill_to(self, size: int) -> float:
        """Add changes until there are `size`; the seconds it took."""
        from django.db import connection

        began = time.perf_counter()
        adding = size - self.made
        self.batches += 1
        with connection.cursor() as cursor:
            # The service's statement timeout is for requests; generating a million rows takes longer.
            cursor.execute("SET statement_timeout = 0")
            try:
                for label, share, versions in MIX:
                    self._insert(label, round(adding * share), versions)
            finally:
                cursor.execute("RESET statement_timeout")
        self.made = size
        return time.perf_counter() - began

    def _insert(self, label: str, count: int, versions: int) -> None:
        from django.apps import apps
        from django.db import connection

        model = apps.get_model(label).history.model
        records = max(count // versions, 1)
        columns, expressions, params = [], [], []
        for field in model._meta.concrete_fields:
            if field.name == "history_id":
                continue
            expression, values = self._column(field, label)
            columns.append(connection.ops.quote_name(field.column))
            expressions.append(expression)
            params.extend(values)
        # g runs over the batch's changes; its record is g % records and its version g / records, so
        # each record's changes follow one another in time, spread over the whole span.
        sql = (
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)} FROM ("
            f"  SELECT g, mod(g, {records}) AS record, g / {records} AS version, "
            f"  %s::timestamptz + (g::float8 / {count}) * %s::interval "
            f"    + mod(g * 7919, 3600) * interval '1 second' AS at "
            f"  FROM generate_series(0, {count - 1}) AS g"
            f") AS generated"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, self.start, SPAN])

    def _column(self, field, label: str) -> tuple[str, list]:
        """The SQL that fills one column of a generated change, and its parameters."""
        from django.db import models

        record_key = f"md5('{label}.{self.batches}.' || record)::uuid"
        name = field.attname
        if name in ("id",) and isinstance(field, models.UUIDField):
            return record_key, []
        if name == "id":
            return "1", []  # the API switch: one record
        if name == "history_date":
            return "at", []
        if name == "history_type":
            # The last change to one record in 50 (of those not soft-deleted) deletes it.
            return "CASE WHEN version = 0 THEN '+' WHEN mod(record, 50) = 7 AND version >= 2 THEN '-' ELSE '~' END", []
        if name == "history_user_id":
            return "CASE WHEN mod(g, 10) = 0 THEN NULL ELSE (%s::uuid[])[1 + mod(g * 31, %s)] END", [
                [str(user.pk) for user in self.staff],
                len(self.staff),
            ]
        if name == "history_change_reason":
            return "CASE WHEN mod(g, 4) = 0 THEN 'Updated from the register import' ELSE NULL END", []
        if name == "deleted_at":
            return "CASE WHEN mod(record, 20) = 3 AND version >= 1 THEN at ELSE NULL END", []
        if isinstance(field, models.ForeignKey) and field.related_model.__name__ == "Provider":
            offset = 1 if name == "training_partner_id" else 0
            return f"(%s::uuid[])[1 + mod(record + {offset}, %s)]", [self.providers, len(self.providers)]
        if isinstance(field, models.ForeignKey) and field.related_model.__name__ == "User":
            return "(%s::uuid[])[1 + mod(record, %s)]", [[str(user.pk) for user in self.staff], len(self.staff)]
        if isinstance(field, models.ForeignKey | models.UUIDField):
            return f"md5('{name}.' || record)::uuid", []
        return _plain(field)


def _plain(field) -> tuple[str, list]:
    """A value of the field's kind that changes from version to version where a person would change it."""
    from django.db import models

    if field.choices:
        return "%s", [field.flatchoices[0][0]]
    match field:
        case models.BooleanField():
            return "(mod(version, 2) = 0)", []
        case models.DateTimeField():
            return "at", []
        case models.DateField():
            return "(at::date - 365)", []
        case models.DecimalField() | models.FloatField():
            return ("NULL", []) if field.null else ("0", [])
        case models.IntegerField():
            return "0", []
        case models.JSONField():
            return "'[]'::jsonb", []
        case models.EmailField():
            return "'person.' || record || '@example.com'", []
        case models.CharField() | models.TextField():
            limit = field.max_length or 200
            return f"left('{field.verbose_name} ' || record || ' v' || version, {limit})", []
    return "NULL", []


def vacuum_analyse_history() -> None:
    """PostgreSQL's statistics brought up to date after a generation, as autovacuum would."""
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        for label, _, _ in MIX:
            table = apps.get_model(label).history.model._meta.db_table
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        cursor.execute("VACUUM ANALYZE accounts_user")
        cursor.execute("RESET statement_timeout")
