"""Giving someone access to one provider, and removing it: checked, written through guardian, recorded."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.shortcuts import get_perms

from accounts.permissions import SYSTEM
from registry import permissions
from registry.models import Provider, ProviderAccessChange, ProviderUserObjectPermission
from registry.register_version import register_version
from registry.services.provider_access import (
    PROVIDER_ACCESS_MESSAGES,
    ProviderAccessNotHeld,
    provider_access_grant,
    provider_access_holders,
    provider_access_remove,
)
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    InactiveUserFactory,
    ProviderFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

History = ProviderAccessChange.history.model


@pytest.fixture
def provider(db):
    return ProviderFactory(operating_name="Ash Tree SCITT")


@pytest.fixture
def person(db):
    return UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")


@pytest.fixture
def security_log(caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        yield caplog


def _events(caplog, name: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "security" and record.msg == name]


def _fresh(user):
    """The account as a new request loads it: no permissions remembered from earlier checks."""
    return type(user).objects.get(pk=user.pk)


def _nothing_written(provider) -> bool:
    return (
        not ProviderUserObjectPermission.objects.filter(content_object=provider).exists()
        and not ProviderAccessChange.objects.exists()
        and not History.objects.exists()
    )


class TestGive:
    def test_gives_the_access_through_guardian_and_records_who_gave_it(self, administrator, provider, person):
        other = ProviderFactory()

        record = provider_access_grant(actor=administrator, provider=provider, user=person, access="change")

        assert get_perms(person, provider) == ["change_provider"]
        assert permissions.user_can_change_provider(_fresh(person), provider)
        assert not permissions.user_can_change_provider(_fresh(person), other)
        assert (record.provider, record.user, record.access, record.change, record.changed_by) == (
            provider,
            person,
            "change",
            "given",
            administrator,
        )
        [history] = History.objects.all()
        assert history.history_user == administrator
        assert history.history_change_reason == "Access given to Mary Lawson: change this provider"
        assert provider_access_holders(provider=provider) == [(person, "change")]

    def test_view_access_lets_them_read_the_provider_without_a_role_but_not_change_it(
        self, administrator, provider, person
    ):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="view")

        assert permissions.user_can_view_provider(_fresh(person), provider)
        assert not permissions.user_can_change_provider(_fresh(person), provider)
        assert History.objects.get().history_change_reason == "Access given to Mary Lawson: view this provider"

    def test_giving_the_other_access_replaces_the_first(self, administrator, provider, person):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="view")

        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")

        assert get_perms(person, provider) == ["change_provider"]
        assert provider_access_holders(provider=provider) == [(person, "change")]
        assert ProviderAccessChange.objects.count() == 2

    def test_the_same_access_again_is_refused(self, administrator, provider, person):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")

        with pytest.raises(ValidationError) as refused:
            provider_access_grant(actor=administrator, provider=provider, user=person, access="change")

        assert refused.value.message_dict == {
            "access": ["Mary Lawson can already change this provider and its records"]
        }
        assert ProviderAccessChange.objects.count() == 1

    def test_an_unknown_access_is_refused(self, administrator, provider, person):
        with pytest.raises(ValidationError) as refused:
            provider_access_grant(actor=administrator, provider=provider, user=person, access="delete")

        assert refused.value.message_dict == {"access": [PROVIDER_ACCESS_MESSAGES["access_required"]]}
        assert _nothing_written(provider)

    @pytest.mark.parametrize(
        "make_recipient",
        [
            pytest.param(ApiUserFactory, id="api-user"),
            pytest.param(InactiveUserFactory, id="inactive"),
            pytest.param(lambda: UserFactory(deleted=True), id="deleted"),
        ],
    )
    def test_only_an_active_support_user_may_be_given_access(self, administrator, provider, make_recipient):
        recipient = make_recipient()

        with pytest.raises(ValidationError) as refused:
            provider_access_grant(actor=administrator, provider=provider, user=recipient, access="change")

        assert refused.value.message_dict == {"user": ["Select an active support user"]}
        assert _nothing_written(provider)

    def test_an_account_deactivated_since_it_was_chosen_is_refused(self, administrator, provider, person):
        chosen = _fresh(person)
        type(person).objects.filter(pk=person.pk).update(is_active=False)

        with pytest.raises(ValidationError):
            provider_access_grant(actor=administrator, provider=provider, user=chosen, access="change")

        assert _nothing_written(provider)

    def test_nobody_gives_themselves_access(self, administrator, provider):
        with pytest.raises(ValidationError) as refused:
            provider_access_grant(actor=administrator, provider=provider, user=administrator, access="change")

        assert refused.value.message_dict == {"user": ["Select someone other than yourself"]}
        assert _nothing_written(provider)

    def test_a_deleted_provider_is_not_found(self, administrator, person):
        deleted = ProviderFactory(archived=True, deleted=True)

        with pytest.raises(Provider.DoesNotExist):
            provider_access_grant(actor=administrator, provider=deleted, user=person, access="change")

    def test_a_very_long_name_is_shortened_in_the_reason_history_keeps(self, administrator, provider):
        person = UserFactory(first_name="M" * 150, last_name="L" * 150)

        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")

        reason = History.objects.get().history_change_reason
        assert len(reason) == 100
        assert reason.startswith("Access given to MMM")
        assert reason.endswith("…: change this provider")

    def test_the_service_itself_may_give_access_recorded_with_nobody(self, provider, person):
        record = provider_access_grant(actor=SYSTEM, provider=provider, user=person, access="change")

        assert record.changed_by is None
        assert History.objects.get().history_user is None

    def test_the_api_does_not_show_access_so_the_register_version_stays(self, administrator, provider, person):
        before = register_version()

        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")
        provider_access_remove(actor=administrator, provider=provider, user=person)

        assert register_version() == before


class TestRemove:
    def test_removes_the_access_and_records_who_removed_it(self, administrator, provider, person):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")

        record = provider_access_remove(actor=administrator, provider=provider, user=person)

        assert get_perms(person, provider) == []
        assert not permissions.user_can_change_provider(_fresh(person), provider)
        assert (record.access, record.change, record.changed_by) == ("change", "removed", administrator)
        latest = History.objects.order_by("-history_id").first()
        assert latest.history_change_reason == "Access removed from Mary Lawson: change this provider"
        assert latest.history_user == administrator
        assert provider_access_holders(provider=provider) == []

    def test_anyones_access_may_be_removed_whatever_their_account_has_become(self, administrator, provider, person):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="view")
        type(person).objects.filter(pk=person.pk).update(is_active=False)

        provider_access_remove(actor=administrator, provider=provider, user=_fresh(person))

        assert get_perms(person, provider) == []

    def test_someone_without_access_is_refused(self, administrator, provider, person):
        with pytest.raises(ProviderAccessNotHeld) as refused:
            provider_access_remove(actor=administrator, provider=provider, user=person)

        assert refused.value.messages == ["Mary Lawson does not have access to this provider"]
        assert not ProviderAccessChange.objects.exists()


@pytest.mark.parametrize(
    "make_actor",
    [
        pytest.param(SupportEditorFactory, id="editor"),
        pytest.param(SupportViewerFactory, id="viewer"),
        pytest.param(AuditorFactory, id="auditor"),
        pytest.param(UserFactory, id="no-role"),
        pytest.param(lambda: None, id="nobody"),
    ],
)
def test_only_support_administrators_give_or_remove_access(administrator, provider, person, make_actor):
    actor = make_actor()
    provider_access_grant(actor=administrator, provider=provider, user=person, access="view")
    recipient = UserFactory()

    with pytest.raises(PermissionDenied):
        provider_access_grant(actor=actor, provider=provider, user=recipient, access="change")
    with pytest.raises(PermissionDenied):
        provider_access_remove(actor=actor, provider=provider, user=person)

    assert get_perms(recipient, provider) == []
    assert get_perms(person, provider) == ["view_provider"]
    assert ProviderAccessChange.objects.count() == 1


class TestSecurityEvents:
    def test_each_change_is_logged_once_it_commits(
        self, administrator, provider, person, security_log, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            provider_access_grant(actor=administrator, provider=provider, user=person, access="change")
        assert _events(security_log, "provider_access_granted") == []
        for callback in callbacks:
            callback()

        with django_capture_on_commit_callbacks(execute=True):
            provider_access_remove(actor=administrator, provider=provider, user=person)

        [granted] = _events(security_log, "provider_access_granted")
        [removed] = _events(security_log, "provider_access_removed")
        for event, access in ((granted, "change"), (removed, "change")):
            assert (event.outcome, event.actor_id, event.target, event.user_id, event.access) == (
                "success",
                str(administrator.pk),
                str(provider.pk),
                str(person.pk),
                access,
            )

    def test_a_refused_change_logs_nothing(
        self, administrator, provider, security_log, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            provider_access_grant(actor=administrator, provider=provider, user=ApiUserFactory(), access="change")

        assert _events(security_log, "provider_access_granted") == []
