"""The Activity page: every recorded change across the service, for auditors and administrators."""

from django.contrib import admin
from django.urls import path

from registry.activity import views

urlpatterns = [
    path("", admin.site.admin_view(views.ActivityPage.as_view()), name="activity"),
    path("download/", admin.site.admin_view(views.activity_csv), name="activity-csv"),
]
