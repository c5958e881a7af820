"""The Activity page and its CSV download, inside the admin's chrome."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from registry.activity.days import group_by_day
from registry.activity.export import activity_csv_response
from registry.activity.forms import ActivityFilterForm
from registry.activity.permissions import user_can_view_activity
from registry.activity.selectors import activity_actors, activity_page

TITLE = "Activity"


def _filter_form(request) -> ActivityFilterForm:
    return ActivityFilterForm(request.GET, actors=activity_actors())


def activity(request):
    if not user_can_view_activity(request.user):
        raise PermissionDenied
    form = _filter_form(request)
    page = activity_page(form.filters(), page_number=request.GET.get("page"), viewer=request.user)
    context = {
        **admin.site.each_context(request),
        "title": f"Error: {TITLE}" if form.errors else TITLE,
        "heading": TITLE,
        "has_own_heading": True,
        "form": form,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "days": group_by_day(page.object_list),
    }
    return TemplateResponse(request, "registry/activity/activity.html", context)


def activity_csv(request):
    if not user_can_view_activity(request.user):
        raise PermissionDenied
    form = _filter_form(request)
    if not form.is_valid():
        # The page explains what is wrong with the filters; a file would silently ignore it.
        return redirect(f"{reverse('activity')}?{request.GET.urlencode()}")
    return activity_csv_response(form.filters())
