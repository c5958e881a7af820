import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.factories import ApiUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_among_kept_accounts_whatever_its_case():
    UserFactory(email="mary.lawson@education.gov.uk")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="Mary.Lawson@education.gov.uk")


def test_email_of_a_deleted_account_can_be_reused():
    UserFactory(email="mary.lawson@education.gov.uk", deleted=True)

    UserFactory(email="mary.lawson@education.gov.uk")

    assert User.objects.filter(email="mary.lawson@education.gov.uk").count() == 2


@pytest.mark.parametrize("field", ["is_staff", "is_superuser"])
def test_database_refuses_an_api_user_with_web_access(field):
    user = ApiUserFactory()
    setattr(user, field, True)

    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_database_refuses_an_api_user_with_a_usable_password():
    user = ApiUserFactory()
    user.set_password("correct horse battery staple")

    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_manager_creates_accounts_without_usable_passwords():
    user = User.objects.create_user(" Mary.Lawson@Education.gov.uk ", first_name="Mary", last_name="Lawson")

    assert user.email == "mary.lawson@education.gov.uk"
    assert not user.has_usable_password()
    assert user.is_staff


def test_history_leaves_out_passwords_and_sign_in_times():
    fields = {field.name for field in User.history.model._meta.get_fields()}

    assert "password" not in fields
    assert "last_signed_in_at" not in fields
    assert {"first_name", "email", "is_api_user", "is_active", "deleted_at"} <= fields
