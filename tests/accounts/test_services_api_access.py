"""Taking an API user's access away revokes their tokens at once (accounts.services)."""

import pytest

from accounts.api_clients.services import api_client_create
from accounts.models import ApiToken
from accounts.services import user_delete, user_update
from tests.factories import ApiUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_user_with_a_token():
    api_user = ApiUserFactory()
    client, _ = api_client_create(actor=api_user, name="Timetabling system")
    return api_user, client


@pytest.mark.parametrize(
    "change",
    [pytest.param({"is_active": False}, id="deactivated"), pytest.param({"is_api_user": False}, id="no-longer-api")],
)
def test_losing_api_access_revokes_every_token(administrator, api_user_with_a_token, change):
    api_user, client = api_user_with_a_token

    user_update(actor=administrator, user_id=api_user.pk, changes=change, seen_updated_at=api_user.updated_at)

    token = ApiToken.objects.get(client=client)
    assert token.revoked_at is not None
    assert token.revoked_by == administrator


def test_deleting_an_api_user_revokes_every_token(administrator, api_user_with_a_token):
    api_user, client = api_user_with_a_token

    user_delete(actor=administrator, user_id=api_user.pk)

    assert ApiToken.objects.get(client=client).revoked_at is not None


def test_other_changes_keep_tokens(administrator, api_user_with_a_token):
    api_user, client = api_user_with_a_token

    user_update(
        actor=administrator, user_id=api_user.pk, changes={"last_name": "Systems"}, seen_updated_at=api_user.updated_at
    )

    assert ApiToken.objects.get(client=client).revoked_at is None
