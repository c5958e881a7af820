"""The OpenAPI document and the developer documentation: public, and made from the route table."""

import re

import pytest
from django.urls import URLPattern

from registry.api import urls
from registry.api.routes import ROUTES
from tests.support.html import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def test_the_document_is_openapi_3_1_with_bearer_tokens(document):
    assert document["openapi"] == "3.1.0"
    assert document["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_the_document_describes_every_route_and_method(document):
    described = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    routed = {(route.path, operation.method) for route in ROUTES for operation in route.operations}
    assert described == routed
    assert {path for path, _ in described} >= {
        "/api/v1/providers",
        "/api/v1/providers/{provider_id}",
        "/api/v1/partnerships",
        "/api/v1/info",
        "/api/v1/clients",
        "/api/v1/clients/{client_id}",
        "/api/v1/clients/{client_id}/rotate",
    }


def test_every_route_is_routed(client):
    patterns = [pattern for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)]
    assert {pattern.name for pattern in patterns} >= {route.name for route in ROUTES}


def test_every_response_is_described(document):
    statuses = {
        status
        for item in document["paths"].values()
        for operation in item.values()
        for status in operation["responses"]
    }
    assert statuses >= {"200", "201", "204", "304", "400", "401", "403", "404", "409", "413", "415", "429", "500"}
    assert "405" in document["info"]["description"]
    assert document["components"]["responses"]["MethodNotAllowed"]["headers"]["Allow"]
    providers = document["paths"]["/api/v1/providers"]["get"]
    assert providers["responses"]["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
    assert providers["responses"]["200"]["headers"]["ETag"]["required"] is True
    assert providers["responses"]["401"]["headers"]["WWW-Authenticate"]["schema"]["const"] == "Bearer"
    create = document["paths"]["/api/v1/clients"]["post"]
    assert set(create["responses"]) >= {"201", "400", "401", "403", "409", "413", "415", "429"}
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiClientCreate"
    }


def test_the_public_operations_need_no_token(document):
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    assert "security" not in document["paths"]["/api/v1/providers"]["get"]


def test_parameters_are_described_as_they_are_checked(document):
    parameters = {param["name"]: param for param in document["paths"]["/api/v1/providers"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}
    assert parameters["changed_since"]["schema"] == {"type": "string", "format": "date-time"}
    assert parameters["provider_type"]["schema"]["enum"] == ["hei", "scitt", "school", "other"]
    assert parameters["If-None-Match"]["in"] == "header"


def test_request_bodies_refuse_unknown_fields(document):
    schemas = document["components"]["schemas"]
    for name in ("ApiClientCreate", "ApiClientUpdate", "ApiClientRotate"):
        assert schemas[name]["additionalProperties"] is False
    assert schemas["ApiClientRotate"]["properties"]["grace_period_hours"]["type"] == "integer"
    assert "token_hash" not in str(schemas)


def test_the_documentation_page_is_public_plain_html_from_the_route_table(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = text(response)
    for route in ROUTES:
        for operation in route.operations:
            assert f"{operation.method} {route.path}" in page
            assert operation.summary in page
    assert 'curl -H "Authorization: Bearer $REGISTER_API_TOKEN"' in page
    assert "rotp_(?:live|test|dev)_[A-Za-z0-9_-]{43}_[0-9A-Za-z]{6}" in page
    assert "Retry-After" in page
    assert "TooManyRequests" in page
    assert client.get("/api/docs").status_code == 200


def test_the_documentation_page_loads_nothing_from_elsewhere(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"#]+)"', html)
    assert sources
    # The layout's email links (feedback, support) open the reader's email, loading nothing.
    assert all(source.startswith(("/", "mailto:")) for source in sources), sources
