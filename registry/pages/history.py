"""A record's history: every recorded change to it (and to the records that belong to it), newest first.

Each change says what happened ("Provider archived", "Address added"), to which record, who made
it ("Deleted user" for an account since deleted), when ("5 December 2026 at 3:04am") and what it
changed, field by field, old value and new ("Not entered" for a blank). The entries are the
Activity page's (`registry.activity`), narrowed to the record: the same wording, the same merge of
several models' histories, and the same fixed number of queries however long the history is.

A history page says which record it is about (`model`, found by `object_id`, deleted or not: an
audit outlives the record), who may read it (`has_permission`), and which history rows are its
record's (`history_rows`: for each source, the rows that belong to the record). Its title names
the kind of record only ("Provider history"), never a person; its heading names the record.
History only ever shows what changed: nothing on it changes anything back.
"""

from django.db.models import Model, Q
from django.http import Http404

from registry.activity.filters import ActivityFilters
from registry.activity.selectors import activity_page
from registry.activity.sources import ActivitySource
from registry.pages.pagination import pagination
from registry.pages.views import Page


class HistoryPage(Page):
    template_name = "pages/history.html"
    http_method_names = ["get", "head"]
    model: type[Model] | None = None
    # "Provider history": the page's title and caption.
    title = ""

    object = None

    def history_rows(self) -> dict[ActivitySource, Q]:
        """For each source of history, which of its rows are this record's."""
        raise NotImplementedError

    def record_name(self) -> str:
        return str(self.object)

    def record_url(self) -> str | None:
        """Where "Back" goes: the record's own page, for those who may open it."""
        return None

    def setup_object(self, object_id=None, **kwargs) -> None:
        self.object = self.model._default_manager.filter(pk=object_id).first()
        if self.object is None:
            raise Http404

    def get_caption(self) -> str:
        return self.get_title()

    def get_heading(self) -> str:
        return self.record_name()

    def get_context_data(self, **kwargs):
        rows = self.history_rows()
        filters = ActivityFilters(sources=tuple(rows), about={source.key: where for source, where in rows.items()})
        page = activity_page(filters, page_number=self.request.GET.get("page"), viewer=None)
        own = next(iter(rows))
        return super().get_context_data(
            page=page,
            # Changes to the record's own records (its addresses, say) name which one changed.
            entries=[
                {"entry": entry, "names_record": entry.source != own or entry.record_id != self.object.pk}
                for entry in page.object_list
            ],
            pagination=pagination(self.request, page),
            back_url=self.record_url(),
            **kwargs,
        )
