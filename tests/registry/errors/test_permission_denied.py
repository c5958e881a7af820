"""The 403 page: what someone may not do, in the admin and outside it, with navigation that leaves out
the sections they may not open."""

import pytest
from django.urls import reverse

from tests.factories import AuditorFactory, SupportViewerFactory
from tests.registry.errors.support import (
    EMAIL,
    SERVICE_NAME,
    VIEWER_NAVIGATION,
    assert_no_technical_detail,
    heading,
    navigation_links,
    paragraphs,
    signed_in,
    with_failing_views,
)
from tests.support.page import Page, attribute

pytestmark = pytest.mark.django_db


def test_permission_denied_in_the_admin_gets_the_service_403_page(client):
    viewer = SupportViewerFactory()
    signed_in(client, viewer)

    response = client.get(reverse("admin:accounts_user_add"))

    assert response.status_code == 403
    page = Page(response)
    assert page.title == f"You do not have permission to perform this action - {SERVICE_NAME}"
    assert heading(page) == "You do not have permission to perform this action"
    assert paragraphs(page) == [f"If you think you should have access, contact: {EMAIL}."]
    [email] = page.all("a", within=page.one("main"))
    assert attribute(email, "href") == f"mailto:{EMAIL}"
    assert navigation_links(page) == VIEWER_NAVIGATION
    assert_no_technical_detail(response)


def test_the_navigation_on_a_403_leaves_out_the_pages_the_user_may_not_open(client):
    signed_in(client, AuditorFactory())

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 403
    assert navigation_links(Page(response)) == {"Activity": reverse("activity")}


@with_failing_views
def test_permission_denied_outside_the_admin_gets_the_service_403_page(administrator_client):
    response = administrator_client.get("/test/denied/")

    assert response.status_code == 403
    assert heading(Page(response)) == "You do not have permission to perform this action"
    assert_no_technical_detail(response)
