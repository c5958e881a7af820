"""Rules DfE's own service keeps, in the browser: at least 4 active support users remain; at most 3
deletions in 3 minutes; and the API switched off and on by a support administrator, as an API client
sees it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.api_clients.services import api_client_create
from tests.e2e.steps import (
    SERVICE_NAME,
    expect_error_summary,
    expect_heading,
    expect_success_message,
    open_from_sidebar,
    open_users,
    sign_in_as,
)
from tests.factories import ApiUserFactory, SupportViewerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CANNOT_COMPLETE = "Sorry, you cannot complete this action"
TOO_FEW = (
    "There must be at least 4 active support users. Add a support user, or make an inactive one active, before you "
)
TOO_MANY = "Sorry, there’s a problem completing this action"


def open_user(page, name: str) -> None:
    open_users(page)
    page.get_by_role("link", name=name, exact=True).click()
    expect_heading(page, name)


def test_the_last_4_active_support_users_cannot_be_deleted_or_made_inactive(page, axe, administrator, settings):
    settings.MINIMUM_ACTIVE_SUPPORT_USERS = 4
    for first_name in ("Ann", "Bea", "Cal"):
        SupportViewerFactory(first_name=first_name, last_name="Jones")
    UserFactory(first_name="Tom", last_name="Baker")
    sign_in_as(page, axe, administrator)

    # Five active support users: deleting one leaves four.
    open_user(page, "Tom Baker")
    page.get_by_role("link", name="Delete user").click()
    page.get_by_role("button", name="Delete user").click()
    expect_success_message(page, "User deleted")

    # Four: the Delete link is still there, and its page says why it cannot be done.
    open_user(page, "Ann Jones")
    page.get_by_role("link", name="Delete user").click()
    expect(page).to_have_title(f"{CANNOT_COMPLETE} - {SERVICE_NAME}")
    expect_heading(page, CANNOT_COMPLETE)
    expect(page.get_by_text(TOO_FEW + "delete this user.")).to_be_visible()
    expect(page.get_by_role("button", name="Delete user")).to_have_count(0)
    axe("Delete user – too few support users")
    page.get_by_role("link", name="Go back to the user").click()
    expect_heading(page, "Ann Jones")

    # Making her inactive is refused at its question.
    page.get_by_role("link", name="Change Is the account active?").click()
    page.get_by_role("group", name="Is the account active?").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(f"Error: Change user - {SERVICE_NAME}")
    expect_error_summary(page, TOO_FEW + "make this user inactive.")
    axe("Change user – too few support users")


def test_the_fourth_deletion_within_3_minutes_gets_the_too_many_requests_page(page, axe, administrator):
    for name in ("Tom", "Uma", "Vic", "Wes"):
        UserFactory(first_name=name, last_name="Baker")
    sign_in_as(page, axe, administrator)

    for name in ("Tom", "Uma", "Vic"):
        open_user(page, f"{name} Baker")
        page.get_by_role("link", name="Delete user").click()
        page.get_by_role("button", name="Delete user").click()
        expect_success_message(page, "User deleted")

    open_user(page, "Wes Baker")
    page.get_by_role("link", name="Delete user").click()
    axe("Delete user – confirm")
    with page.expect_response(re.compile(r"/delete/$")) as answered:
        page.get_by_role("button", name="Delete user").click()
    assert answered.value.status == 429
    assert 0 < int(answered.value.headers["retry-after"]) <= 180
    expect(page).to_have_title(f"{TOO_MANY} - {SERVICE_NAME}")
    expect_heading(page, TOO_MANY)
    expect(page.get_by_text("You have tried this action too many times. Try again later.")).to_be_visible()
    axe("Too many requests")

    open_users(page)
    expect(page.get_by_role("link", name="Wes Baker", exact=True)).to_be_visible()


def test_an_administrator_switches_the_api_off_and_on_as_an_api_client_sees_it(
    page, axe, administrator, browser, live_server
):
    _, issued = api_client_create(actor=administrator, owner=ApiUserFactory(), name="Timetabling system")
    api_client = browser.new_context(base_url=live_server.url)  # no cookies: only the token
    token = {"Authorization": f"Bearer {issued.secret}"}

    def providers():
        return api_client.request.get("/api/v1/providers", headers=token)

    try:
        assert providers().status == 200
        sign_in_as(page, axe, administrator)
        open_from_sidebar(page, "API clients")
        expect(page.get_by_text("The API is on.")).to_be_visible()
        page.get_by_role("link", name="Change API access").click()
        expect(page).to_have_title(f"API access - {SERVICE_NAME}")
        expect_heading(page, "API access")
        axe("API access")

        question = page.get_by_role("group", name="Can API clients use the API?")
        expect(question.get_by_label("On", exact=True)).to_be_checked()
        question.get_by_label("Off", exact=True).check()
        page.get_by_role("button", name="Save").click()
        expect_success_message(page, "API switched off")
        expect(page.locator(".app-summary-list")).to_contain_text("Off")
        axe("API access, switched off")

        off = providers()
        assert off.status == 503
        assert off.json()["errors"][0]["error"] == "ServiceUnavailable"
        assert api_client.request.get("/api/docs").status == 200

        page.get_by_role("group", name="Can API clients use the API?").get_by_label("On", exact=True).check()
        page.get_by_role("button", name="Save").click()
        expect_success_message(page, "API switched on")
        assert providers().status == 200

        # Both changes are on the Activity page, with who made them.
        open_from_sidebar(page, "Activity")
        expect(page.get_by_text("API access switched off")).to_be_visible()
        expect(page.get_by_text("API access switched on")).to_be_visible()
        axe("Activity")
    finally:
        api_client.close()
