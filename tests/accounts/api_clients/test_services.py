import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.api_clients import selectors, services, tokens
from accounts.models import ApiClient, ApiToken, ApiTokenStatus
from tests.accounts.api_clients.fixtures import issue
from tests.factories import ApiUserFactory, SupportAdministratorFactory, SupportViewerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> dict:
    return {field: [e.message for e in errors] for field, errors in error.error_dict.items()}


# ---------------------------------------------------------------------------------------------------
# Adding a client
# ---------------------------------------------------------------------------------------------------


def test_adding_a_client_issues_a_token_that_expires_in_6_months_by_default(api_user):
    before = timezone.now()
    client, issued = services.api_client_create(actor=api_user, name="  Student record system  ")
    assert client.owner == api_user
    assert client.name == "Student record system"
    token = issued.record
    assert token.client == client
    assert token.created_by == api_user
    assert services.months_ahead(before, 6) <= token.expires_at <= services.months_ahead(timezone.now(), 6)
    assert token.token_hash == tokens.token_hash(issued.secret)
    assert token.hint == tokens.token_hint(issued.secret)
    assert token.status() == ApiTokenStatus.ACTIVE


def test_the_issued_token_never_shows_its_plaintext_in_its_repr(api_user):
    _, issued = services.api_client_create(actor=api_user, name="A")
    assert issued.secret not in repr(issued)
    assert issued.secret not in str(issued.record)


@pytest.mark.parametrize(
    ("expires_in", "message"),
    [
        (datetime.timedelta(seconds=-1), "Expiry date must be in the future"),
        (datetime.timedelta(0), "Expiry date must be in the future"),
        (datetime.timedelta(days=366), "Expiry date must be within the next 12 months"),
        (datetime.timedelta(days=5 * 365), "Expiry date must be within the next 12 months"),
    ],
)
def test_a_token_expires_in_the_future_and_within_12_months(api_user, expires_in, message):
    with pytest.raises(ValidationError) as error:
        services.api_client_create(actor=api_user, name="A", expires_at=timezone.now() + expires_in)
    assert _messages(error.value) == {"expires_at": [message]}
    assert not ApiClient.objects.exists()


def test_a_token_may_expire_on_any_day_of_the_next_12_months(api_user):
    _, issued = services.api_client_create(
        actor=api_user, name="A", expires_at=services.months_ahead(timezone.now(), 12) - datetime.timedelta(seconds=5)
    )
    assert issued.record.expires_at > timezone.now() + datetime.timedelta(days=364)


def test_months_ahead_keeps_to_the_end_of_short_months():
    moment = datetime.datetime(2025, 8, 31, 12, tzinfo=datetime.UTC)
    assert services.months_ahead(moment, 6) == datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC)
    assert services.months_ahead(moment, 12) == datetime.datetime(2026, 8, 31, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter client name"),
        ("   ", "Enter client name"),
        ("x" * 101, "Client name must be 100 characters or fewer"),
    ],
)
def test_a_client_needs_a_name(api_user, name, message):
    with pytest.raises(ValidationError) as error:
        services.api_client_create(actor=api_user, name=name)
    assert _messages(error.value) == {"name": [message]}


def test_every_field_is_checked_before_refusing(api_user):
    with pytest.raises(ValidationError) as error:
        services.api_client_create(actor=api_user, name="", expires_at=timezone.now())
    assert set(_messages(error.value)) == {"name", "expires_at"}


def test_a_client_name_is_unique_among_the_owners_kept_clients_whatever_its_case(api_user, other_api_user):
    issue(api_user, "Student records")
    with pytest.raises(ValidationError) as error:
        services.api_client_create(actor=api_user, name="STUDENT RECORDS")
    assert _messages(error.value) == {"name": ["Client name must be unique"]}
    assert error.value.error_dict["name"][0].code == "client_name_taken"
    # Another user may use the same name, and so may the owner once the first is revoked.
    issue(other_api_user, "Student records")
    services.api_client_revoke(actor=api_user, client_id=ApiClient.objects.get(owner=api_user).pk)
    issue(api_user, "Student records")


def test_the_database_refuses_a_second_kept_client_of_the_same_name(api_user):
    client, _ = issue(api_user, "Records")
    duplicate = ApiClient(owner=api_user, name="records")
    with pytest.raises(ValidationError, match="Client name must be unique"):
        duplicate.validate_constraints()
    assert client.pk


