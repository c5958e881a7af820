"""Which recorded histories feed the Activity page.

Each model whose changes the page shows is one `ActivitySource` in `ACTIVITY_SOURCES`. A model
with `history = HistoricalRecords()` joins the page with one line there, for example
`ActivitySource(Provider, soft_delete_field="deleted_at")`. The defaults suit a model whose
admin page is `admin:<app>_<model>_change` and whose `view_<model>` permission lets people see it.

A source may also say where its records' changes are listed (`history_page`): an entry links
there for people who may read that history but not open the record (auditors), and for records
that are gone. The same sources, narrowed to one record, draw each record's history page
(`registry.pages.history`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.base import ModelState
from django.urls import reverse
from django.utils.text import capfirst

from accounts.models import ApiAccess, ApiClient, ApiToken, User
from accounts.permissions import (
    user_can_manage_api_clients,
    user_can_switch_api,
    user_can_view_user_history,
    user_can_view_users,
)
from registry.models import Accreditation, Address, Contact, Partnership, Provider, ProviderAccessChange
from registry.permissions import user_can_view_provider_history, user_can_view_providers


@dataclass(frozen=True)
class HistoryPage:
    """A record's history page: its URL name, the history row's attribute holding the id of the
    record whose page it is, and who may read it."""

    url_name: str
    record_id_attribute: str
    can_read: Callable[[User], bool]

    def url(self, history_row) -> str:
        return reverse(self.url_name, args=[getattr(history_row, self.record_id_attribute)])


# Compared and hashed as itself (eq=False): the feed keys dicts by source for every row it reads,
# and hashing every field each time would cost the export more than reading the row.
@dataclass(frozen=True, eq=False)
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
    # Names for a page of history rows at once, {history_id: name}, where naming each would cost a
    # query (a partnership is named after its two providers).
    name_records_in_bulk: Callable[[list], dict] | None = None
    # Values from other tables read with each history row, in the same query, and set as the row's
    # attributes of those names: what `name_record` needs (a token's client's name), without a query.
    read_with_row: Callable[[], dict[str, models.Expression]] | None = None
    # Where the record's changes are listed, and who may read them.
    history_page: HistoryPage | None = None
    # For records that belong to providers: the history row's attributes holding their ids. The
    # entry names those providers and links to them (a partnership is named after its two).
    provider_fields: tuple[str, ...] = ()
    # Which of its rows the Activity page lists, where not every one (a record's history page lists
    # them all): a token's changes that its client's own entry already says are left out.
    activity_rows: models.Q | None = None
    # The URL name of the one page a record has whatever its id (the API switch's: API access).
    page_url_name: str | None = None

    @property
    def key(self) -> str:
        """The record type as the filter and the export name it: "accounts.user"."""
        return self.model._meta.label_lower

    @cached_property
    def record_type(self) -> str:
        """ "User", "Provider address": how the page names a kind of record."""
        name = str(self.model._meta.verbose_name)
        return name[:1].upper() + name[1:]

    @cached_property
    def history_model(self) -> type[models.Model]:
        # Asking the model's `history` builds a manager class each time: too slow for every query.
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
        return list(self._shown_fields)

    @cached_property
    def _shown_fields(self) -> tuple[models.Field, ...]:
        hidden = self.hidden_fields | {self.record_id_field}
        return tuple(
            model_field
            for model_field in self.history_model.tracked_fields
            if model_field.editable and model_field.name not in hidden
        )

    def m2m_fields(self) -> list[models.Field]:
        """The many-to-many fields whose answers each history row keeps (a provider's academic years)."""
        return list(getattr(self.history_model, "_history_m2m_fields", ()))

    @cached_property
    def field_labels(self) -> dict[str, str]:
        """ "First name": each shown and many-to-many field's label, by its name, worked out once."""
        return {
            model_field.name: capfirst(model_field.verbose_name)
            for model_field in (*self._shown_fields, *self.m2m_fields())
        }

    def record_name(self, history_row) -> str:
        """The record's name as it was at the change; `history_object` is built without a query."""
        if self.name_record is not None:
            return self.name_record(history_row)
        return str(self._record_as_it_was(history_row))

    def _record_as_it_was(self, history_row) -> models.Model:
        """The record as the row kept it, like simple-history's `history_object` but made without
        Django's `__init__`, which would check every value again: the export names every row."""
        record = self.model.__new__(self.model)
        record.__dict__.update(
            {model_field.attname: getattr(history_row, model_field.attname) for model_field in self._tracked_fields}
        )
        record._state = ModelState()
        record._state.adding = False
        return record

    @cached_property
    def _tracked_fields(self) -> list[models.Field]:
        return list(self.history_model.tracked_fields)

    def record_names(self, history_rows: list) -> dict:
        """{history_id: name} for the rows, each as the record was named at its change."""
        if self.name_records_in_bulk is not None:
            return self.name_records_in_bulk(history_rows)
        return {row.history_id: self.record_name(row) for row in history_rows}

    def viewer_can_read_history(self, viewer) -> bool:
        return self.history_page is not None and self.history_page.can_read(viewer)

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
        if self.page_url_name is not None:
            return reverse(self.page_url_name)
        if self.shown_on is not None:
            attribute, url_name = self.shown_on
            return reverse(url_name, args=[getattr(history_row, attribute)])
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[getattr(history_row, self.record_id_field)]
        )


