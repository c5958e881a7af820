"""An API client is its owner's through guardian object permissions, in direct foreign-key tables."""

import pytest
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from accounts.api_clients.selectors import api_client_of, api_clients_of
from accounts.models import ApiClient, ApiClientUserObjectPermission
from tests.accounts.api_clients.fixtures import issue

pytestmark = pytest.mark.django_db


def test_adding_a_client_gives_its_owner_and_no_one_else_its_object_permissions(api_user, other_api_user):
    client, _ = issue(api_user)

    assert sorted(get_perms(api_user, client)) == ["change_apiclient", "delete_apiclient", "view_apiclient"]
    assert get_perms(other_api_user, client) == []
    assert ApiClientUserObjectPermission.objects.filter(content_object=client, user=api_user).count() == 3


def test_a_client_is_visible_only_through_its_object_permission(api_user, other_api_user):
    client, _ = issue(api_user)

    assert list(api_clients_of(other_api_user)) == []
    with pytest.raises(ApiClient.DoesNotExist):
        api_client_of(other_api_user, client.pk)

    assign_perm("accounts.view_apiclient", other_api_user, client)
    assert list(api_clients_of(other_api_user)) == [client]

    remove_perm("accounts.view_apiclient", api_user, client)
    assert list(api_clients_of(api_user)) == []


def test_permission_rows_go_with_the_client(api_user):
    client, _ = issue(api_user)
    client.tokens.all().delete()

    client.delete()

    assert not ApiClientUserObjectPermission.objects.exists()
