"""The 404 page: the service's words for an address that leads nowhere, in the admin too, with the
navigation only for someone signed in."""

import uuid

import pytest
from django.urls import reverse

from tests.registry.errors.support import (
    ADMINISTRATOR_NAVIGATION,
    EMAIL,
    SERVICE_NAME,
    account_links,
    heading,
    navigation,
    navigation_links,
    paragraphs,
    sign_out_buttons,
)
from tests.support.page import Page, attribute

pytestmark = pytest.mark.django_db


def test_page_not_found_in_the_service_words(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = Page(response)
    assert page.title == f"Page not found - {SERVICE_NAME}"
    assert heading(page) == "Page not found"
    assert paragraphs(page) == [
        "If you entered a web address, check it is correct.",
        "If you pasted the web address, check you copied the entire address.",
        f"If you have any questions, email {EMAIL}.",
    ]
    [email] = page.all("a", within=page.one("main"))
    assert attribute(email, "href") == f"mailto:{EMAIL}"


def test_page_not_found_shows_no_navigation_to_a_visitor_who_is_not_signed_in(client):
    page = Page(client.get("/no-such-page/"))

    assert navigation(page) is None
    assert sign_out_buttons(page) == []


def test_page_not_found_shows_the_navigation_to_a_signed_in_support_user(administrator_client):
    response = administrator_client.get("/no-such-page/")

    assert response.status_code == 404
    page = Page(response)
    assert navigation_links(page) == ADMINISTRATOR_NAVIGATION
    assert account_links(page) == {"Your account": reverse("your-account")}
    assert len(sign_out_buttons(page)) == 1


def test_a_missing_record_in_the_admin_gets_the_service_404_page(administrator_client):
    response = administrator_client.get(reverse("admin:accounts_user_change", args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert heading(Page(response)) == "Page not found"


def test_an_unknown_admin_address_gets_the_service_404_page(administrator_client):
    response = administrator_client.get("/admin/no-such-page/")

    assert response.status_code == 404
    assert heading(Page(response)) == "Page not found"
