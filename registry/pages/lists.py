"""Lists: a searchable, filtered, paginated table of records, with the filters in use shown as tags.

A list says how its rows are found (`rows_queryset`), what each column shows (`columns`), which
filters it offers (`filters`) and how it is counted (`count`, which a list may answer from a cache).
Only the filters it offers are read from the address: any other parameter is ignored, so no one can
filter a list on a field it does not show.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from registry.pages.views import Page

SEARCH = "q"
PAGE = "page"


@dataclass(frozen=True)
class Column:
    """One column: its heading and what a row shows in it (text is escaped; safe strings are not).

    The first column links each row to its page (`ListPage.row_url`).
    """

    label: str
    value: Callable[[object], str]
    empty: str = ""


@dataclass(frozen=True)
class Filter:
    """Checkboxes under a legend; `choices` is [(value, label)], or a callable giving them."""

    name: str
    legend: str
    choices: list | Callable[[], list]

    def options(self) -> list[tuple[str, str]]:
        choices = self.choices() if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in choices]


class ListPage(Page):
    template_name = "pages/list.html"
    per_page = 25
    # "provider", "providers": the heading reads "Providers (2,235)", an empty list "There are no providers."
    noun = ""
    noun_plural = ""
    search_label = ""
    search_hint = ""
    filters: tuple[Filter, ...] = ()
    add_label = ""

    # What each list says ---------------------------------------------------------------------------

    def rows_queryset(self, search: str, chosen: dict[str, list[str]]):
        raise NotImplementedError

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def row_url(self, row) -> str | None:
        return None

    def add_url(self) -> str | None:
        return None

    def count(self, queryset, search: str, chosen: dict[str, list[str]]) -> int:
        return queryset.count()

    def page_rows(self, queryset, start: int) -> list:
        """The page's rows, from `start`; a list whose `count` read them already may give those back."""
        return list(queryset[start : start + self.per_page])

    def rows_prepare(self, rows: list) -> None:
        """Read anything the page's rows need all at once (permissions, say) before they are drawn."""

    def get_title(self) -> str:
        return self.title or self.noun_plural.capitalize()

    # The page ---------------------------------------------------------------------------------------

    def search(self) -> str:
        return " ".join(self.request.GET.get(SEARCH, "").split())[:200]

    def chosen(self) -> dict[str, list[str]]:
        """The choices made in each offered filter, only among the values it offers."""
        chosen = {}
        for each in self.filters:
            offered = {value for value, _ in each.options()}
            values = [value for value in dict.fromkeys(self.request.GET.getlist(each.name)) if value in offered]
            if values:
                chosen[each.name] = values
        return chosen

    def page_number(self) -> int:
        raw = self.request.GET.get(PAGE, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise Http404
        return int(raw)

    def get_context_data(self, **kwargs):
        search, chosen = self.search(), self.chosen()
        queryset = self.rows_queryset(search, chosen)
        count = self.count(queryset, search, chosen)
        paginator = Paginator(range(count), self.per_page, allow_empty_first_page=True)
        number = self.page_number()
        if number > paginator.num_pages:
            raise Http404
        start = (number - 1) * self.per_page
        rows = self.page_rows(queryset, start)
        self.rows_prepare(rows)
        columns = self.columns()
        return super().get_context_data(
            heading=f"{self.get_title()} ({count:,})",
            count=count,
            noun=self.noun,
            noun_plural=self.noun_plural,
            search=search,
            search_label=self.search_label,
            search_hint=self.search_hint,
            headers=[column.label for column in columns],
            rows=self.rows_html(rows, columns),
            filter_groups=self.filter_groups(chosen),
            applied=self.applied(chosen),
            clear_filters_url=self.url_with(drop_filters=True) if chosen else None,
            clear_search_url=self.url_with(search="") if search else None,
            pagination=self.pagination(paginator, number),
            add_url=self.add_url(),
            add_label=self.add_label,
            **kwargs,
        )

    def rows_html(self, rows: list, columns: list[Column]) -> list:
        """Each row's cells, drawn here: a template loop over every cell costs more than the rest of the page."""
        drawn = []
        labels = [escape(column.label) for column in columns]
        for record in rows:
            cells = []
            for index, column in enumerate(columns):
                value = column.value(record)
                shown = conditional_escape(column.empty if value in (None, "") else value)
                if index == 0:
                    url = self.row_url(record)
                    shown = f'<a class="app-link" href="{escape(url)}">{shown}</a>' if url else f"<span>{shown}</span>"
                    cells.append(f'<th scope="row" class="app-table__cell" data-label="{labels[0]}">{shown}</th>')
                else:
                    # One element in the cell, so that on a phone (a grid of label and value) its tags stay together.
                    cells.append(f'<td class="app-table__cell" data-label="{labels[index]}"><span>{shown}</span></td>')
            drawn.append(mark_safe("".join(cells)))
        return drawn

    # Filters, tags and links -------------------------------------------------------------------------

    def filter_groups(self, chosen: dict[str, list[str]]) -> list[dict]:
        return [
            {
                "name": each.name,
                "legend": each.legend,
                "options": [
                    {
                        "id": f"filter-{each.name}-{index}",
                        "value": value,
                        "label": label,
                        "checked": value in chosen.get(each.name, []),
                    }
                    for index, (value, label) in enumerate(each.options())
                ],
            }
            for each in self.filters
        ]

    def applied(self, chosen: dict[str, list[str]]) -> list[dict]:
        """Each choice in use, under its filter's legend, with the link that removes it."""
        groups = []
        for each in self.filters:
            if each.name not in chosen:
                continue
            labels = dict(each.options())
            groups.append(
                {
                    "legend": each.legend,
                    "tags": [
                        {"label": labels[value], "remove_url": self.url_with(remove=(each.name, value))}
                        for value in chosen[each.name]
                    ],
                }
            )
        return groups

    def url_with(self, *, search: str | None = None, remove=None, drop_filters=False, page=None) -> str:
        """This list's address with one thing changed; the page number goes back to 1 unless given."""
        query = QueryDict(mutable=True)
        current = self.search() if search is None else search
        if current:
            query[SEARCH] = current
        if not drop_filters:
            for name, values in self.chosen().items():
                kept = [value for value in values if (name, value) != remove]
                if kept:
                    query.setlist(name, kept)
        if page and page > 1:
            query[PAGE] = str(page)
        encoded = query.urlencode()
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    def pagination(self, paginator: Paginator, number: int) -> dict | None:
        if paginator.num_pages <= 1:
            return None
        items = [
            {"number": item, "url": self.url_with(page=item), "current": item == number}
            if isinstance(item, int)
            else {"ellipsis": True}
            for item in paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)
        ]
        return {
            "items": items,
            "previous_url": self.url_with(page=number - 1) if number > 1 else None,
            "next_url": self.url_with(page=number + 1) if number < paginator.num_pages else None,
        }
