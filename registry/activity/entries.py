"""One entry in the activity feed per recorded change: what changed, on which record, who did it, when.

Entries are made for a page of history rows at once, at a fixed number of queries however many
rows there are, each query asking every kind of record on the page at once: one for the
many-to-many answers (a provider's academic years) of the rows and of the records before them, one
for which records still exist, and one for the names of the providers that records belong to
(addresses, contacts, accreditations, partnerships) and whether they still exist. The records
before them come with the rows (`previous_record`, `registry.activity.feed_rows`), or else are read
in one query per kind of record.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import capfirst

from accounts.models import User
from registry.activity.filters import DELETED, UPDATED
from registry.activity.formats import actor_name, display_value
from registry.activity.lookups import existing_records, m2m_answers
from registry.activity.sources import PROVIDERS, ActivitySource
from registry.formats import format_govuk_datetime, format_govuk_time
from registry.models import Provider

# Said instead of the field changes when a record was changed for the first time since it was
# loaded without history (fixtures loaded directly), so there is nothing to compare with.
EARLIER_VALUES_NOT_RECORDED = "Earlier values were not recorded"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Link:
    """A piece of text, and where it leads (None: plain text)."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class ActivityEntry:
    source: ActivitySource
    history_id: int
    changed_at: datetime.datetime
    action: str  # "added", "updated" or "deleted"
    summary: str  # "User updated", "Provider archived"
    record_id: object
    record_name: str
    # None when the viewer may neither open the record nor read its history, and for a provider's
    # records, which lead to their providers instead.
    record_url: str | None
    actor: User | None  # None when nobody signed in made the change
    changes: tuple[FieldChange, ...]
    # Why the change was made, where the summary does not already say it ("Imported from providers.csv").
    note: str = ""
    # The providers a record belongs to (an address's, both sides of a partnership), each leading to
    # the provider's page, or its history for those who may only read that (auditors).
    providers: tuple[Link, ...] = ()
    # A change with no earlier record to compare with: what it changed from is not known.
    earlier_values_unknown: bool = False

    @property
    def record_type(self) -> str:
        return self.source.record_type

    @property
    def action_name(self) -> str:
        """ "Archived", "Restored", "Revoked": what the summary says was done, else "Added", "Updated"
        or "Deleted". A reason's detail after a colon is the note's to give, not the action's."""
        prefix = f"{self.record_type} ".lower()
        if self.summary.lower().startswith(prefix):
            done = self.summary[len(prefix) :].split(":")[0].strip()
            if done:
                return capfirst(done)
        return self.action.capitalize()

    @property
    def record_line(self) -> tuple[Link, ...]:
        """The record as the page names it: a partnership by its two providers, each a link
        ("Partnership between Oak SCITT and Ash Tree Academy"); any other record by its name."""
        if len(self.providers) > 1:
            return (
                Link(f"{self.record_type} between "),
                *_joined(self.providers, " and "),
            )
        return (Link(self.record_name, self.record_url),)

    @property
    def provider_line(self) -> tuple[Link, ...]:
        """ "Provider: Ash Tree Academy" under a record of one provider; nothing otherwise."""
        if len(self.providers) == 1:
            return (Link("Provider: "), *self.providers)
        return ()

    @property
    def provider_names(self) -> str:
        return " and ".join(provider.text for provider in self.providers)

    @property
    def earlier_values_note(self) -> str:
        return f"{EARLIER_VALUES_NOT_RECORDED}." if self.earlier_values_unknown else ""

    @property
    def details(self) -> str:
        """What the entry says besides its fields: the reason, and that earlier values are unknown."""
        return " ".join(part for part in (self.note, self.earlier_values_note) if part)

    @property
    def time(self) -> str:
        return format_govuk_time(self.changed_at)

    @property
    def when(self) -> str:
        """ "5 December 2026 at 3:04am", in UK time."""
        return format_govuk_datetime(self.changed_at)

    @property
    def actor_name(self) -> str:
        return actor_name(self.actor) if self.actor else "the system"

    @property
    def actor_is_deleted(self) -> bool:
        return self.actor is not None and self.actor.is_deleted


