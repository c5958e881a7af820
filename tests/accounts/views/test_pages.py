import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.factories import (
    AuditorFactory,
    SupportAdministratorFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"

SERVICE_NAME = "Register of training providers"


def test_start_page_describes_the_service_and_offers_sign_in(client):
    response = client.get(reverse("start"))

    assert response.status_code == 200
    page = Page(response)
    assert page.title == SERVICE_NAME
    assert text(page.one("h1")) == SERVICE_NAME
    main = text(page.one("main"))
    assert "Use this service to manage the details of all initial teacher training (ITT) providers." in main
    assert "Who can use this service" in main
    assert "Department for Education staff" in main
    [sign_in] = [link for link in page.all("a", within=page.one("main")) if text(link) == "Sign in"]
    assert attribute(sign_in, "href") == reverse("sign-in")


def test_the_sign_in_button_is_a_govuk_start_button(client):
    page = Page(client.get(reverse("start")))

    [sign_in] = [link for link in page.all("a") if text(link) == "Sign in"]
    # White text on the button's solid blue (service.css, admin.css): the start button's own classes,
    # and not inside running text, whose link colour would paint its text the button's own blue.
    assert attribute(sign_in, "class").split() == ["app-button", "app-button--start"]
    assert attribute(sign_in, "role") == "button"
    prose = [div for div in page.all("div") if "app-prose" in (attribute(div, "class") or "").split()]
    assert all(sign_in not in page.all("a", within=div) for div in prose)


@pytest.mark.parametrize(
    ("factory", "home"),
    [
        pytest.param(SupportAdministratorFactory, "admin:accounts_user_changelist", id="administrator"),
        pytest.param(SupportEditorFactory, "admin:registry_provider_changelist", id="editor"),
        pytest.param(SupportViewerFactory, "admin:registry_provider_changelist", id="viewer"),
        pytest.param(AuditorFactory, "activity", id="auditor"),
        pytest.param(UserFactory, "your-account", id="no-role"),
    ],
)
def test_start_page_sends_signed_in_people_to_their_home_page(client, factory, home):
    client.force_login(factory(), backend=BACKEND)

    response = client.get(reverse("start"))

    assert response.status_code == 302
    assert response.url == reverse(home)
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("url", ["/admin/", "/admin/accounts/", "/admin/registry/"])
def test_the_admin_index_and_an_app_index_send_people_home(client, url):
    client.force_login(AuditorFactory(), backend=BACKEND)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("activity")


def test_sign_in_goes_to_the_personas_when_persona_sign_in_is_on(client, settings):
    settings.SIGN_IN_METHOD = "persona"

    response = client.get(reverse("sign-in"))

    assert response.status_code == 302
    assert response.url == reverse("personas")


def test_start_page_sign_in_leads_to_the_personas_in_persona_mode(client, settings):
    settings.SIGN_IN_METHOD = "persona"

    response = client.get(reverse("sign-in"), follow=True)

    assert response.status_code == 200
    assert text(Page(response).one("h1")) == "Sign in as a persona"


def test_unauthorised_page_explains_the_refusal(client):
    response = client.get(reverse("unauthorised"))

    assert response.status_code == 403  # a refusal, for tools and people alike
    page = Page(response)
    assert page.title == f"Your account is not authorised - {SERVICE_NAME}"
    assert text(page.one("h1")) == "Your account is not authorised"
    assert (
        "You are seeing this page because you have signed into Register of training providers but your "
        "account is not authorised to view this page." in text(page.one("main"))
    )


def test_sign_out_needs_a_post(administrator_client):
    response = administrator_client.get(reverse("sign-out"))

    assert response.status_code == 405
    assert "_auth_user_id" in administrator_client.session


PAGES = [
    pytest.param("start", SERVICE_NAME, id="start"),
    pytest.param("unauthorised", "Your account is not authorised", id="unauthorised"),
    pytest.param("personas", "Sign in as a persona", id="personas"),
]


@pytest.mark.parametrize(("url_name", "heading"), PAGES)
def test_pages_have_one_heading_a_main_landmark_and_a_skip_link(client, url_name, heading):
    page = Page(client.get(reverse(url_name)))

    assert text(page.one("h1")) == heading
    main = page.one("main")
    assert attribute(main, "id") == "main-content"
    assert page.one("h1") in page.all("h1", within=main)
    skip_link = page.all("a", within=page.one("body"))[0]
    assert text(skip_link) == "Skip to main content"
    assert attribute(skip_link, "href") == "#main-content"
    page.one("header")
    page.one("footer")
    assert page.title.startswith(heading)
    assert page.title.endswith(SERVICE_NAME)


@pytest.mark.parametrize("url_name", ["start", "unauthorised", "personas"])
def test_every_link_can_be_reached_with_the_keyboard(client, url_name):
    page = Page(client.get(reverse(url_name)))

    links = page.all("a")
    assert links
    for link in links:
        assert attribute(link, "href"), f"link {text(link)!r} has no href, so the keyboard cannot reach it"


def test_a_signed_out_visit_to_the_admin_goes_straight_to_sign_in_and_back(client):
    response = client.get("/admin/", follow=True)

    path, _, query = response.redirect_chain[-1][0].partition("?")
    assert path == reverse("personas")
    assert QueryDict(query)["next"] == "/admin/"


# The footer's pages: open to everyone, signed in or not ------------------------------------------------

FOOTER_PAGES = [
    pytest.param("accessibility", "Accessibility statement", id="accessibility"),
    pytest.param("cookies", "Cookies", id="cookies"),
    pytest.param("privacy", "Privacy notice", id="privacy"),
    pytest.param("help", "Help and feedback", id="help"),
]


@pytest.mark.parametrize(("url_name", "heading"), FOOTER_PAGES)
@pytest.mark.parametrize("factory", [None, SupportViewerFactory, UserFactory], ids=["signed-out", "viewer", "no-role"])
def test_footer_pages_are_open_to_everyone(client, url_name, heading, factory):
    if factory:
        client.force_login(factory(), backend=BACKEND)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    page = Page(response)
    assert text(page.one("h1")) == heading
    assert page.title == f"{heading} - {SERVICE_NAME}"
    footer_links = {attribute(link, "href") for link in page.all("a", within=page.one("footer"))}
    assert reverse(url_name) in footer_links


def test_the_footer_links_to_each_page(client):
    footer = Page(client.get(reverse("start"))).one("footer")

    assert [text(link) for link in Page(client.get(reverse("start"))).all("a", within=footer)] == [
        "Accessibility",
        "Cookies",
        "Privacy notice",
        "API documentation",
        "Help and feedback",
    ]


def test_the_cookies_page_names_the_cookies_from_the_settings(client, settings):
    settings.SESSION_COOKIE_NAME = "__Host-session"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"

    main = text(Page(client.get(reverse("cookies"))).one("main"))

    assert "__Host-session" in main
    assert "After 12 hours, or when you sign out" in main
    assert "for 2 hours" in main
    assert "__Host-csrftoken" in main
    assert "After 1 year" in main
    assert "We do not use analytics cookies" in main


def test_the_privacy_notice_names_the_controller_the_processors_and_how_to_complain(client):
    main = text(Page(client.get(reverse("privacy"))).one("main"))

    for words in (
        "DfE is the data controller",
        "GOV.UK Notify",
        "DfE Sign-in",
        "public interest",
        "Information Commissioner’s Office",
    ):
        assert words in main
    links = {attribute(link, "href") for link in Page(client.get(reverse("privacy"))).all("a")}
    assert "https://www.gov.uk/contact-dfe" in links


def test_the_help_page_gives_the_support_address_and_when_to_expect_a_reply(client, settings):
    settings.SUPPORT_EMAIL = "help@education.gov.uk"

    page = Page(client.get(reverse("help")))

    assert "We will reply within 5 working days." in text(page.one("main"))
    assert "mailto:help@education.gov.uk" in {attribute(link, "href") for link in page.all("a")}


def test_the_accessibility_statement_follows_the_model_statement(client):
    page = Page(client.get(reverse("accessibility")))

    headings = [text(heading) for heading in page.all("h2", within=page.one("main"))]
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this service’s accessibility",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in headings
    assert "Equality Advisory and Support Service" in text(page.one("main"))
