import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    SupportAdministratorFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db


def sign_in_url(user):
    return reverse("persona-sign-in", args=[user.pk])


def persona_cards(response) -> dict[str, dict]:
    """Each persona on the page, by name: what it says and where its button goes."""
    page = Page(response)
    cards = {}
    for item in page.all("li"):
        forms = page.all("form", within=item)
        if not forms:
            continue
        [form] = forms
        [status_list] = page.all("ul", within=item)
        cards[text(page.one("h2", within=item))] = {
            "text": text(item),
            "tags": [text(tag) for tag in page.all("li", within=status_list)],
            "button": text(page.one("button", within=form)),
            "action": attribute(form, "action"),
            "method": attribute(form, "method"),
        }
    return cards


def assert_sent_to_sign_in(response):
    """No access to the admin: the request is sent to sign in (the admin's own sign-in or the service's)."""
    assert response.status_code == 302
    assert response.url.split("?")[0] in {reverse("admin:login"), reverse("personas"), reverse("sign-in")}


def test_lists_every_kept_account_with_its_status_and_a_sign_in_button(client):
    anne = SupportAdministratorFactory(first_name="Anne", last_name="Wilson", email="anne.wilson@education.gov.uk")
    colin = SupportViewerFactory(first_name="Colin", last_name="Chapman", is_active=False)
    ahmed = ApiUserFactory(first_name="Ahmed", last_name="Ali")
    kwame = ApiUserFactory(first_name="Kwame", last_name="Mensah", is_active=False)
    marla = UserFactory(first_name="Marla", last_name="Signer", email="marla.signer@education.gov.uk", deleted=True)

    response = client.get(reverse("personas"))

    assert response.status_code == 200
    cards = persona_cards(response)
    assert list(cards) == ["Ahmed Ali", "Anne Wilson", "Colin Chapman", "Kwame Mensah"]
    assert cards["Anne Wilson"]["tags"] == ["Active"]
    assert cards["Colin Chapman"]["tags"] == ["Inactive"]
    assert cards["Ahmed Ali"]["tags"] == ["Active", "API user"]
    assert cards["Kwame Mensah"]["tags"] == ["Inactive", "API user"]
    assert "anne.wilson@education.gov.uk" in cards["Anne Wilson"]["text"]
    assert "Support administrator" in cards["Anne Wilson"]["text"]
    for user in (anne, colin, ahmed, kwame):
        card = cards[user.full_name]
        assert card["button"] == f"Sign in as {user.full_name}"
        assert card["method"] == "post"
        assert card["action"] == sign_in_url(user)
    assert marla.email not in response.content.decode()
    assert "Marla Signer" not in response.content.decode()


def test_the_sign_in_buttons_work_with_csrf_protection_on():
    anne = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(reverse("personas"))
    form = next(form for form in Page(response).all("form") if attribute(form, "action") == sign_in_url(anne))
    token = next(
        attribute(field, "value")
        for field in Page(response).all("input", within=form)
        if attribute(field, "name") == "csrfmiddlewaretoken"
    )

    response = browser.post(sign_in_url(anne), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response.url == reverse("admin:accounts_user_changelist")
    assert browser.session["_auth_user_id"] == str(anne.pk)


def test_signing_in_as_an_active_support_user_starts_a_session_and_opens_their_home_page(client):
    anne = SupportAdministratorFactory()
    history_rows = anne.history.count()
    before = timezone.now()

    response = client.post(sign_in_url(anne))

    assert response.status_code == 302
    assert response.url == reverse("admin:accounts_user_changelist")
    assert client.session["_auth_user_id"] == str(anne.pk)
    anne.refresh_from_db()
    assert before <= anne.last_signed_in_at <= timezone.now()
    assert anne.history.count() == history_rows
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("factory", "home"),
    [
        pytest.param(SupportViewerFactory, "admin:registry_provider_changelist", id="viewer"),
        pytest.param(AuditorFactory, "activity", id="auditor"),
        pytest.param(UserFactory, "your-account", id="no-role"),
    ],
)
def test_each_role_lands_on_its_home_page(client, factory, home):
    response = client.post(sign_in_url(factory()))

    assert response.url == reverse(home)
    assert client.get(response.url).status_code == 200


def test_signing_in_again_moves_the_last_signed_in_time_on(client):
    earlier = timezone.now() - datetime.timedelta(days=30)
    viewer = SupportViewerFactory(last_signed_in_at=earlier)

    client.post(sign_in_url(viewer))

    viewer.refresh_from_db()
    assert viewer.last_signed_in_at > earlier


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: ApiUserFactory(), id="api-user"),
        pytest.param(lambda: ApiUserFactory(is_active=False), id="inactive-api-user"),
        pytest.param(lambda: SupportAdministratorFactory(is_active=False), id="inactive-administrator"),
    ],
)
def test_accounts_that_may_not_use_the_web_pages_are_refused(client, make_user):
    user = make_user()

    response = client.post(sign_in_url(user), follow=True)

    assert response.redirect_chain == [(reverse("unauthorised"), 302)]
    assert "Your account is not authorised" in response.content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_signed_in_at is None
    assert_sent_to_sign_in(client.get(reverse("admin:index")))


def test_a_deleted_account_cannot_be_signed_in_as(client):
    marla = SupportAdministratorFactory(deleted=True)

    response = client.post(sign_in_url(marla))

    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


def test_signing_in_needs_a_post(client):
    anne = SupportAdministratorFactory()

    response = client.get(sign_in_url(anne))

    assert response.status_code == 405
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"is_api_user": True, "is_staff": False, "role": ""}, id="made-an-api-user"),
        pytest.param({"deleted_at": timezone.now(), "is_active": False, "is_staff": False}, id="deleted"),
    ],
)
def test_a_session_stops_working_once_the_account_may_no_longer_use_the_web_pages(client, change):
    anne = SupportAdministratorFactory()
    client.post(sign_in_url(anne))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200

    User.objects.filter(pk=anne.pk).update(**change)

    assert_sent_to_sign_in(client.get(reverse("admin:accounts_user_changelist")))
    assert "Sign out" not in text(Page(client.get(reverse("personas"))).one("header"))


def test_a_signed_in_user_sees_who_they_are_and_can_sign_out(client):
    anne = SupportAdministratorFactory(first_name="Anne", last_name="Wilson")
    client.post(sign_in_url(anne))

    page = client.get(reverse("personas"))
    assert text(Page(page).one("header")) == "Register of training providers Your account Sign out"

    response = client.post(reverse("sign-out"))
    assert response.status_code == 302
    assert response.url == reverse("start")
    assert "_auth_user_id" not in client.session
    assert_sent_to_sign_in(client.get(reverse("admin:index")))


def test_roles_are_shown_so_a_developer_can_pick_the_right_persona(client):
    UserFactory(first_name="George", last_name="Edwards")
    auditor = UserFactory(first_name="Daniel", last_name="Roberts")
    auditor.groups.add(Group.objects.get(name=Role.AUDITOR))

    cards = persona_cards(client.get(reverse("personas")))

    assert "Auditor" in cards["Daniel Roberts"]["text"]
    assert "No role" in cards["George Edwards"]["text"]
