"""The 429 page: raised by a view as `TooManyRequests` (with its Retry-After), or drawn by one itself."""

import pytest

from tests.registry.errors.support import (
    ADMINISTRATOR_NAVIGATION,
    SERVICE_NAME,
    heading,
    navigation_links,
    paragraphs,
    with_failing_views,
)
from tests.support.page import Page

pytestmark = pytest.mark.django_db


@with_failing_views
def test_too_many_requests_raised_by_a_view_gets_the_429_page(administrator_client):
    response = administrator_client.get("/test/rate-limited/")

    assert response.status_code == 429
    page = Page(response)
    assert page.title == f"Sorry, there’s a problem completing this action - {SERVICE_NAME}"
    assert heading(page) == "Sorry, there’s a problem completing this action"
    assert paragraphs(page) == ["You have tried this action too many times. Try again later."]
    assert response["Retry-After"] == "180"
    assert navigation_links(page) == ADMINISTRATOR_NAVIGATION
    assert "no-store" in response["Cache-Control"]


@with_failing_views
def test_a_view_can_answer_429_itself(administrator_client):
    response = administrator_client.get("/test/rate-limited-by-helper/")

    assert response.status_code == 429
    assert heading(Page(response)) == "Sorry, there’s a problem completing this action"
    assert "Retry-After" not in response
