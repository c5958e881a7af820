"""The providers list's filters, and the changelist that reads its rows from `registry.selectors.provider_list`.

Each filter only says which choices were made (`selector_arguments`); the selector does the
searching and filtering, with the indexes it documents, in one query for the page and, at most,
one count (see `ProviderChangeList.get_results`).
"""

import hashlib
import json
import uuid
from functools import cached_property

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.core.paginator import InvalidPage
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from unfold.contrib.filters.admin import CheckboxFilter
from unfold.templatetags.unfold_list import LINK_CLASSES, TABLE_CELL_CLASSES, result_headers
from unfold.views import ChangeList
from unfold.widgets import CHECKBOX_CLASSES as UNFOLD_CHECKBOX_CLASSES

from registry.forms.base import academic_year_choices
from registry.models.provider import AccreditationStatus, ProviderType
from registry.register_version import register_version
from registry.selectors import provider_list

INCLUDE_ARCHIVED = "yes"

CHECKBOX_CLASSES = " ".join(UNFOLD_CHECKBOX_CLASSES)

_ANY_ID = uuid.UUID(int=0)

_LINK_CLASSES = escape(" ".join(LINK_CLASSES))


def url_for_each_provider(name: str, **kwargs):
    """`reverse(name, args=[provider id])` for any provider, from one reverse() for a whole page.

    A reverse() through the admin's URLs takes longer than drawing the rest of a row.
    """
    pattern = reverse(name, args=[_ANY_ID], **kwargs)
    return lambda provider_id: pattern.replace(str(_ANY_ID), str(provider_id))


# A count is cached under the register's version, which every write through the service replaces,
# so it is never shown stale after one. The timeout only bounds how long a count could outlive a
# write made round the service (a bulk update in a shell), which does not replace the version.
COUNT_CACHE_SECONDS = 10 * 60


class ProviderListFilter(CheckboxFilter):
    """Checkboxes whose ticked values (only those on offer) go to the selector as `argument`."""

    argument = ""
    # unfold draws each filter through a form, and each checkbox through its widget's templates:
    # a sixth of the list's time to draw, for 15 checkboxes. This draws the same markup directly.
    template = "registry/admin/provider_list_filter.html"

    def choices(self, changelist):
        ticked = set(self.value() or [])
        options = []
        for index, (value, label) in enumerate(self.lookup_choices):
            value = str(value)
            options.append(
                {"id": f"id_{self.parameter_name}_{index}", "value": value, "label": label, "checked": value in ticked}
            )
        yield {
            "name": self.parameter_name,
            "label": _(" By %(filter_title)s ") % {"filter_title": self.title},
            "checkbox_classes": CHECKBOX_CLASSES,
            "options": options,
        }

    def queryset(self, request, queryset):
        return None  # The selector applies every filter: see ProviderChangeList.

    def chosen(self) -> list[str]:
        offered = {str(value) for value, _ in self.lookup_choices}
        return [value for value in (self.value() or []) if value in offered]

    def selector_arguments(self) -> dict:
        return {self.argument: self.chosen()}


class ProviderTypeFilter(ProviderListFilter):
    title = "provider type"
    parameter_name = "provider_type"
    argument = "provider_types"

    def lookups(self, request, model_admin):
        # "School" is both kinds of school: a SCITT is a school that is accredited.
        return [(ProviderType.HEI, "HEI"), (ProviderType.SCHOOL, "School"), (ProviderType.OTHER, "Other")]

    def selector_arguments(self):
        types = self.chosen()
        if ProviderType.SCHOOL in types:
            types.append(ProviderType.SCITT)
        return {self.argument: types}


class AccreditationStatusFilter(ProviderListFilter):
    title = "accreditation status"
    parameter_name = "accreditation_status"
    argument = "accreditation_statuses"

    def lookups(self, request, model_admin):
        return AccreditationStatus.choices


class AcademicYearFilter(ProviderListFilter):
    title = "active academic year"
    parameter_name = "academic_year"
    argument = "academic_years"

    def lookups(self, request, model_admin):
        return [(str(year), label) for year, label in academic_year_choices()]


class ArchivedFilter(ProviderListFilter):
    title = "archived providers"
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [(INCLUDE_ARCHIVED, "Include archived providers")]

    def selector_arguments(self):
        return {"include_archived": INCLUDE_ARCHIVED in self.chosen()}


