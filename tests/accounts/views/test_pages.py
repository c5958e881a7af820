import pytest
from django.urls import reverse

from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

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


def test_start_page_sends_signed_in_users_to_the_admin(administrator_client):
    response = administrator_client.get(reverse("start"))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


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

    assert response.redirect_chain[-1][0] == f"{reverse('personas')}?next=/admin/"
