"""The providers list's filters, and the changelist that reads its rows from `registry.selectors.provider_list`.

Each filter only says which choices were made (`selector_arguments`); the selector does the
searching and filtering, with the indexes it documents, in one query for the page and one count.
"""

from unfold.contrib.filters.admin import CheckboxFilter
from unfold.views import ChangeList

from registry.forms.base import academic_year_choices
from registry.models.provider import AccreditationStatus, ProviderType
from registry.selectors import provider_list

INCLUDE_ARCHIVED = "yes"


class ProviderListFilter(CheckboxFilter):
    """Checkboxes whose ticked values (only those on offer) go to the selector as `argument`."""

    argument = ""

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
