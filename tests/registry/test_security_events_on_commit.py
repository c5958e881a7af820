"""Security events for writes are logged once the write is committed: never for a write rolled back.

Two administrators deleting each other at once on PostgreSQL: one request deadlocks and is answered
503, its transaction rolled back. Its "user_deleted" must not be in the log as a success.
"""

import logging

import pytest
from django.db import OperationalError, transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create, user_delete, user_update
from registry.security_events import security_event_on_commit
from tests.factories import SupportViewerFactory, UserFactory


class RolledBack(Exception):
    pass


def in_a_transaction_rolled_back(work) -> None:
    with transaction.atomic():
        work()
        raise RolledBack


@pytest.fixture(autouse=True)
def security_log(caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        yield caplog


def events(caplog, name: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "security" and record.msg == name]


# --- The helper, against real commits and rollbacks ------------------------------------------------

real_transactions = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@real_transactions
def test_an_event_in_a_transaction_that_rolls_back_is_never_logged(caplog):
    with pytest.raises(RolledBack):
        in_a_transaction_rolled_back(lambda: security_event_on_commit("user_deleted", target="someone"))

    assert events(caplog, "user_deleted") == []


@real_transactions
def test_an_event_is_logged_when_its_transaction_commits_and_not_before(caplog):
    with transaction.atomic():
        security_event_on_commit("user_deleted", target="someone", reason="a detail")
        assert events(caplog, "user_deleted") == []

    [event] = events(caplog, "user_deleted")
    assert (event.outcome, event.target, event.reason, event.levelno) == (
        "success",
        "someone",
        "a detail",
        logging.INFO,
    )


@real_transactions
def test_a_savepoint_rolled_back_drops_only_its_own_events(caplog):
    with transaction.atomic():
        security_event_on_commit("role_changed", target="kept")
        with pytest.raises(RolledBack):
            in_a_transaction_rolled_back(lambda: security_event_on_commit("role_changed", target="rolled back"))

    assert [event.target for event in events(caplog, "role_changed")] == ["kept"]


@real_transactions
def test_outside_a_transaction_an_event_is_logged_at_once(caplog):
    security_event_on_commit("user_deleted", target="someone")

    assert len(events(caplog, "user_deleted")) == 1


# --- The services -----------------------------------------------------------------------------------
# Each service runs in its own transaction; here a failure part way (a deadlock, the database going
# away) rolls it back, as it would at the end of a request answered 503.


def deadlock(*args, **kwargs):
    raise OperationalError("deadlock detected")


@pytest.fixture
def colleagues(db):
    # Enough active accounts that no "minimum active users" rule stands in the way of a deletion.
    return SupportViewerFactory.create_batch(5)


def test_a_deletion_rolled_back_is_not_logged(
    administrator, colleagues, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    user = UserFactory()
    monkeypatch.setattr("accounts.services.email_queue_account_removed", deadlock)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OperationalError):
        user_delete(actor=administrator, user_id=user.pk)

    assert not User.objects.get(pk=user.pk).is_deleted
    assert events(caplog, "user_deleted") == []
    assert events(caplog, "sessions_ended") == []


def test_a_deletion_committed_is_logged_once(administrator, colleagues, caplog, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(actor=administrator, user_id=user.pk)
        assert events(caplog, "user_deleted") == []

    [event] = events(caplog, "user_deleted")
    assert (event.outcome, event.actor_id, event.target) == ("success", str(administrator.pk), str(user.pk))


def test_access_and_role_changes_rolled_back_are_not_logged(
    administrator, colleagues, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    user = SupportViewerFactory()
    monkeypatch.setattr("accounts.services.api_tokens_revoke_for_user", deadlock)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OperationalError):
        user_update(
            actor=administrator,
            user_id=user.pk,
            changes={"is_active": False, "role": Role.SUPPORT_EDITOR.value},
            seen_updated_at=user.updated_at,
        )

    user.refresh_from_db()
    assert (user.is_active, user.role) == (True, Role.SUPPORT_VIEWER.value)
    assert events(caplog, "access_changed") == []
    assert events(caplog, "role_changed") == []
    assert events(caplog, "sessions_ended") == []


def test_access_and_role_changes_committed_are_logged(
    administrator, colleagues, caplog, django_capture_on_commit_callbacks
):
    user = SupportViewerFactory()

    with django_capture_on_commit_callbacks(execute=True):
        user_update(
            actor=administrator,
            user_id=user.pk,
            changes={"is_active": False, "role": Role.SUPPORT_EDITOR.value},
            seen_updated_at=user.updated_at,
        )

    [access] = events(caplog, "access_changed")
    assert (access.is_active, access.was_active, access.target) == (False, True, str(user.pk))
    [role] = events(caplog, "role_changed")
    assert role.role == Role.SUPPORT_EDITOR.value


def test_a_role_given_to_an_account_rolled_back_is_not_logged(
    administrator, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("accounts.services.email_queue_sign_in_details", deadlock)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OperationalError):
        user_create(
            actor=administrator,
            first_name="Nia",
            last_name="Jones",
            email="nia.jones@education.gov.uk",
            is_api_user=False,
            role=Role.SUPPORT_EDITOR.value,
        )

    assert not User.objects.filter(email="nia.jones@education.gov.uk").exists()
    assert events(caplog, "role_changed") == []
    assert events(caplog, "user_created") == []


def _fields(record: logging.LogRecord) -> str:
    return repr(vars(record))


def test_adding_a_user_is_logged_once_committed_naming_them_by_id_alone(
    administrator, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(
            actor=administrator,
            first_name="Nia",
            last_name="Jones",
            email="nia.jones@education.gov.uk",
            is_api_user=False,
        )
        assert events(caplog, "user_created") == []

    [event] = events(caplog, "user_created")
    assert (event.outcome, event.actor_id, event.target, event.is_api_user) == (
        "success",
        str(administrator.pk),
        str(user.pk),
        False,
    )
    for personal in ("Nia", "Jones", "nia.jones"):
        assert personal not in _fields(event)


def test_changing_a_name_or_email_is_logged_with_what_changed_but_not_its_values(
    administrator, caplog, django_capture_on_commit_callbacks
):
    user = UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")

    with django_capture_on_commit_callbacks(execute=True):
        user_update(
            actor=administrator,
            user_id=user.pk,
            changes={"first_name": "Marie", "last_name": "Lawson", "email": "marie.lawson@education.gov.uk"},
            seen_updated_at=user.updated_at,
        )

    [event] = events(caplog, "user_details_changed")
    assert (event.outcome, event.actor_id, event.target, event.fields) == (
        "success",
        str(administrator.pk),
        str(user.pk),
        ["email", "first_name"],
    )
    for personal in ("Mary", "Marie", "mary.lawson", "marie.lawson"):
        assert personal not in _fields(event)


def test_a_change_of_name_rolled_back_is_not_logged(
    administrator, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    user = UserFactory(last_name="Lawson")
    monkeypatch.setattr("accounts.services.api_tokens_revoke_for_user", deadlock)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OperationalError):
        user_update(
            actor=administrator, user_id=user.pk, changes={"last_name": "Reid"}, seen_updated_at=user.updated_at
        )

    assert events(caplog, "user_details_changed") == []


def test_a_change_of_access_alone_is_not_a_change_of_details(
    administrator, colleagues, caplog, django_capture_on_commit_callbacks
):
    user = SupportViewerFactory()

    with django_capture_on_commit_callbacks(execute=True):
        user_update(actor=administrator, user_id=user.pk, changes={"is_active": False}, seen_updated_at=user.updated_at)

    assert len(events(caplog, "access_changed")) == 1
    assert events(caplog, "user_details_changed") == []