def test_an_owner_has_at_most_20_clients(api_user):
    for number in range(services.MAX_CLIENTS_PER_OWNER):
        issue(api_user, f"Client {number}")
    with pytest.raises(ValidationError) as error:
        issue(api_user, "One too many")
    assert error.value.code == "too_many_clients"


@pytest.mark.parametrize(
    "make_actor",
    [
        pytest.param(lambda: UserFactory(), id="support user"),
        pytest.param(lambda: SupportAdministratorFactory(), id="administrator"),
        pytest.param(lambda: ApiUserFactory(is_active=False), id="inactive API user"),
        pytest.param(lambda: ApiUserFactory(deleted=True), id="deleted API user"),
    ],
)
def test_only_an_active_api_user_adds_their_own_clients(make_actor):
    with pytest.raises(PermissionDenied):
        services.api_client_create(actor=make_actor(), name="A")
    assert not ApiClient.objects.exists()


def test_an_administrator_adds_an_api_users_first_client_for_them(api_user):
    administrator = SupportAdministratorFactory()
    client, issued = services.api_client_create(actor=administrator, owner=api_user, name="First")
    assert client.owner == api_user
    assert issued.record.created_by == administrator
    assert client.history.get().history_user == administrator
    assert selectors.api_token_identity(issued.secret).user.pk == api_user.pk


@pytest.mark.parametrize(
    ("make_actor", "make_owner"),
    [
        pytest.param(lambda: SupportViewerFactory(), ApiUserFactory, id="viewer"),
        pytest.param(ApiUserFactory, ApiUserFactory, id="another API user"),
        pytest.param(lambda: SupportAdministratorFactory(), UserFactory, id="owner not an API user"),
        pytest.param(
            lambda: SupportAdministratorFactory(), lambda: ApiUserFactory(is_active=False), id="inactive owner"
        ),
    ],
)
def test_nobody_else_adds_clients_for_others(make_actor, make_owner):
    with pytest.raises(PermissionDenied):
        services.api_client_create(actor=make_actor(), owner=make_owner(), name="A")


def test_adding_a_client_is_recorded_as_the_api_users_doing(api_user):
    client, _ = issue(api_user)
    client_history = client.history.get()
    assert client_history.history_user == api_user
    assert client_history.history_change_reason == "API client added"
    token_history = ApiToken.history.get(id=ApiToken.objects.get(client=client).pk)
    assert token_history.history_user == api_user
    assert token_history.history_change_reason == "API token created"


def test_the_token_hash_is_never_in_history(api_user):
    issue(api_user)
    assert "token_hash" not in {field.name for field in ApiToken.history.model._meta.get_fields()}


def test_adding_a_client_is_a_security_event_without_the_token(api_user, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="security"), django_capture_on_commit_callbacks(execute=True):
        client, token = issue(api_user)
    records = [record for record in caplog.records if record.msg == "api_token_created"]
    assert len(records) == 1
    assert records[0].actor_id == str(api_user.pk)
    assert records[0].client == str(client.pk)
    assert token not in caplog.text
    assert all(token not in repr(vars(record)) for record in caplog.records)


# ---------------------------------------------------------------------------------------------------
# Renaming
# ---------------------------------------------------------------------------------------------------


def test_the_owner_renames_a_client(api_user):
    client, _ = issue(api_user, "Old")
    services.api_client_rename(actor=api_user, client_id=client.pk, name=" New ")
    client.refresh_from_db()
    assert client.name == "New"
    assert client.history.first().history_change_reason == "API client renamed"
    assert client.history.first().history_user == api_user


def test_a_rename_to_a_taken_name_is_refused(api_user):
    issue(api_user, "First")
    second, _ = issue(api_user, "Second")
    with pytest.raises(ValidationError, match="Client name must be unique"):
        services.api_client_rename(actor=api_user, client_id=second.pk, name="first")


def test_another_users_client_cannot_be_renamed_as_if_it_did_not_exist(api_user, other_api_user):
    client, _ = issue(other_api_user, "Theirs")
    with pytest.raises(ApiClient.DoesNotExist):
        services.api_client_rename(actor=api_user, client_id=client.pk, name="Mine")
    client.refresh_from_db()
    assert client.name == "Theirs"


