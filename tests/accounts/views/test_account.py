"""Your account: what the service holds about the signed-in person, to read and not to change."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from accounts.views.account import YourAccountView
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    SupportAdministratorFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"
LONDON = zoneinfo.ZoneInfo("Europe/London")


def your_account(client, user):
    client.force_login(user, backend=BACKEND)
    return client.get(reverse("your-account"))


def summary(page: Page) -> dict[str, str]:
    main = page.one("main")
    dl = page.one("dl", within=main)
    values = [dd for dd in page.all("dd", within=dl) if "app-summary-list__value" in attribute(dd, "class")]
    return dict(zip((text(dt) for dt in page.all("dt", within=dl)), (text(dd) for dd in values), strict=True))


def nav(page: Page, label: str):
    [found] = [nav for nav in page.all("nav") if attribute(nav, "aria-label") == label]
    return found


def test_the_address_is_account():
    assert reverse("your-account") == "/account/"


def test_your_account_shows_what_the_service_holds_about_you(client):
    anne = SupportAdministratorFactory(
        first_name="Anne",
        last_name="Wilson",
        email="anne.wilson@education.gov.uk",
        last_signed_in_at=datetime.datetime(2025, 12, 11, 14, 13, tzinfo=LONDON),
    )

    response = your_account(client, anne)

    assert response.status_code == 200
    page = Page(response)
    assert page.title == "Your account - Register of training providers"
    assert text(page.one("h1", within=page.one("main"))) == "Your account"
    assert "Last signed in at 11 December 2025 at 2:13pm" in [text(p) for p in page.all("p", within=page.one("main"))]
    assert summary(page) == {
        "First name": "Anne",
        "Last name": "Wilson",
        "Email address": "anne.wilson@education.gov.uk",
        "Role": "Support administrator",
        "Is the account an API user?": "No",
        "Is the account active?": "Yes",
    }


def test_last_signed_in_is_given_in_uk_time(client):
    # 10:05 UTC in July is 11:05 in London.
    viewer = SupportViewerFactory(last_signed_in_at=datetime.datetime(2026, 7, 4, 10, 5, tzinfo=datetime.UTC))

    main = text(Page(your_account(client, viewer)).one("main"))

    assert "Last signed in at 4 July 2026 at 11:05am" in main


def test_an_account_that_has_never_signed_in_says_so(client):
    # Signed in here without going through sign-in, so nothing recorded the time.
    viewer = SupportViewerFactory(last_signed_in_at=None)

    main = text(Page(your_account(client, viewer)).one("main"))

    assert "User has never signed in" in main
    assert "Last signed in" not in main


@pytest.mark.parametrize(
    "factory",
    [SupportAdministratorFactory, SupportViewerFactory, AuditorFactory, UserFactory],
    ids=["administrator", "viewer", "auditor", "no-role"],
)
def test_every_support_user_can_see_their_own_account(client, factory):
    user = factory()

    response = your_account(client, user)

    assert response.status_code == 200
    assert summary(Page(response))["Email address"] == user.email


def test_nothing_on_the_page_changes_the_account(client):
    page = Page(your_account(client, SupportAdministratorFactory()))

    main = page.one("main")
    assert page.all("form", within=main) == []
    assert page.all("button", within=main) == []
    assert not [link for link in page.all("a", within=main) if "Change" in text(link)]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_page_cannot_be_written_to(client, method):
    client.force_login(SupportAdministratorFactory(), backend=BACKEND)

    response = getattr(client, method)(reverse("your-account"))

    assert response.status_code == 405


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(reverse("your-account"))

    assert response.status_code == 302
    assert response.url == f"{settings.LOGIN_URL}?next=/account/"


def test_an_api_user_has_no_account_page(client):
    # API users never get a web session, so they are sent to sign in like anyone else...
    response = your_account(client, ApiUserFactory())
    assert response.status_code == 302

    # ...and the page itself refuses one all the same.
    request = RequestFactory().get(reverse("your-account"))
    request.user = ApiUserFactory()
    with pytest.raises(PermissionDenied):
        YourAccountView.as_view()(request)


def test_the_header_marks_your_account_as_the_current_page(client):
    page = Page(your_account(client, SupportViewerFactory()))

    [link] = page.all("a", within=nav(page, "Your account"))
    assert text(link) == "Your account"
    assert attribute(link, "aria-current") == "page"
    # The sections this person may open, none of them current.
    sections = page.all("a", within=nav(page, "Menu"))
    assert [text(section) for section in sections] == ["Providers", "Users"]
    assert all(attribute(section, "aria-current") is None for section in sections)


def test_the_navigation_leaves_out_what_someone_may_not_open(client):
    page = Page(your_account(client, AuditorFactory()))

    assert [text(link) for link in page.all("a", within=nav(page, "Menu"))] == ["Activity"]


@pytest.mark.parametrize(
    ("factory", "home"),
    [
        (SupportAdministratorFactory, "admin:accounts_user_changelist"),
        (SupportViewerFactory, "admin:registry_provider_changelist"),
        (AuditorFactory, "activity"),
    ],
    ids=["administrator", "viewer", "auditor"],
)
def test_a_home_breadcrumb_leads_to_the_persons_home_page(client, factory, home):
    page = Page(your_account(client, factory()))

    [home_link] = page.all("a", within=nav(page, "Breadcrumb"))
    assert text(home_link) == "Home"
    assert attribute(home_link, "href") == reverse(home)


def test_the_role_is_shown_and_someone_with_no_role_is_told_who_to_ask(client):
    page = Page(your_account(client, UserFactory(role="")))

    assert summary(page)["Role"] == "No role"
    main = text(page.one("main"))
    assert "You do not have a role yet" in main
    assert "Ask a support administrator in your team to give you a role." in main
    assert settings.SUPPORT_EMAIL in main
    # This page is their home page: no breadcrumb back to itself.
    assert not [found for found in page.all("nav") if attribute(found, "aria-label") == "Breadcrumb"]


def test_someone_with_a_role_is_not_told_they_have_none(client):
    main = text(Page(your_account(client, SupportViewerFactory())).one("main"))

    assert "You do not have a role yet" not in main


def test_your_account_is_never_stored_by_the_browser(client):
    response = your_account(client, SupportViewerFactory())

    assert "no-store" in response["Cache-Control"]
