import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import ROLE_PERMISSIONS, Role
from tests.factories import AuditorFactory, SupportAdministratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_role_group_holds_exactly_the_permissions_of_the_role():
    """The backend reads permissions from the role table; the groups must never say otherwise."""
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        in_database = {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
        }
        assert in_database == set(perms), role


def test_permissions_come_from_the_role_alone():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_user"))

    assert not user.has_perm("accounts.change_user")
    assert AuditorFactory().has_perm("accounts.view_activity")
    assert not AuditorFactory().has_perm("accounts.view_user")


def test_inactive_administrator_has_no_permissions():
    administrator = SupportAdministratorFactory(is_active=False)

    assert administrator.get_all_permissions() == set()
    assert not administrator.has_perm("accounts.view_user")


def test_roles_table_covers_every_role():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_api_users_hold_the_api_user_permissions_and_nothing_else():
    from accounts.roles import API_USER_PERMISSIONS
    from tests.factories import ApiUserFactory

    assert ApiUserFactory().get_all_permissions() == set(API_USER_PERMISSIONS)
    assert ApiUserFactory(is_active=False).get_all_permissions() == set()