# ---------------------------------------------------------------------------------------------------
# Rotating
# ---------------------------------------------------------------------------------------------------


def test_rotating_issues_a_new_token_and_the_old_one_works_for_the_grace_period(api_user):
    client, old_secret = issue(api_user)
    issued = services.api_client_token_rotate(
        actor=api_user, client_id=client.pk, grace_period=datetime.timedelta(hours=2)
    )
    old = ApiToken.objects.get(token_hash=tokens.token_hash(old_secret))
    assert old.status() == ApiTokenStatus.REPLACED
    assert old.grace_ends_at == old.replaced_at + datetime.timedelta(hours=2)
    assert issued.record.status() == ApiTokenStatus.ACTIVE
    assert selectors.api_token_identity(old_secret) is not None
    assert selectors.api_token_identity(issued.secret) is not None


def test_the_grace_period_defaults_to_the_setting_and_is_at_most_7_days(api_user, settings):
    settings.API_TOKEN_ROTATION_GRACE_HOURS = 24
    client, old_secret = issue(api_user)
    services.api_client_token_rotate(actor=api_user, client_id=client.pk)
    old = ApiToken.objects.get(token_hash=tokens.token_hash(old_secret))
    assert old.grace_ends_at - old.replaced_at == datetime.timedelta(hours=24)
    with pytest.raises(ValidationError, match="Grace period must be between 0 and 168 hours"):
        services.api_client_token_rotate(actor=api_user, client_id=client.pk, grace_period=datetime.timedelta(days=8))


def test_a_client_never_has_more_than_two_working_tokens(api_user):
    client, _ = issue(api_user)
    for _ in range(3):
        services.api_client_token_rotate(actor=api_user, client_id=client.pk)
    working = [token for token in client.tokens.all() if token.status() in (ApiTokenStatus.ACTIVE, "replaced")]
    assert len(working) == 2


def test_a_rotation_expiry_is_checked_like_a_new_clients(api_user):
    client, _ = issue(api_user)
    with pytest.raises(ValidationError, match="Expiry date must be within the next 12 months"):
        services.api_client_token_rotate(
            actor=api_user, client_id=client.pk, expires_at=timezone.now() + datetime.timedelta(days=400)
        )


def test_rotating_is_a_security_event_without_either_token(api_user, caplog, django_capture_on_commit_callbacks):
    client, old_secret = issue(api_user)
    with caplog.at_level(logging.INFO, logger="security"), django_capture_on_commit_callbacks(execute=True):
        issued = services.api_client_token_rotate(actor=api_user, client_id=client.pk)
    assert [record.msg for record in caplog.records] == ["api_token_rotated"]
    assert old_secret not in caplog.text
    assert issued.secret not in caplog.text


# ---------------------------------------------------------------------------------------------------
# Revoking
# ---------------------------------------------------------------------------------------------------


def test_revoking_a_client_stops_every_token_of_it_for_good(api_user, caplog, django_capture_on_commit_callbacks):
    client, first = issue(api_user)
    second = services.api_client_token_rotate(actor=api_user, client_id=client.pk).secret
    with caplog.at_level(logging.INFO, logger="security"), django_capture_on_commit_callbacks(execute=True):
        services.api_client_revoke(actor=api_user, client_id=client.pk)
    client.refresh_from_db()
    assert client.deleted_at is not None
    for token in client.tokens.all():
        assert token.status() == ApiTokenStatus.REVOKED
        assert token.revoked_by == api_user
    assert selectors.api_token_identity(first) is None
    assert selectors.api_token_identity(second) is None
    assert [record.msg for record in caplog.records] == ["api_client_revoked"]
    assert first not in caplog.text
    assert second not in caplog.text


def test_a_revoked_client_cannot_be_revoked_again_or_changed(api_user):
    client, _ = issue(api_user)
    services.api_client_revoke(actor=api_user, client_id=client.pk)
    with pytest.raises(ApiClient.DoesNotExist):
        services.api_client_revoke(actor=api_user, client_id=client.pk)
    with pytest.raises(ApiClient.DoesNotExist):
        services.api_client_token_rotate(actor=api_user, client_id=client.pk)


def test_revocation_cannot_be_undone(api_user):
    client, _ = issue(api_user)
    services.api_client_revoke(actor=api_user, client_id=client.pk)
    token = ApiToken.objects.get(client=client)
    token.revoked_at = None
    token.revoked_by = None
    with pytest.raises(ValueError, match="cannot be un-revoked"):
        token.save()
    assert ApiToken.objects.get(client=client).revoked_at is not None


