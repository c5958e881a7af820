"""Under /api/, a failure outside the API's own views (in a middleware, say) is the API's JSON error,
never a page: a 503 for a database outage, a 500 for anything else."""

import pytest

from tests.registry.errors.support import with_failing_views
from tests.registry.errors.urls import SECRET_DETAIL

pytestmark = pytest.mark.django_db


@with_failing_views
def test_under_api_a_database_outage_outside_the_api_views_is_the_apis_json_503(failing_client):
    response = failing_client.get("/api/test/database-gone/", headers={"X-Request-Id": "req-api-database"})

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "errors": [
            {
                "error": "ServiceUnavailable",
                "message": "The service is unavailable: try again later",
                "request_id": "req-api-database",
            }
        ]
    }
    assert "no-store" in response["Cache-Control"]


@with_failing_views
def test_under_api_any_other_failure_outside_the_api_views_is_the_apis_json_500(failing_client):
    response = failing_client.get("/api/test/broken/", headers={"X-Request-Id": "req-api-broken"})

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "errors": [
            {
                "error": "InternalServerError",
                "message": "Sorry, there is a problem with the service",
                "request_id": "req-api-broken",
            }
        ]
    }
    assert SECRET_DETAIL not in response.content.decode()