def field_changes(source: ActivitySource, previous, current, m2m: dict | None = None) -> tuple[FieldChange, ...]:
    """The shown fields that differ between two records of the same object, in the model's order,
    then the many-to-many answers that differ (`m2m`: {(history_id, field name): text})."""
    labels = source.field_labels
    changes = []
    for model_field in source.shown_fields():
        old, new = getattr(previous, model_field.attname), getattr(current, model_field.attname)
        if old != new:
            changes.append(
                FieldChange(
                    label=labels[model_field.name],
                    old=display_value(model_field, old),
                    new=display_value(model_field, new),
                )
            )
    for model_field in source.m2m_fields() if m2m is not None else ():
        old = m2m.get((previous.history_id, model_field.name), "")
        new = m2m.get((current.history_id, model_field.name), "")
        if old != new:
            changes.append(FieldChange(label=labels[model_field.name], old=old, new=new))
    return tuple(changes)


def activity_entries(
    rows: list[tuple[ActivitySource, object]],
    *,
    viewer,
    name_providers: bool = False,
    known_providers: dict | None = None,
) -> list[ActivityEntry]:
    """Entries for history rows read by the selectors (with `action` and `previous_history_id`).

    The previous records to compare against, and which records still exist, are read once per
    model for all the rows together, and the providers that records belong to once for them all.
    With no `viewer` (the export, a record's own history page) no links are worked out, and a
    record's providers are named only where they name the record (a partnership) or where
    `name_providers` asks (the export). `known_providers` ({provider id: Link}, filled in as they
    are read) keeps the providers named from one batch of the export to the next.
    """
    by_source = defaultdict(list)
    for source, row in rows:
        by_source[source].append(row)
    needs_providers = viewer is not None or name_providers
    providers = _providers(
        [
            (source, row)
            for source, source_rows in by_source.items()
            if source.provider_fields and (needs_providers or len(source.provider_fields) > 1)
            for row in source_rows
        ],
        viewer,
        known_providers,
    )
    previous = {source: _previous_records(source, source_rows) for source, source_rows in by_source.items()}
    m2m = m2m_answers(
        {
            source: [*(row.history_id for row in source_rows), *previous[source]]
            for source, source_rows in by_source.items()
            if source.m2m_fields()
        }
    )
    # A provider's record leads to its providers, not to itself.
    linked = [source for source in by_source if viewer is not None and not source.provider_fields]
    existing = existing_records(
        {
            source: {getattr(row, source.record_id_field) for row in by_source[source]}
            for source in linked
            if source.viewer_can_open_records(viewer)
        }
    )
    names, links = {}, {}
    for source, source_rows in by_source.items():
        if len(source.provider_fields) > 1:
            # Named after its providers, from the names already read ("Partnership between A and B").
            names[source] = {row.history_id: _named_after(source, _of(source, row, providers)) for row in source_rows}
        else:
            names[source] = source.record_names(source_rows)
        links[source] = _links(source, source_rows, viewer, existing.get(source)) if source in linked else {}
    return [
        _entry(
            source,
            row,
            previous[source],
            m2m.get(source, {}),
            names[source],
            links[source],
            _of(source, row, providers),
        )
        for source, row in rows
    ]


def _previous_records(source: ActivitySource, rows: list) -> dict:
    """{history_id: row}: the records before the changes in `rows`, to compare them with."""
    if all(hasattr(row, "previous_record") for row in rows):
        return {row.previous_record.history_id: row.previous_record for row in rows if row.previous_record is not None}
    previous_ids = [row.previous_history_id for row in rows if _is_change(row) and row.previous_history_id]
    return source.history_model._default_manager.in_bulk(previous_ids)


