import logging

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import ApiUserFactory, SupportAdministratorFactory, SupportEditorFactory, UserFactory
from tests.support.html import text

pytestmark = pytest.mark.django_db


def _change_role(client, user, role, **answers):
    edit_url = reverse("admin:accounts_user_edit", args=[user.pk])
    client.get(f"{edit_url}?new")
    form = client.get(edit_url).context["form"]
    data = {name: form[name].value() for name in form.fields} | {"role": role} | answers
    client.post(edit_url, data)
    return client.post(reverse("admin:accounts_user_edit_check", args=[user.pk]), follow=True)


def test_administrator_gives_a_role_which_grants_its_permissions(
    administrator_client, administrator, caplog, django_capture_on_commit_callbacks
):
    user = UserFactory()

    # The change is logged once it is committed.
    with caplog.at_level(logging.INFO, logger="security"), django_capture_on_commit_callbacks(execute=True):
        response = _change_role(administrator_client, user, Role.SUPPORT_EDITOR.value)

    assert "User updated" in text(response)
    assert "Role Support editor" in text(response)
    user.refresh_from_db()
    assert user.role == Role.SUPPORT_EDITOR
    assert list(user.groups.values_list("name", flat=True)) == [Role.SUPPORT_EDITOR.value]
    assert user.history.first().role == Role.SUPPORT_EDITOR.value
    assert user.history.first().history_user == administrator
    [event] = [record for record in caplog.records if record.msg == "role_changed"]
    assert (event.actor_id, event.target, event.role) == (str(administrator.pk), str(user.pk), "Support editor")


def test_taking_a_role_away_takes_its_permissions(administrator_client):
    user = SupportAdministratorFactory()

    _change_role(administrator_client, user, "none")

    user.refresh_from_db()
    assert user.role == ""
    assert not user.groups.exists()
    assert not user.has_perm("accounts.change_user")


def test_making_someone_an_api_user_takes_their_role_away(administrator_client):
    user = SupportEditorFactory()

    _change_role(administrator_client, user, Role.SUPPORT_EDITOR.value, is_api_user="yes")

    user.refresh_from_db()
    assert (user.is_api_user, user.role, user.is_staff) == (True, "", False)
    assert not user.groups.exists()


def test_api_user_pages_show_no_role(administrator_client):
    user = ApiUserFactory()

    response = administrator_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert "Role" not in [row["label"] for row in response.context["rows"]]


def test_nobody_raises_their_own_rights(client):
    editor = SupportEditorFactory()
    client.force_login(editor, backend="accounts.backends.ServiceAccountBackend")
    edit_url = reverse("admin:accounts_user_edit", args=[editor.pk])

    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"role": Role.SUPPORT_ADMINISTRATOR.value}).status_code == 403
    editor.refresh_from_db()
    assert editor.role == Role.SUPPORT_EDITOR


def test_support_editor_cannot_give_roles(client):
    client.force_login(SupportEditorFactory(), backend="accounts.backends.ServiceAccountBackend")
    user = UserFactory()

    response = client.post(reverse("admin:accounts_user_edit", args=[user.pk]), {"role": "Support administrator"})

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.role == ""
