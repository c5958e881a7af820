import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import Email, User
from accounts.services import UserChangedElsewhere, user_create, user_delete, user_sign_in, user_update
from tests.factories import SupportAdministratorFactory, SupportViewerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_refuses_someone_without_permission():
    with pytest.raises(PermissionDenied):
        user_create(
            actor=SupportViewerFactory(),
            first_name="A",
            last_name="B",
            email="a@education.gov.uk",
            is_api_user=False,
        )

    assert not User.objects.filter(email="a@education.gov.uk").exists()


def test_losing_a_race_for_an_email_is_a_validation_error_not_a_crash(administrator, monkeypatch):
    """Two support users add the same person at once: the database constraint decides."""
    UserFactory(email="nia.okafor@education.gov.uk")
    # This request checked before the other's account existed; after that, the truth.
    real_check, checks = services._email_in_use, []

    def check_before_the_other_request_saved(email, exclude=None):
        checks.append(email)
        return False if len(checks) == 1 else real_check(email, exclude=exclude)

    monkeypatch.setattr(services, "_email_in_use", check_before_the_other_request_saved)

    with pytest.raises(ValidationError) as error:
        user_create(
            actor=administrator,
            first_name="Nia",
            last_name="Okafor",
            email="nia.okafor@education.gov.uk",
            is_api_user=False,
        )

    assert error.value.error_dict["email"][0].code == "email_taken"
    assert User.objects.filter(email="nia.okafor@education.gov.uk").count() == 1
    assert not Email.objects.exists()


def test_update_refuses_locked_answers_after_first_sign_in(administrator):
    user = UserFactory(signed_in=True, first_name="Colin")

    with pytest.raises(PermissionDenied):
        user_update(actor=administrator, user_id=user.pk, changes={"first_name": "X"}, seen_updated_at=user.updated_at)

    user.refresh_from_db()
    assert user.first_name == "Colin"


def test_update_refuses_a_stale_edit(administrator):
    user = UserFactory()
    seen = user.updated_at - datetime.timedelta(seconds=1)

    with pytest.raises(UserChangedElsewhere):
        user_update(actor=administrator, user_id=user.pk, changes={"is_active": False}, seen_updated_at=seen)

    user.refresh_from_db()
    assert user.is_active


def test_update_without_a_real_change_writes_no_history(administrator):
    user = UserFactory(first_name="Colin")
    before = user.history.count()

    user_update(actor=administrator, user_id=user.pk, changes={"first_name": "Colin"}, seen_updated_at=user.updated_at)

    assert user.history.count() == before


def test_delete_keeps_the_row_for_history(administrator):
    user = UserFactory()

    user_delete(actor=administrator, user_id=user.pk)

    user = User.objects.get(pk=user.pk)
    assert user.is_deleted
    assert not user.can_use_web_interface
    assert user.history.first().history_change_reason == "User deleted"


@pytest.mark.parametrize(
    "factory_kwargs", [{"is_api_user": True, "is_staff": False}, {"is_active": False}, {"deleted": True}]
)
def test_sign_in_is_refused_to_accounts_that_may_not_use_the_web_pages(rf, factory_kwargs):
    user = UserFactory(**factory_kwargs)
    request = rf.get("/")
    request.session = {}

    assert user_sign_in(request=request, user=user) is False
    user.refresh_from_db()
    assert user.last_signed_in_at is None


def test_someone_deleted_while_they_were_deleting_another_is_refused(administrator):
    """Two administrators deleting each other at once: whoever gets the locks second acts as
    someone who no longer exists, and is refused, whatever their account object still says."""
    other_administrator = type(administrator).objects.get(pk=administrator.pk)
    target = UserFactory()
    user_delete(actor=SupportAdministratorFactory(), user_id=administrator.pk)

    with pytest.raises(PermissionDenied):
        user_delete(actor=other_administrator, user_id=target.pk)

    target.refresh_from_db()
    assert target.deleted_at is None
