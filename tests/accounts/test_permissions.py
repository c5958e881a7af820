import pytest

from accounts import permissions
from tests.factories import ApiUserFactory, SupportEditorFactory, SupportViewerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_administrator_may_change_and_delete_others_but_not_themselves(administrator):
    other = UserFactory()

    assert permissions.user_can_change_user(administrator, other)
    assert permissions.user_can_delete_user(administrator, other)
    assert not permissions.user_can_change_user(administrator, administrator)
    assert not permissions.user_can_delete_user(administrator, administrator)


@pytest.mark.parametrize("factory", [SupportEditorFactory, SupportViewerFactory])
def test_only_administrators_manage_users(factory):
    actor, other = factory(), UserFactory()

    assert permissions.user_can_view_users(actor)
    assert not permissions.user_can_add_user(actor)
    assert not permissions.user_can_change_user(actor, other)
    assert not permissions.user_can_delete_user(actor, other)


def test_deleted_accounts_cannot_be_changed(administrator):
    assert permissions.user_changeable_fields(administrator, UserFactory(deleted=True)) == frozenset()


def test_an_inactive_administrator_may_do_nothing(administrator):
    administrator.is_active = False

    assert not permissions.user_can_view_users(administrator)
    assert not permissions.user_can_add_user(administrator)


def test_changeable_answers_depend_on_first_sign_in(administrator):
    assert permissions.user_changeable_fields(administrator, UserFactory()) == {
        "first_name",
        "last_name",
        "email",
        "is_api_user",
        "is_active",
        "role",
    }
    assert permissions.user_changeable_fields(administrator, UserFactory(signed_in=True)) == {
        "is_api_user",
        "is_active",
        "role",
    }


def test_api_users_have_no_role_to_change(administrator):
    assert "role" not in permissions.user_changeable_fields(administrator, ApiUserFactory())