def _client_name() -> dict:
    """A token's client's name, read with the token's history row."""
    clients = ApiClient._default_manager.filter(pk=OuterRef("client_id"))
    return {"client_name": Subquery(clients.values("name")[:1])}


def _token_name(history_row) -> str:
    """ "Nightly sync (rotp_test_…a1b2)": a token named after its client."""
    return f"{history_row.client_name or ''} ({history_row.hint})"


def _provider_name() -> dict:
    """The name of the provider a row is about (who has access to it), read with the row."""
    providers = Provider._default_manager.filter(pk=OuterRef("provider_id"))
    return {"provider_name": Subquery(providers.values("operating_name")[:1])}


_PROVIDER_PAGE = ("provider_id", "admin:registry_provider_change")
_PROVIDER_HISTORY = HistoryPage("admin:registry_provider_history", "provider_id", user_can_view_provider_history)

USERS = ActivitySource(
    User,
    soft_delete_field="deleted_at",
    # is_staff always follows is_api_user, so its change would only repeat that one.
    hidden_fields=frozenset({"is_staff"}),
    can_view_records=user_can_view_users,
    history_page=HistoryPage("admin:accounts_user_history", "id", user_can_view_user_history),
)
API_CLIENTS = ActivitySource(
    ApiClient,
    soft_delete_field="deleted_at",
    # A client's owner never changes.
    hidden_fields=frozenset({"owner"}),
    can_view_records=user_can_manage_api_clients,
    history_page=HistoryPage("admin:accounts_apiclient_history", "id", user_can_manage_api_clients),
)
# Every change to a client's tokens is listed on its history page. The Activity page lists only
# those its client's own entries do not already say: a token issued with a new client ("API client
# added") or revoked with it ("API client revoked"), and the token a rotation replaces, are left
# out; a rotation ("API token rotated") and tokens revoked because their owner can no longer use
# the API are listed. (The reasons are the ones accounts.api_clients.services gives.)
API_TOKENS = ActivitySource(
    ApiToken,
    hidden_fields=frozenset({"client"}),
    can_view_records=lambda viewer: False,
    name_record=_token_name,
    read_with_row=_client_name,
    history_page=HistoryPage("admin:accounts_apiclient_history", "client_id", user_can_manage_api_clients),
    activity_rows=~models.Q(
        history_change_reason__in=(
            "API token created",
            "API token replaced",
            "API token grace period ended",
            "API token revoked",
        )
    ),
)
PROVIDERS = ActivitySource(
    Provider,
    soft_delete_field="deleted_at",
    # What is derived or set by its own action (archiving) is said by the entry's label instead.
    hidden_fields=frozenset({"register_id", "import_notes"}),
    history_page=HistoryPage("admin:registry_provider_history", "id", user_can_view_provider_history),
)


def _provider_record(model) -> ActivitySource:
    """One of a provider's own records (an accreditation, an address, a contact), shown with its provider.

    A record belongs to its provider for life, so the provider never shows as a change.
    """
    return ActivitySource(
        model,
        soft_delete_field="deleted_at",
        hidden_fields=frozenset({"provider"}),
        shown_on=_PROVIDER_PAGE,
        history_page=_PROVIDER_HISTORY,
        provider_fields=("provider_id",),
    )


ACCREDITATIONS = _provider_record(Accreditation)
ADDRESSES = _provider_record(Address)
CONTACTS = _provider_record(Contact)
PARTNERSHIPS = ActivitySource(
    Partnership,
    soft_delete_field="deleted_at",
    hidden_fields=frozenset({"accredited_provider", "training_partner"}),
    shown_on=("accredited_provider_id", "admin:registry_provider_change"),
    history_page=HistoryPage(
        "admin:registry_provider_history", "accredited_provider_id", user_can_view_provider_history
    ),
    provider_fields=("accredited_provider_id", "training_partner_id"),
)

# Someone given access to one provider, or having it removed (registry.services.provider_access):
# each change is a row of its own, named after its provider, and its reason says what happened
# ("Access given to Mary Lawson: change this provider").
PROVIDER_ACCESS = ActivitySource(
    ProviderAccessChange,
    can_view_records=user_can_view_providers,
    name_record=lambda history_row: history_row.provider_name or "",
    read_with_row=_provider_name,
    shown_on=_PROVIDER_PAGE,
    history_page=_PROVIDER_HISTORY,
)

# The API switched off or on (accounts.api_access): the change's reason is its entry's summary.
API_ACCESS = ActivitySource(ApiAccess, can_view_records=user_can_switch_api, page_url_name="api-access")

ACTIVITY_SOURCES: tuple[ActivitySource, ...] = (
    USERS,
    API_CLIENTS,
    API_TOKENS,
    API_ACCESS,
    PROVIDERS,
    ACCREDITATIONS,
    ADDRESSES,
    CONTACTS,
    PARTNERSHIPS,
    PROVIDER_ACCESS,
)


def activity_source(key: str) -> ActivitySource | None:
    return next((source for source in ACTIVITY_SOURCES if source.key == key), None)
