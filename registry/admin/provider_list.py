"""The providers list: the register searched and filtered through `registry.selectors.provider_list`.

It stays fast at 100,000 providers by asking the database for little: the heading's count is kept
in the cache under the register's version and the list's search and filters (so it is asked for
again only once the register changes), and when it is not known, page 1 is read with one row more
than a page, which gives the count when they are not all there. The permissions the Change links
depend on are fetched for the whole page at once, and each kind of status tag is drawn once.
"""

import hashlib
import json

from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.html import format_html

from registry import permissions
from registry.admin.pages import url_for_each_provider
from registry.admin.sections import provider_tags
from registry.forms.base import academic_year_choices
from registry.models.provider import AccreditationStatus, ProviderType
from registry.pages.lists import PAGE, Column, Filter, ListPage
from registry.pages.summary import NOT_ENTERED
from registry.pages.views import Page
from registry.provider_export import register_csv_response
from registry.register_version import register_version
from registry.selectors import FEW_MATCHES, provider_list

INCLUDE_ARCHIVED = "yes"

# A count is cached under the register's version, which every write through the service replaces,
# so it is never shown stale after one. The timeout only bounds how long a count could outlive a
# write made round the service (a bulk update in a shell), which does not replace the version.
COUNT_CACHE_SECONDS = 10 * 60

FILTERS = (
    # "School" is both kinds of school: a SCITT is a school that is accredited.
    Filter(
        "provider_type",
        "Provider type",
        [(ProviderType.HEI, "HEI"), (ProviderType.SCHOOL, "School"), (ProviderType.OTHER, "Other")],
    ),
    Filter("accreditation_status", "Accreditation status", AccreditationStatus.choices),
    Filter("academic_year", "Academic year", academic_year_choices),
    Filter("archived", "Archived providers", [(INCLUDE_ARCHIVED, "Include archived providers")]),
)


def selector_arguments(search: str, chosen: dict[str, list[str]]) -> dict:
    """What `provider_list` is asked for, given the search and the filters' choices."""
    types = list(chosen.get("provider_type", []))
    if ProviderType.SCHOOL in types:
        types.append(ProviderType.SCITT)
    return {
        "search": search,
        "provider_types": sorted(types),
        "accreditation_statuses": sorted(chosen.get("accreditation_status", [])),
        "academic_years": sorted(chosen.get("academic_year", [])),
        "include_archived": INCLUDE_ARCHIVED in chosen.get("archived", []),
    }


class ProviderListPage(ListPage):
    noun = "provider"
    noun_plural = "providers"
    title = "Providers"
    search_label = "Search providers"
    search_hint = "Search by provider name, code, UKPRN or URN"
    add_label = "Add provider"
    filters = FILTERS

    def has_permission(self):
        return permissions.user_can_view_providers(self.request.user)

    # The search and choices are read once a request: every tag's and page's link asks for them.

    def search(self) -> str:
        if not hasattr(self, "_search"):
            self._search = super().search()
        return self._search

    def chosen(self) -> dict[str, list[str]]:
        if not hasattr(self, "_chosen"):
            self._chosen = super().chosen()
        return self._chosen

    # Rows and count --------------------------------------------------------------------------------

    def rows_queryset(self, search, chosen):
        # The list shows nothing of a provider's academic years: the selector's prefetch is not needed.
        return provider_list(**selector_arguments(search, chosen)).prefetch_related(None)

    def count(self, queryset, search, chosen) -> int:
        self._first_page = None
        arguments = json.dumps(selector_arguments(search, chosen), sort_keys=True)
        key = f"provider-list-count:{register_version()}:{hashlib.sha256(arguments.encode()).hexdigest()[:32]}"
        count = cache.get(key)
        if count is None:
            count = self._count_reading_page_1(queryset)
            cache.set(key, count, COUNT_CACHE_SECONDS)
        self._count = count
        return count

    def _count_reading_page_1(self, queryset) -> int:
        """The count, reading page 1's rows on the way when it is the page asked for.

        On PostgreSQL a search is counted first instead: how many it finds decides how its page is
        best read (`provider_list`'s `few_matches`), and the trigram index counts it cheaply.
        """
        if (self.search() and connection.vendor == "postgresql") or self.request.GET.get(PAGE, "1") != "1":
            return queryset.count()
        rows = list(queryset[: self.per_page + 1])
        self._first_page = rows[: self.per_page]
        return len(rows) if len(rows) <= self.per_page else queryset.count()

    def page_rows(self, queryset, start):
        if start == 0 and self._first_page is not None:
            return self._first_page
        if self.search() and connection.vendor == "postgresql" and self._count <= FEW_MATCHES:
            arguments = selector_arguments(self.search(), self.chosen())
            queryset = provider_list(**arguments, few_matches=True).prefetch_related(None)
        return super().page_rows(queryset, start)

    def rows_prepare(self, rows):
        actor = self.request.user
        if not actor.has_perm("registry.change_provider"):
            permissions.provider_permissions_prefetch(actor, rows)
        self.may_change = {row.pk for row in rows if permissions.user_can_change_provider(actor, row)}

    # What the table shows ------------------------------------------------------------------------

    def columns(self):
        # Each kind of status tag (accredited or not, archived or not) is drawn once, not once a row.
        drawn = {}

        def status(provider):
            kind = (provider.accreditation_status, provider.is_archived)
            if kind not in drawn:
                drawn[kind] = provider_tags(provider)
            return drawn[kind]

        columns = [
            Column("Name", lambda provider: provider.operating_name),
            Column("Provider code", lambda provider: provider.code),
            Column("UKPRN", lambda provider: provider.ukprn, empty=NOT_ENTERED),
            Column("URN", lambda provider: provider.urn, empty=NOT_ENTERED),
            Column("Provider type", lambda provider: provider.get_provider_type_display()),
            Column("Status", status),
        ]
        # Only someone who may change a provider on the page has a column of Change links.
        if self.may_change:
            edit_url = url_for_each_provider("admin:registry_provider_edit")
            columns.append(Column("Actions", lambda provider: self._change_link(provider, edit_url)))
        return columns

    def _change_link(self, provider, edit_url) -> str:
        if provider.pk not in self.may_change:
            return ""
        return format_html(
            '<a class="app-link" href="{}?new">Change<span class="app-visually-hidden"> {}</span></a>',
            edit_url(provider.pk),
            provider.operating_name,
        )

    def row_url(self, provider):
        if not hasattr(self, "_change_url"):
            self._change_url = url_for_each_provider("admin:registry_provider_change")
        return self._change_url(provider.pk)

    def add_url(self):
        if permissions.user_can_add_provider(self.request.user):
            return f"{reverse('admin:registry_provider_add')}?new"
        return None

    def get_context_data(self, **kwargs):
        # Everyone who may see the list may download the whole register.
        return super().get_context_data(
            download_url=reverse("admin:registry_provider_download"),
            download_label="Download the register (CSV)",
            download_hint="Every provider on the register, including archived ones. Search and filters do not apply.",
            **kwargs,
        )


class ProviderDownloadPage(Page):
    """The whole register as a CSV file (`registry.provider_export`), for anyone who may see the list."""

    http_method_names = ["get", "head"]

    def has_permission(self):
        return permissions.user_can_view_providers(self.request.user)

    def get(self, request, *args, **kwargs):
        return register_csv_response()
