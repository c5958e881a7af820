"""Which recorded histories feed the Activity page.

Each model whose changes the page shows is one `ActivitySource` in `ACTIVITY_SOURCES`. A model
with `history = HistoricalRecords()` joins the page with one line there, for example
`ActivitySource(Provider, soft_delete_field="deleted_at")`. The defaults suit a model whose
admin page is `admin:<app>_<model>_change` and whose `view_<model>` permission lets people see it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse

from accounts.models import User
from accounts.permissions import user_can_view_users
from registry.models import Accreditation, Address, Contact, Partnership, Provider


@dataclass(frozen=True)
class ActivitySource:
    model: type[models.Model]
    # Set when the model is "deleted" by filling in a date rather than losing its row: the change
    # that fills it in is shown as a deletion, and rows with it set no longer get a link.
    soft_delete_field: str | None = None
    # Fields whose changes would only repeat another change or the action itself.
    hidden_fields: frozenset[str] = field(default_factory=frozenset)
    # Who may follow a link to the record's own page; by default, who holds its view permission.
    can_view_records: Callable[[User], bool] | None = None
    # How to name a record from its history row, where its str() would read another table (an
    # address named after its provider) and so cost a query per entry.
    name_record: Callable[[models.Model], str] | None = None
    # For records shown on another record's page (an accreditation on its provider's): the history
    # row's attribute holding that record's id, and that page's URL name.
    shown_on: tuple[str, str] | None = None

    @property
    def key(self) -> str:
        """The record type as the filter and the export name it: "accounts.user"."""
        return self.model._meta.label_lower

    @property
    def record_type(self) -> str:
        """ "User", "Provider address": how the page names a kind of record."""
        name = str(self.model._meta.verbose_name)
        return name[:1].upper() + name[1:]

    @property
    def history_model(self) -> type[models.Model]:
        return self.model.history.model

    @property
    def record_id_field(self) -> str:
        """The history column that holds the record's own id."""
        return self.model._meta.pk.attname

    def shown_fields(self) -> list[models.Field]:
        """The fields whose changes are listed, in the model's order.

        Fields people cannot edit (ids, timestamps, the soft-delete date) only ever change as a side
        effect of something the entry already says.
        """
        hidden = self.hidden_fields | {self.record_id_field}
        return [
            model_field
            for model_field in self.history_model.tracked_fields
            if model_field.editable and model_field.name not in hidden
        ]

    def record_name(self, history_row) -> str:
        """The record's name as it was at the change; `history_object` is built without a query."""
        if self.name_record is not None:
            return self.name_record(history_row)
        return str(history_row.history_object)

    def viewer_can_open_records(self, viewer) -> bool:
        if self.can_view_records is not None:
            return self.can_view_records(viewer)
        opts = self.model._meta
        return viewer.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def existing_record_ids(self, record_ids: Iterable) -> set:
        """Which of `record_ids` still exist (and are not soft-deleted), in one query."""
        records = self.model._default_manager.filter(pk__in=list(record_ids))
        if self.soft_delete_field:
            records = records.filter(**{f"{self.soft_delete_field}__isnull": True})
        return set(records.values_list("pk", flat=True))

    def record_url(self, history_row) -> str:
        if self.shown_on is not None:
            attribute, url_name = self.shown_on
            return reverse(url_name, args=[getattr(history_row, attribute)])
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[getattr(history_row, self.record_id_field)]
        )


_PROVIDER_PAGE = ("provider_id", "admin:registry_provider_change")

ACTIVITY_SOURCES: tuple[ActivitySource, ...] = (
    # is_staff always follows is_api_user, so its change would only repeat that one.
    ActivitySource(
        User,
        soft_delete_field="deleted_at",
        hidden_fields=frozenset({"is_staff"}),
        can_view_records=user_can_view_users,
    ),
    # What is derived or set by its own action (archiving) is said by the entry's label instead.
    ActivitySource(Provider, soft_delete_field="deleted_at", hidden_fields=frozenset({"register_id", "import_notes"})),
    # A provider's records belong to it for life, so the provider never shows as a change.
    ActivitySource(
        Accreditation,
        soft_delete_field="deleted_at",
        hidden_fields=frozenset({"provider"}),
        shown_on=_PROVIDER_PAGE,
    ),
    ActivitySource(
        Address, soft_delete_field="deleted_at", hidden_fields=frozenset({"provider"}), shown_on=_PROVIDER_PAGE
    ),
    ActivitySource(
        Contact, soft_delete_field="deleted_at", hidden_fields=frozenset({"provider"}), shown_on=_PROVIDER_PAGE
    ),
    ActivitySource(
        Partnership,
        soft_delete_field="deleted_at",
        hidden_fields=frozenset({"accredited_provider", "training_partner"}),
        # Its str() names both providers, a query each; the page it is on names them.
        name_record=lambda row: "Partnership",
        shown_on=("accredited_provider_id", "admin:registry_provider_change"),
    ),
)


def activity_source(key: str) -> ActivitySource | None:
    return next((source for source in ACTIVITY_SOURCES if source.key == key), None)
