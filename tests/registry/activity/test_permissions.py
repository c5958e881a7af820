import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from registry.permissions import user_can_view_activity
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    SupportAdministratorFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.registry.activity.support import ACTIVITY_URL, CSV_URL
from tests.support.html import page_title
from tests.support.page import Page, text

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"


@pytest.mark.parametrize("factory", [AuditorFactory, SupportAdministratorFactory])
@pytest.mark.parametrize("url", [ACTIVITY_URL, CSV_URL])
def test_auditors_and_administrators_read_activity(client, factory, url):
    client.force_login(factory(), backend=BACKEND)

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("factory", [SupportEditorFactory, SupportViewerFactory, UserFactory])
@pytest.mark.parametrize("url", [ACTIVITY_URL, CSV_URL])
def test_other_support_users_are_refused(client, factory, url):
    client.force_login(factory(), backend=BACKEND)

    response = client.get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("url", [ACTIVITY_URL, CSV_URL])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(str(settings.LOGIN_URL))


@pytest.mark.parametrize("url", [ACTIVITY_URL, CSV_URL])
def test_api_users_never_get_the_page_even_with_the_permission(client, url):
    api_user = ApiUserFactory()
    api_user.user_permissions.add(*AuditorFactory().groups.get().permissions.all())

    client.force_login(api_user, backend=BACKEND)
    response = client.get(url)

    # An API user has no web session, so they are a visitor who has not signed in.
    assert response.status_code == 302
    assert response.url.startswith(str(settings.LOGIN_URL))


def test_page_has_the_service_title_and_its_own_heading(client):
    client.force_login(AuditorFactory(), backend=BACKEND)

    response = client.get(ACTIVITY_URL)

    assert page_title(response) == "Activity - Register of training providers"
    page = Page(response)
    assert [text(heading) for heading in page.all("h1")] == ["Activity"]
    assert page.one("h1") in page.all("h1", within=page.one("main"))


def test_permission_needs_a_signed_in_active_holder():
    assert user_can_view_activity(AuditorFactory())
    assert not user_can_view_activity(AuditorFactory(is_active=False))
    assert not user_can_view_activity(AnonymousUser())
    assert not user_can_view_activity(None)
