import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Session
from accounts.services import user_delete, user_update
from accounts.sessions import LAST_ACTIVE_AT, SIGNED_IN_AT
from tests.factories import SupportViewerFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:accounts_user_changelist")


def _signed_in_client(user):
    client = Client()
    client.force_login(user, backend="accounts.backends.ServiceAccountBackend")
    assert client.get(LIST_URL).status_code == 200
    return client


@pytest.fixture
def viewer():
    return SupportViewerFactory()


@pytest.mark.parametrize(
    "take_access_away",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"is_api_user": True}, id="made-an-api-user"),
    ],
)
def test_losing_access_ends_every_session_at_once(
    administrator, viewer, take_access_away, django_capture_on_commit_callbacks
):
    laptop, phone = _signed_in_client(viewer), _signed_in_client(viewer)
    assert Session.objects.filter(user=viewer).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        user_update(actor=administrator, user_id=viewer.pk, changes=take_access_away, seen_updated_at=viewer.updated_at)

    assert not Session.objects.filter(user=viewer).exists()
    assert laptop.get(LIST_URL).status_code == 302
    assert phone.get(LIST_URL).status_code == 302


def test_deleting_someone_ends_their_sessions(administrator, viewer, django_capture_on_commit_callbacks):
    client = _signed_in_client(viewer)

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(actor=administrator, user_id=viewer.pk)

    assert not Session.objects.filter(user=viewer).exists()
    assert client.get(LIST_URL).status_code == 302


def test_other_changes_keep_sessions(administrator, viewer, django_capture_on_commit_callbacks):
    client = _signed_in_client(viewer)

    with django_capture_on_commit_callbacks(execute=True):
        user_update(
            actor=administrator, user_id=viewer.pk, changes={"last_name": "New"}, seen_updated_at=viewer.updated_at
        )

    assert client.get(LIST_URL).status_code == 200


def _age_session(client, *, idle_for=0, signed_in_for=0):
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - signed_in_for
    session[LAST_ACTIVE_AT] = now - idle_for
    session.save()


def test_session_ends_after_two_hours_idle(viewer, settings):
    client = _signed_in_client(viewer)
    _age_session(client, idle_for=settings.SESSION_IDLE_SECONDS + 1, signed_in_for=settings.SESSION_IDLE_SECONDS + 1)

    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(str(settings.LOGIN_URL))
    assert client.get(LIST_URL).status_code == 302  # signed out, not just redirected once


def test_activity_keeps_the_session_alive(viewer, settings):
    client = _signed_in_client(viewer)
    _age_session(client, idle_for=settings.SESSION_IDLE_SECONDS - 60, signed_in_for=settings.SESSION_IDLE_SECONDS)

    assert client.get(LIST_URL).status_code == 200
    assert client.session[LAST_ACTIVE_AT] >= int(time.time()) - 1


def test_session_ends_after_the_absolute_limit_however_active(viewer, settings):
    client = _signed_in_client(viewer)
    _age_session(client, idle_for=0, signed_in_for=settings.SESSION_ABSOLUTE_SECONDS + 1)

    assert client.get(LIST_URL).status_code == 302
    assert client.get(LIST_URL).status_code == 302


def test_documented_limits():
    from django.conf import settings

    assert settings.SESSION_IDLE_SECONDS == 2 * 60 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
