import pytest

from accounts.models import User
from registry.activity.sources import ACTIVITY_SOURCES, ActivitySource, activity_source
from tests.factories import AuditorFactory, SupportViewerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_users_are_a_source_named_as_the_page_names_them():
    users = activity_source("accounts.user")

    assert users in ACTIVITY_SOURCES
    assert users.record_type == "User"
    assert users.history_model is User.history.model


def test_only_fields_people_edit_are_listed_and_noise_is_not():
    shown = [field.name for field in activity_source("accounts.user").shown_fields()]

    assert shown == [
        "is_superuser",
        "first_name",
        "last_name",
        "email",
        "is_api_user",
        "is_active",
        "role",
        "dfe_sign_in_uid",
    ]
    for noise in ("id", "is_staff", "created_at", "deleted_at", "password", "updated_at", "last_signed_in_at"):
        assert noise not in shown


def test_soft_deleted_records_no_longer_exist():
    kept, deleted = UserFactory(), UserFactory(deleted=True)

    assert activity_source("accounts.user").existing_record_ids([kept.pk, deleted.pk]) == {kept.pk}
    assert ActivitySource(User).existing_record_ids([kept.pk, deleted.pk]) == {kept.pk, deleted.pk}


def test_who_may_open_records_defaults_to_the_view_permission():
    assert ActivitySource(User).viewer_can_open_records(SupportViewerFactory())
    assert not ActivitySource(User).viewer_can_open_records(AuditorFactory())


def test_records_are_named_as_they_were_at_the_change():
    user = UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")
    user.first_name = "Maria"
    user.save()
    first, second = user.history.order_by("history_date", "history_id")

    assert [activity_source("accounts.user").record_name(row) for row in (first, second)] == [
        "Mary Lawson",
        "Maria Lawson",
    ]
    assert ActivitySource(User, name_record=lambda row: row.email).record_name(second) == user.email


def test_unknown_record_type():
    assert activity_source("accounts.email") is None