def _providers(rows: list[tuple[ActivitySource, object]], viewer, known: dict | None = None) -> dict:
    """{provider id: Link}: the providers of the records in `rows`, named, and linked for `viewer`
    to the provider's page while it exists, or else to its history (auditors, and once it is
    deleted), in one query; those already `known` are not read again, and those read are added."""
    ids = {getattr(row, name) for source, row in rows for name in source.provider_fields}
    ids.discard(None)
    providers = {pk: known[pk] for pk in ids & known.keys()} if known else {}
    ids -= providers.keys()
    if not ids:
        return providers
    can_open = viewer is not None and PROVIDERS.viewer_can_open_records(viewer)
    can_read_history = viewer is not None and PROVIDERS.viewer_can_read_history(viewer)
    found = Provider._default_manager.filter(pk__in=ids).values_list("pk", "operating_name", "deleted_at")
    providers = {}
    for pk, name, deleted_at in found:
        url = None
        if can_open and deleted_at is None:
            url = reverse("admin:registry_provider_change", args=[pk])
        elif can_read_history:
            url = reverse(PROVIDERS.history_page.url_name, args=[pk])
        providers[pk] = Link(name, url)
    if known is not None:
        known.update(providers)
    return providers


def _of(source: ActivitySource, row, providers: dict) -> tuple[Link, ...]:
    """The row's providers, in the order its source lists them (accredited provider first)."""
    found = []
    for name in source.provider_fields:
        link = providers.get(getattr(row, name))
        if link is not None:
            found.append(link)
    return tuple(found)


def _named_after(source: ActivitySource, providers: tuple[Link, ...]) -> str:
    return f"{source.record_type} between {' and '.join(provider.text for provider in providers)}"


def _joined(links: tuple[Link, ...], separator: str) -> list[Link]:
    joined = []
    for position, link in enumerate(links):
        if position:
            joined.append(Link(separator))
        joined.append(link)
    return joined


def _links(source: ActivitySource, rows: list, viewer, existing: set | None) -> dict:
    """{history_id: URL}: the record's page while it exists (`existing`: None when the viewer may
    not open it), for those who may open it; otherwise its history, for those who may read that
    (auditors, and anyone once the record is gone)."""
    links = {}
    if existing is not None:
        links = {
            row.history_id: source.record_url(row) for row in rows if getattr(row, source.record_id_field) in existing
        }
    if source.viewer_can_read_history(viewer):
        for row in rows:
            links.setdefault(row.history_id, source.history_page.url(row))
    return links


def _is_change(row) -> bool:
    """An update (a soft delete included) has a previous record to compare with; adding or removing has not."""
    return row.history_type == "~"


def _summary(source: ActivitySource, row) -> tuple[str, str]:
    """(summary, note): the service's reason when it names the change ("Provider archived"),
    otherwise "<Record type> <action>" with the reason, if any, as a note."""
    reason = row.history_change_reason or ""
    if reason.lower().startswith(source.record_type.lower()):
        return reason, ""
    return f"{source.record_type} {row.action}", reason


def _entry(
    source: ActivitySource, row, previous_rows: dict, m2m: dict, names: dict, links: dict, providers: tuple
) -> ActivityEntry:
    record_id = getattr(row, source.record_id_field)
    previous = previous_rows.get(row.previous_history_id) if _is_change(row) else None
    summary, note = _summary(source, row)
    # A deletion is said by its summary ("User deleted"): what deleting also cleared (the account
    # made inactive, its role taken away) would read as separate changes someone made.
    changes = field_changes(source, previous, row, m2m) if previous is not None and row.action != DELETED else ()
    return ActivityEntry(
        source=source,
        history_id=row.history_id,
        changed_at=row.history_date,
        action=row.action,
        summary=summary,
        record_id=record_id,
        record_name=names.get(row.history_id) or str(record_id),
        record_url=links.get(row.history_id),
        actor=row.history_user,
        changes=changes,
        note=note,
        providers=providers,
        earlier_values_unknown=_is_change(row) and previous is None and row.action == UPDATED,
    )
