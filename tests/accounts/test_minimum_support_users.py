"""At least 4 active support users remain (accounts.minimum_support_users): DfE's rule, in the services
and on the pages. Two deletions at once, on PostgreSQL: test_minimum_support_users_postgresql.py.

"Active support users" are kept, active accounts that are not API users. Each test here starts from
exactly 5: the administrator acting and the four in `colleagues`.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

import registry.settings as production_settings
from accounts.minimum_support_users import (
    CANNOT_COMPLETE,
    DEACTIVATE,
    DELETE,
    MAKE_API_USER,
    TooFewSupportUsers,
    active_support_users,
    refusal_message,
    support_user_removal_refusal,
)
from accounts.models import Email, User
from accounts.services import user_delete, user_update
from tests.factories import ApiUserFactory, InactiveUserFactory, SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db

TOO_FEW_TO_DELETE = (
    "There must be at least 4 active support users. Add a support user, or make an inactive one active, "
    "before you delete this user."
)


@pytest.fixture(autouse=True)
def minimum_as_in_production(settings):
    settings.MINIMUM_ACTIVE_SUPPORT_USERS = production_settings.MINIMUM_ACTIVE_SUPPORT_USERS


@pytest.fixture
def colleagues(administrator):
    """Four active support users besides the administrator: five in all, one more than the minimum."""
    return [
        SupportViewerFactory(first_name=name, last_name="Jones", email=f"{name.lower()}.jones@education.gov.uk")
        for name in ("Ann", "Bea", "Cal", "Dev")
    ]


def _update(actor, user, **changes):
    return user_update(actor=actor, user_id=user.pk, changes=changes, seen_updated_at=user.updated_at)


def _unchanged(user: User) -> None:
    before = (user.is_active, user.is_api_user, user.deleted_at, user.role, user.history.count())
    user.refresh_from_db()
    assert (user.is_active, user.is_api_user, user.deleted_at, user.role, user.history.count()) == before


def test_the_minimum_is_4_in_production():
    assert production_settings.MINIMUM_ACTIVE_SUPPORT_USERS == 4
    assert refusal_message(DELETE) == TOO_FEW_TO_DELETE


# --- The services --------------------------------------------------------------------------------------


def test_deleting_down_to_4_is_allowed_and_the_next_deletion_is_refused(administrator, colleagues):
    ann, bea = colleagues[:2]
    user_delete(actor=administrator, user_id=ann.pk)
    assert active_support_users().count() == 4

    with pytest.raises(TooFewSupportUsers) as refused:
        user_delete(actor=administrator, user_id=bea.pk)

    assert refused.value.message == TOO_FEW_TO_DELETE
    _unchanged(bea)
    assert not Email.objects.filter(user=bea).exists()


@pytest.mark.parametrize(
    ("changes", "removal"),
    [({"is_active": False}, DEACTIVATE), ({"is_api_user": True}, MAKE_API_USER)],
    ids=["deactivating", "making-an-api-user"],
)
def test_deactivating_or_making_an_api_user_of_one_of_the_last_4_is_refused(
    administrator, colleagues, changes, removal
):
    ann, bea = colleagues[:2]
    _update(administrator, ann, **changes)

    with pytest.raises(TooFewSupportUsers) as refused:
        _update(administrator, bea, **changes)

    assert refused.value.message == refusal_message(removal)
    assert "make this user" in refused.value.message
    _unchanged(bea)


def test_api_users_inactive_and_deleted_accounts_do_not_count(administrator, colleagues):
    ApiUserFactory.create_batch(3)
    InactiveUserFactory.create_batch(2)
    UserFactory.create_batch(2, deleted=True)
    user_delete(actor=administrator, user_id=colleagues[0].pk)

    with pytest.raises(TooFewSupportUsers):
        user_delete(actor=administrator, user_id=colleagues[1].pk)


def test_with_4_left_others_may_still_be_deleted_changed_and_brought_back(administrator, colleagues):
    api_user, inactive = ApiUserFactory(), InactiveUserFactory()
    user_delete(actor=administrator, user_id=colleagues[0].pk)

    # Accounts that are not active support users take no one out of the count.
    user_delete(actor=administrator, user_id=api_user.pk)
    inactive = _update(administrator, inactive, is_active=False, first_name="Still inactive")
    _update(administrator, colleagues[1], first_name="Renamed")
    # Bringing someone back makes room for one more.
    _update(administrator, inactive, is_active=True)
    user_delete(actor=administrator, user_id=colleagues[2].pk)

    assert active_support_users().count() == 4


def test_nobody_is_told_about_the_rule_before_their_right_is_checked(administrator, colleagues):
    user_delete(actor=administrator, user_id=colleagues[0].pk)
    viewer = colleagues[1]

    with pytest.raises(PermissionDenied):
        user_delete(actor=viewer, user_id=colleagues[2].pk)


def test_the_pages_question_gives_the_same_answer_as_the_service(administrator, colleagues):
    ann, bea = colleagues[:2]
    assert support_user_removal_refusal(ann, deleting=True) is None
    user_delete(actor=administrator, user_id=ann.pk)

    assert support_user_removal_refusal(bea, deleting=True) == TOO_FEW_TO_DELETE
    assert support_user_removal_refusal(bea, changes={"is_active": False}) == refusal_message(DEACTIVATE)
    assert support_user_removal_refusal(bea, changes={"first_name": "Bee"}) is None
    assert support_user_removal_refusal(ApiUserFactory(), deleting=True) is None


# --- The pages -----------------------------------------------------------------------------------------


def _delete_url(user):
    return reverse("admin:accounts_user_delete", args=[user.pk])


def test_the_delete_link_still_shows_and_its_page_explains_instead_of_confirming(
    administrator, administrator_client, colleagues
):
    ann, bea = colleagues[:2]
    user_delete(actor=administrator, user_id=ann.pk)
    user_page = administrator_client.get(reverse("admin:accounts_user_change", args=[bea.pk]))
    assert _delete_url(bea) in user_page.content.decode()

    response = administrator_client.get(_delete_url(bea))

    assert response.status_code == 409
    assert page_title(response) == f"{CANNOT_COMPLETE} - Register of training providers"
    page = text(response)
    assert f"Delete user {CANNOT_COMPLETE} {TOO_FEW_TO_DELETE}" in page  # caption, heading, why
    assert "Go back to the user" in page
    assert "Deleting a user is permanent" not in page
    assert "Delete user</button>" not in response.content.decode()


def test_a_deletion_posted_anyway_is_refused_with_the_same_page(administrator, administrator_client, colleagues):
    ann = colleagues[0]
    confirm = administrator_client.get(_delete_url(ann))
    assert page_title(confirm) == "Confirm you want to delete user - Register of training providers"
    user_delete(actor=administrator, user_id=colleagues[2].pk)  # meanwhile, someone else deletes one

    response = administrator_client.post(_delete_url(ann))

    assert response.status_code == 409
    assert f"{CANNOT_COMPLETE} {TOO_FEW_TO_DELETE}" in text(response)
    _unchanged(ann)


def _edit_urls(user):
    return tuple(reverse(f"admin:accounts_user_{name}", args=[user.pk]) for name in ("edit", "edit_check"))


def _answers(user, **changes):
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_api_user": "no",
        "is_active": "yes",
        "role": user.role or "none",
        **changes,
    }


@pytest.mark.parametrize(
    ("answer", "field", "removal"),
    [({"is_active": "no"}, "is_active", DEACTIVATE), ({"is_api_user": "yes"}, "is_api_user", MAKE_API_USER)],
    ids=["inactive", "api-user"],
)
def test_the_answer_that_would_leave_too_few_is_refused_at_its_question(
    administrator, administrator_client, colleagues, answer, field, removal
):
    ann, bea = colleagues[:2]
    user_delete(actor=administrator, user_id=ann.pk)
    edit_url, _ = _edit_urls(bea)
    administrator_client.get(f"{edit_url}?new")

    response = administrator_client.post(edit_url, _answers(bea, **answer))

    assert response.status_code == 200
    assert page_title(response) == "Error: Change user - Register of training providers"
    assert response.context["form"].errors[field] == [refusal_message(removal)]
    assert f'href="#id_{field}' in response.content.decode()  # the error summary links to the question
    _unchanged(bea)


def _answered_inactive(client, user) -> str:
    edit_url, check_url = _edit_urls(user)
    client.get(f"{edit_url}?new")
    assert client.post(edit_url, _answers(user, is_active="no"))["Location"] == check_url
    return check_url


def test_saving_asks_again_and_sends_back_to_the_question_once_there_is_no_room(
    administrator, administrator_client, colleagues
):
    ann, bea = colleagues[:2]
    check_url = _answered_inactive(administrator_client, ann)
    user_delete(actor=administrator, user_id=bea.pk)  # meanwhile, someone else deletes one

    response = administrator_client.post(check_url)

    assert response.context["form"].errors["is_active"] == [refusal_message(DEACTIVATE)]
    _unchanged(ann)


def test_a_save_that_loses_the_race_in_the_service_gets_the_stop_page(
    administrator, administrator_client, colleagues, monkeypatch
):
    ann, bea = colleagues[:2]
    check_url = _answered_inactive(administrator_client, ann)
    user_delete(actor=administrator, user_id=bea.pk)
    # As if the other deletion committed after the page asked, and before the service locked the rows.
    monkeypatch.setattr("accounts.forms.support_user_removal_refusal", lambda *args, **kwargs: None)

    response = administrator_client.post(check_url)

    assert response.status_code == 409
    assert page_title(response) == f"{CANNOT_COMPLETE} - Register of training providers"
    assert f"{CANNOT_COMPLETE} {refusal_message(DEACTIVATE)}" in text(response)
    _unchanged(ann)


def test_with_room_to_spare_the_pages_work_as_before(administrator, administrator_client, colleagues):
    ann = colleagues[0]
    assert administrator_client.get(_delete_url(ann)).status_code == 200

    response = administrator_client.post(_delete_url(ann), follow=True)

    assert "User deleted" in text(response)
    assert User.objects.get(pk=ann.pk).is_deleted
