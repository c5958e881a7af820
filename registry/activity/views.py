"""The Activity page and its CSV download: every recorded change across the service, in the service's layout."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from registry.activity.cursor import FeedPlace
from registry.activity.days import group_by_day
from registry.activity.export import activity_csv_response
from registry.activity.forms import ActivityFilterForm
from registry.activity.selectors import FeedPage, activity_actors, activity_feed_page
from registry.pages.views import Page
from registry.permissions import user_can_view_activity

# The address's keys for where a page starts: the changes older, or newer, than an entry's place.
OLDER = "older"
NEWER = "newer"


def _filter_form(request, actors=None) -> ActivityFilterForm:
    return ActivityFilterForm(request.GET, actors=activity_actors() if actors is None else actors)


def feed_pagination(request, page: FeedPage) -> dict | None:
    """GOV.UK pagination without page numbers: "Previous" (newer changes) and "Next" (older).

    Each link is this address with only the place changed, so filters in the query string are
    kept. None when everything fits on one page.
    """
    if page.newer is None and page.older is None:
        return None

    def url(key: str, place: FeedPlace | None) -> str | None:
        if place is None:
            return None
        query = request.GET.copy()
        for name in (OLDER, NEWER):
            query.pop(name, None)
        query[key] = place.token()
        return f"{request.path}?{query.urlencode()}"

    return {"previous_url": url(NEWER, page.newer), "next_url": url(OLDER, page.older)}


class ActivityPage(Page):
    """The feed, newest first and grouped by day, filtered by a GET form (so its address can be shared).

    A filter answered wrongly is shown with its error, and the page lists what the other filters
    find: one wrong answer does not throw away the others.
    """

    template_name = "registry/activity/activity.html"
    title = "Activity"
    http_method_names = ["get", "head"]

    def has_permission(self) -> bool:
        return user_can_view_activity(self.request.user)

    def get_context_data(self, **kwargs):
        actors = activity_actors()
        form = _filter_form(self.request, actors)
        page = activity_feed_page(
            form.filters(),
            viewer=self.request.user,
            older_than=FeedPlace.from_token(self.request.GET.get(OLDER)),
            newer_than=FeedPlace.from_token(self.request.GET.get(NEWER)),
            actors=actors,
        )
        return super().get_context_data(
            # The title says "Error: " first while a filter is wrong, as a form page's does.
            title=f"Error: {self.title}" if form.errors else self.title,
            heading=self.title,
            form=form,
            page=page,
            days=group_by_day(page.entries),
            pagination=feed_pagination(self.request, page),
            **kwargs,
        )


def activity_csv(request):
    if not user_can_view_activity(request.user):
        raise PermissionDenied
    form = _filter_form(request)
    if not form.is_valid():
        # The page explains what is wrong with the filters; a file would silently ignore it.
        return redirect(f"{reverse('activity')}?{request.GET.urlencode()}")
    return activity_csv_response(form.filters())
