"""Stop pages: a page saying that something cannot be done, why, and where to go instead.

A stop page replaces the page a person asked for when what it would do is refused by one of the
service's rules: "Sorry, you cannot complete this action" when deleting a user would leave too few
active support users, "You cannot add this partnership" when the provider already has one with that
partner for those dates. It changes nothing, and is answered 409 (Conflict): the request was
understood, and refused because of the state of what it would change, as DfE's service answers.
"""

from dataclasses import dataclass, field

from django.template.response import TemplateResponse

CANNOT_COMPLETE = "Sorry, you cannot complete this action"


@dataclass(frozen=True)
class Stop:
    """What a stop page says: its heading (and title), paragraphs, and links (label, url)."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    caption: str = ""
    rows: list = field(default_factory=list)


class StopPageRefusal(Exception):
    """Raised where a change is refused, to answer with the stop page `stop` instead of the page asked for."""

    def __init__(self, stop: Stop):
        super().__init__(" ".join((stop.heading, *stop.paragraphs)))
        self.stop = stop


def stop_page(page, stop: Stop, *, status: int = 409) -> TemplateResponse:
    """The stop page, drawn in the one layout for `page` (a `registry.pages.views.Page`)."""
    context = page.get_context_data(
        title=stop.heading,
        heading=stop.heading,
        caption=stop.caption,
        paragraphs=list(stop.paragraphs),
        rows=stop.rows,
        links=[{"label": label, "url": url} for label, url in stop.links],
        # A stop page shows no form, warning, or button of the page it stands in for.
        status_tags=None,
        hint=None,
        cards=(),
    )
    return TemplateResponse(page.request, "pages/summary.html", context, status=status)