def test_revoking_clears_the_token_from_the_cache_at_once(api_user, django_capture_on_commit_callbacks):
    client, secret = issue(api_user)
    assert selectors.api_token_identity(secret) is not None
    assert selectors.api_token_identity_cached(secret) is not selectors.MISS
    with django_capture_on_commit_callbacks(execute=True):
        services.api_client_revoke(actor=api_user, client_id=client.pk)
    assert selectors.api_token_identity_cached(secret) is None


def test_a_request_that_read_the_token_before_the_revocation_cannot_put_it_back(api_user, monkeypatch):
    client, secret = issue(api_user)
    with monkeypatch.context() as patched:
        # A request read the database while the revocation was being made, and fills the cache after.
        captured = {}
        patched.setattr(selectors.cache, "add", lambda key, value, timeout: captured.setdefault(key, value))
        selectors.api_token_identity(secret)
    services.api_client_revoke(actor=api_user, client_id=client.pk)
    selectors.api_token_cache_refuse([ApiToken.objects.get(client=client).token_hash])  # its commit
    for key, value in captured.items():
        selectors.cache.add(key, value, 60)
    assert selectors.api_token_identity_cached(secret) is None


def test_revoking_every_token_of_a_user(api_user, caplog, django_capture_on_commit_callbacks):
    administrator = SupportAdministratorFactory()
    _, first = issue(api_user, "One")
    second_client, second = issue(api_user, "Two")
    services.api_client_token_rotate(actor=api_user, client_id=second_client.pk)
    _, someone_elses = issue(ApiUserFactory(), "Theirs")
    for secret in (first, second, someone_elses):
        selectors.api_token_identity(secret)
    with caplog.at_level(logging.INFO, logger="security"), django_capture_on_commit_callbacks(execute=True):
        revoked = services.api_tokens_revoke_for_user(user=api_user, actor=administrator)
    assert revoked == 3
    assert not ApiToken.objects.filter(client__owner=api_user, revoked_at__isnull=True).exists()
    assert set(ApiToken.objects.filter(client__owner=api_user).values_list("revoked_by", flat=True)) == {
        administrator.pk
    }
    assert selectors.api_token_identity_cached(first) is None
    assert selectors.api_token_identity_cached(second) is None
    assert selectors.api_token_identity_cached(someone_elses) is not None
    history = ApiToken.history.filter(client__owner=api_user, revoked_at__isnull=False)
    assert {row.history_user for row in history} == {administrator}
    assert [record.msg for record in caplog.records] == ["api_tokens_revoked"]


def test_revoking_a_users_tokens_when_there_are_none(api_user):
    assert services.api_tokens_revoke_for_user(user=api_user, actor=None) == 0


# ---------------------------------------------------------------------------------------------------
# Last used
# ---------------------------------------------------------------------------------------------------


def test_last_used_is_written_at_most_once_an_interval(api_user, settings, django_assert_num_queries):
    settings.API_TOKEN_LAST_USED_INTERVAL_SECONDS = 900
    _, secret = issue(api_user)
    identity = selectors.api_token_identity(secret)
    with django_assert_num_queries(1):
        assert services.api_token_mark_used(identity=identity, token=secret)
    with django_assert_num_queries(0):
        assert not services.api_token_mark_used(identity=identity, token=secret)
    token = ApiToken.objects.get(pk=identity.token_id)
    assert token.last_used_at is not None
    assert token.history.count() == 1  # using a token is not a change to it


def test_a_token_under_an_earlier_key_is_hashed_again_when_used(api_user, settings):
    settings.API_TOKEN_HMAC_KEY = "old" * 12
    _, secret = issue(api_user)
    settings.API_TOKEN_HMAC_KEY = "new" * 12
    settings.API_TOKEN_HMAC_KEY_FALLBACKS = ["old" * 12]
    identity = selectors.api_token_identity(secret)
    assert identity is not None
    services.api_token_mark_used(identity=identity, token=secret)
    assert ApiToken.objects.get(pk=identity.token_id).token_hash == tokens.token_hash(secret)
    settings.API_TOKEN_HMAC_KEY_FALLBACKS = []
    assert selectors.api_token_identity(secret) is not None
