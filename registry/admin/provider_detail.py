"""A provider's page: its details, then a section for each kind of record it has (`RECORD_KINDS`),
with the Change, Delete and Add links the person looking may use, and a way to its history."""

from dataclasses import dataclass

from django.urls import reverse

from registry import permissions
from registry.admin.pages import ProviderPage
from registry.admin.records import RECORD_KINDS, RecordKind
from registry.admin.sections import provider_detail_rows, provider_tags
from registry.pages.summary import Card, actions
from registry.pages.views import Page
from registry.services.providers import PROVIDER_IS_ARCHIVED


@dataclass
class Section:
    """One kind of record on the provider's page ("Contacts (2)"), at `#<id>`."""

    id: str
    title: str
    cards: list[Card]
    empty: str
    add_url: str | None = None
    add_label: str = ""


def _url(name: str, *args) -> str:
    return reverse(f"admin:registry_provider_{name}", args=args)


def _own(records, provider) -> list:
    """The records, each knowing its provider without asking the database again."""
    records = list(records)
    for record in records:
        if "provider_id" in record.__dict__:
            record.provider = provider
    return records


def record_section(kind: RecordKind, provider, actor) -> Section:
    pk = provider.pk
    cards = [
        Card(
            title=kind.title(record, provider),
            rows=kind.rows(record, provider),
            actions=actions(
                (
                    "Change",
                    kind.may_change(actor, record, provider) and f"{_url(f'{kind.name}_edit', pk, record.pk)}?new",
                ),
                ("Delete", kind.may_delete(actor, record, provider) and _url(f"{kind.name}_delete", pk, record.pk)),
            ),
        )
        for record in _own(kind.records(provider), provider)
    ]
    return Section(
        id=kind.plural,
        title=kind.plural.capitalize(),
        cards=cards,
        empty=f"There are no {kind.plural} for {provider.operating_name}.",
        add_url=f"{_url(f'{kind.name}_add', pk)}?new" if kind.may_add(actor, provider) else None,
        add_label=f"Add {kind.name}",
    )


class ProviderDetailPage(ProviderPage, Page):
    template_name = "registry/providers/provider.html"
    title = "View provider"

    def has_permission(self):
        return permissions.user_can_view_provider(self.request.user, self.provider)

    def get_context_data(self, **kwargs):
        actor, provider = self.request.user, self.provider
        pk = provider.pk

        def url(name: str, allowed: bool) -> str | None:
            return _url(name, pk) if allowed else None

        sections = [record_section(kind, provider, actor) for kind in RECORD_KINDS]
        return super().get_context_data(
            provider=provider,
            caption="Provider",
            heading=provider.operating_name,
            status_tags=provider_tags(provider),
            archived_notice=PROVIDER_IS_ARCHIVED if provider.is_archived else None,
            detail_rows=provider_detail_rows(
                provider, change_url=url("edit", permissions.user_can_change_provider(actor, provider))
            ),
            import_notes=[note.get("note", "") for note in provider.import_notes or [] if note.get("note")],
            sections=sections,
            archive_url=url("archive", permissions.user_can_archive_provider(actor, provider)),
            restore_url=url("restore", permissions.user_can_restore_provider(actor, provider)),
            delete_url=url("delete", permissions.user_can_delete_provider(actor, provider)),
            history_url=url("history", permissions.user_can_view_provider_history(actor)),
            permissions_url=url("access", permissions.user_can_manage_provider_permissions(actor)),
            **kwargs,
        )
