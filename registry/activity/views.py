"""The Activity page and its CSV download: every recorded change across the service, in the service's layout."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from registry.activity.days import group_by_day
from registry.activity.export import activity_csv_response
from registry.activity.forms import ActivityFilterForm
from registry.activity.selectors import activity_actors, activity_page
from registry.pages.pagination import pagination
from registry.pages.views import Page
from registry.permissions import user_can_view_activity


def _filter_form(request) -> ActivityFilterForm:
    return ActivityFilterForm(request.GET, actors=activity_actors())


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
        form = _filter_form(self.request)
        page = activity_page(form.filters(), page_number=self.request.GET.get("page"), viewer=self.request.user)
        return super().get_context_data(
            # The title says "Error: " first while a filter is wrong, as a form page's does.
            title=f"Error: {self.title}" if form.errors else self.title,
            heading=self.title,
            form=form,
            page=page,
            days=group_by_day(page.object_list),
            pagination=pagination(self.request, page),
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