class ProviderChangeList(ChangeList):
    """Django's changelist, with the rows, their search and their order from the selector.

    Deleted providers are never listed; archived ones only when asked for.
    """

    def get_queryset(self, request, exclude_parameters=None):
        arguments = {}
        for spec in self.get_filters(request)[0]:
            arguments.update(spec.selector_arguments())
        if exclude_parameters is None:
            self.selector_arguments = {"search": self.query, **arguments}
        # The list shows nothing of a provider's academic years, so the selector's prefetch is not needed.
        self.root_queryset = provider_list(search=self.query, **arguments).prefetch_related(None)
        # Searched already: the ModelAdmin's own search is not asked again.
        query, self.query = self.query, ""
        try:
            return super().get_queryset(request, exclude_parameters)
        finally:
            self.query = query

    def get_ordering(self, request, queryset):
        return list(queryset.query.order_by)

    def get_results(self, request):
        """Django's, but the heading's count costs a query only when it is not known already.

        It is kept in the cache under the register's version and the list's search and filters, so
        the list asks for it again only once the register has changed. Not known, and on page 1,
        one row more than a page is read: when they are not all there, what is there is the count.
        """
        key = self._count_cache_key()
        count = cache.get(key)
        first_page = None
        if count is None:
            count, first_page = self._count_reading_page_1()
            cache.set(key, count, COUNT_CACHE_SECONDS)

        paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        paginator.count = count
        can_show_all = count <= self.list_max_show_all
        multi_page = count > self.list_per_page
        if self.show_all and can_show_all and multi_page:
            result_list = self.queryset._clone()
        elif first_page is not None:
            result_list = first_page
        elif not multi_page:
            result_list = self.queryset._clone()
        else:
            try:
                result_list = paginator.page(self.page_num).object_list
            except InvalidPage:
                raise IncorrectLookupParameters from None

        self.result_count = count
        # The heading shows the count; the list is never counted twice (show_full_result_count is off).
        self.show_full_result_count = False
        self.full_result_count = None
        self.show_admin_actions = True
        self.result_list = result_list
        self.can_show_all = can_show_all
        self.multi_page = multi_page
        self.paginator = paginator

    # The table (registry/admin/provider_list_table.html) ------------------------------------------

    @cached_property
    def _change_url(self):
        return url_for_each_provider("admin:registry_provider_change", current_app=self.model_admin.admin_site.name)

    def url_for_result(self, result):
        return self._change_url(result.pk)

    @cached_property
    def headers(self) -> list[dict]:
        return list(result_headers(self))

    @cached_property
    def rows(self) -> list[SafeString]:
        """Each row's cells, in the markup unfold gives them: the columns of `list_display`, each a
        display function of the ModelAdmin's (or one it made for the request), the first a link to
        the provider's page.

        Worked out as the page is drawn, after the ModelAdmin has fetched the permissions the
        actions column asks about. unfold's table works each cell out through machinery for every
        kind of column a list could have: most of the time the page took to draw.
        """
        cells = " ".join(TABLE_CELL_CLASSES)
        empty = self.model_admin.get_empty_value_display()
        # Each column's classes, escaped once here rather than in every row; what a cell shows is
        # escaped as it is put in (format_html would do the same for every argument, at three times
        # the cost, in a loop that runs for every cell of the page).
        (first, show_first), *others = [
            (escape(f"field-{show.__name__} {cells}"), show)
            for show in (name if callable(name) else getattr(self.model_admin, name) for name in self.list_display)
        ]
        rows = []
        for provider in self.result_list:
            url = escape(self.url_for_result(provider))
            link = f'<a href="{url}" class="{_LINK_CLASSES}">{_shown(show_first(provider), empty)}</a>'
            row = [f'<th class="{first}">{link}</th>']
            row.extend(f'<td class="{classes}">{_shown(show(provider), empty)}</td>' for classes, show in others)
            rows.append(mark_safe("\n".join(row)))
        return rows

    def _count_reading_page_1(self) -> tuple[int, list | None]:
        """The list's count, and page 1's rows if they were read on the way (None if not)."""
        if self.page_num != 1 or self.show_all:
            return self.queryset.count(), None
        rows = list(self.queryset[: self.list_per_page + 1])
        if len(rows) <= self.list_per_page:
            return len(rows), rows
        return self.queryset.count(), rows[: self.list_per_page]

    def _count_cache_key(self) -> str:
        arguments = {name: _same_list_same_value(value) for name, value in self.selector_arguments.items()}
        digest = hashlib.sha256(json.dumps(arguments, sort_keys=True).encode()).hexdigest()[:32]
        return f"provider-list-count:{register_version()}:{digest}"


def _shown(value, empty) -> str:
    return conditional_escape(empty if value is None or value == "" else value)


def _same_list_same_value(value):
    """A selector argument as the selector reads it: the same search or choices however written
    (spacing; order and repeats of ticked boxes) give the same list, so share its cached count."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list | tuple | set):
        return sorted({str(item) for item in value})
    return value
