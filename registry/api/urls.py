"""The API's URLs, under /api/: the route table's, the documentation, and a JSON 404 for the rest."""

from django.urls import path, re_path

from registry.api.documentation import documentation_page
from registry.api.http import endpoint, not_found
from registry.api.routes import ROUTES

app_name = "api"

urlpatterns = [
    *(path(route.pattern, endpoint(route), name=route.name) for route in ROUTES),
    re_path(r"^docs/?$", documentation_page, name="documentation"),
    # Anything else under /api/ is a JSON 404, never the web pages' HTML one.
    re_path(r"^", not_found),
]
