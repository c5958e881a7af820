"""A user's history page: each change to the account, newest first, in the service's layout."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.services import user_create, user_delete, user_update
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


def history_url(user) -> str:
    return reverse("admin:accounts_user_history", args=[user.pk])


def entries(response) -> list[str]:
    page = Page(response)
    return [text(item) for item in page.all("li") if "app-history__entry" in (attribute(item, "class") or "")]


@pytest.fixture
def changed_user(administrator):
    user = user_create(
        actor=administrator,
        first_name="Mary",
        last_name="Lawson",
        email="mary.lawson@education.gov.uk",
        is_api_user=False,
    )
    user.refresh_from_db()
    return user_update(
        actor=administrator, user_id=user.pk, changes={"is_active": False}, seen_updated_at=user.updated_at
    )


def signed_in(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def test_the_address_and_its_name_are_the_ones_links_already_use(changed_user):
    assert history_url(changed_user) == f"/admin/accounts/user/{changed_user.pk}/history/"


def test_history_says_what_happened_who_did_it_when_and_what_changed(administrator_client, changed_user):
    response = administrator_client.get(history_url(changed_user))

    assert response.status_code == 200
    updated, added = entries(response)
    assert updated.startswith("User updated By Anne Wilson on ")
    assert "Is the account active? Yes No" in updated
    assert added.startswith("User added By Anne Wilson on ")
    # "5 December 2026 at 3:04am": the GOV.UK date and time.
    assert " at " in updated.split(" on ", 1)[1]


def test_the_title_names_no_one_and_the_heading_names_the_user(administrator_client, changed_user):
    page = Page(administrator_client.get(history_url(changed_user)))

    assert page.title == "User history - Register of training providers"
    assert "Mary" not in page.title
    assert text(page.one("h1")) == "Mary Lawson"
    assert page.one("h1") in page.all("h1", within=page.one("main"))


def test_a_blank_value_reads_not_entered(administrator, administrator_client, changed_user):
    user_update(
        actor=administrator,
        user_id=changed_user.pk,
        changes={"role": "Support viewer"},
        seen_updated_at=changed_user.updated_at,
    )

    assert "Role Not entered Support viewer" in entries(administrator_client.get(history_url(changed_user)))[0]


def test_changes_by_a_deleted_user_name_them_deleted_user(client, administrator, changed_user):
    rita = SupportAdministratorFactory(first_name="Rita", last_name="Moss")
    user_delete(actor=rita, user_id=administrator.pk)
    signed_in(client, AuditorFactory())

    response = client.get(history_url(changed_user))

    assert all(
        entry.startswith(("User updated By Deleted user on ", "User added By Deleted user on "))
        for entry in entries(response)
    )
    assert "Anne Wilson" not in text(Page(response).one("main"))


def test_back_goes_to_the_user_for_those_who_may_open_it_and_to_activity_for_auditors(
    client, administrator_client, changed_user
):
    def back(response):
        [link] = [link for link in Page(response).all("a") if text(link) == "Back"]
        return attribute(link, "href")

    assert back(administrator_client.get(history_url(changed_user))) == reverse(
        "admin:accounts_user_change", args=[changed_user.pk]
    )
    assert back(signed_in(client, AuditorFactory()).get(history_url(changed_user))) == reverse("activity")


def test_the_history_of_a_deleted_account_can_still_be_read(administrator, administrator_client, changed_user):
    user_delete(actor=administrator, user_id=changed_user.pk)

    response = administrator_client.get(history_url(changed_user))

    assert response.status_code == 200
    assert entries(response)[0].startswith("User deleted By Anne Wilson")


def test_a_deletion_says_so_and_lists_nothing_it_also_cleared(administrator, administrator_client, changed_user):
    user_delete(actor=administrator, user_id=changed_user.pk)

    deleted = entries(administrator_client.get(history_url(changed_user)))[0]

    assert deleted.startswith("User deleted By Anne Wilson on ")
    assert "What changed" not in deleted
    assert "Is the account active?" not in deleted


def test_the_first_change_to_an_account_loaded_without_history_says_earlier_values_are_unknown(
    administrator, administrator_client
):
    # Loaded as fixtures are: straight into the table, with no history row.
    [loaded] = User.objects.bulk_create([UserFactory.build(first_name="Mary", last_name="Lawson")])
    user_update(
        actor=administrator, user_id=loaded.pk, changes={"first_name": "Maria"}, seen_updated_at=loaded.updated_at
    )

    [updated] = entries(administrator_client.get(history_url(loaded)))

    assert updated.startswith("User updated By Anne Wilson on ")
    assert updated.endswith("Earlier values were not recorded.")


def test_auditors_and_administrators_read_history_and_no_one_else(client, administrator_client, changed_user):
    assert administrator_client.get(history_url(changed_user)).status_code == 200
    assert signed_in(client, AuditorFactory()).get(history_url(changed_user)).status_code == 200
    for factory in (SupportEditorFactory, SupportViewerFactory, UserFactory):
        assert signed_in(client, factory()).get(history_url(changed_user)).status_code == 403


def test_a_missing_user_has_no_history_page(administrator_client):
    response = administrator_client.get(
        reverse("admin:accounts_user_history", args=["6a765730-f55a-4144-8f50-85537be77725"])
    )

    assert response.status_code == 404


def test_history_never_changes_anything_back(administrator_client, changed_user):
    record = changed_user.history.last()
    url = reverse("admin:accounts_user_simple_history", args=[changed_user.pk, record.history_id])

    assert administrator_client.post(history_url(changed_user), {"first_name": "Changed"}).status_code == 405
    assert (
        administrator_client.post(url, {"first_name": "Changed", "is_active": "on", "_continue": "1"}).status_code
        == 404
    )
    changed_user.refresh_from_db()
    assert (changed_user.first_name, changed_user.is_active) == ("Mary", False)


def _queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(history_url(user)).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_history(administrator, administrator_client, changed_user):
    def change(times: int):
        for _ in range(times):
            changed_user.refresh_from_db()
            user_update(
                actor=administrator,
                user_id=changed_user.pk,
                changes={"is_active": not changed_user.is_active},
                seen_updated_at=changed_user.updated_at,
            )

    administrator_client.get(history_url(changed_user))  # the session is read and cached
    change(3)  # 5 changes
    with_5 = _queries(administrator_client, changed_user)
    change(45)  # 50 changes, two pages
    with_50 = _queries(administrator_client, changed_user)

    assert with_5 == with_50
    # 25 to a page, newest first: the second page ends with the account being added.
    first, second = (administrator_client.get(history_url(changed_user), {"page": n}) for n in (1, 2))
    assert (len(entries(first)), len(entries(second))) == (25, 25)
    assert entries(second)[-1].startswith("User added")
    assert f'href="{history_url(changed_user)}?page=2"' in first.content.decode()
