"""At most 3 tries a person in 3 minutes at deleting a user, archiving a provider and deleting a
provider (registry.pages.ratelimit): the counting, on a clock the tests move, then each page.

Each test has a local-memory cache of its own (`own_cache`), as the API's tests do.
"""

import logging

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from registry.models import Provider
from registry.pages import ratelimit
from registry.views import TooManyRequests
from tests.accounts.api_clients.fixtures import own_cache
from tests.factories import ArchivedProviderFactory, ProviderFactory, SupportViewerFactory, UserFactory
from tests.registry.admin.conftest import provider_url
from tests.support.html import page_title, text

__all__ = ["own_cache"]

pytestmark = pytest.mark.django_db

TOO_MANY = "Sorry, there’s a problem completing this action"
WINDOW = 180


@pytest.fixture
def clock(monkeypatch):
    """The rate limit's clock, which the test moves on: `clock.now` seconds."""

    class Clock:
        now = 1_800_000_000.0

        def tick(self, seconds: float) -> None:
            self.now += seconds

    controlled = Clock()
    monkeypatch.setattr(ratelimit, "_now", lambda: controlled.now)
    return controlled


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _tries(request, scope: str, times: int) -> None:
    for _ in range(times):
        ratelimit.action_hit(request, scope)


# --- Counting ------------------------------------------------------------------------------------------


def test_the_production_limit_is_3_in_3_minutes():
    import registry.settings as production

    assert (production.PAGE_ACTION_RATE_LIMIT, production.PAGE_ACTION_RATE_LIMIT_WINDOW_SECONDS) == (3, WINDOW)


def test_the_fourth_try_in_3_minutes_is_refused_with_the_seconds_left(administrator, clock):
    request = _request(administrator)
    _tries(request, "user-delete", 3)
    clock.tick(100)

    with pytest.raises(TooManyRequests) as refused:
        ratelimit.action_hit(request, "user-delete")

    assert refused.value.retry_after == WINDOW - 100


def test_the_window_starts_at_the_first_try_and_a_new_one_after_it(administrator, clock):
    request = _request(administrator)
    ratelimit.action_hit(request, "user-delete")
    clock.tick(179)
    _tries(request, "user-delete", 2)
    with pytest.raises(TooManyRequests) as refused:
        ratelimit.action_hit(request, "user-delete")
    assert refused.value.retry_after == 1

    clock.tick(1)  # 3 minutes after the first try: a new window, whatever the cache still holds
    _tries(request, "user-delete", 3)
    with pytest.raises(TooManyRequests) as refused:
        ratelimit.action_hit(request, "user-delete")
    assert refused.value.retry_after == WINDOW


def test_each_person_and_each_action_is_counted_apart(administrator, clock):
    other = SupportViewerFactory()
    _tries(_request(administrator), "user-delete", 3)

    _tries(_request(other), "user-delete", 3)
    _tries(_request(administrator), "provider-archive", 3)
    _tries(_request(administrator), "provider-delete", 3)


def test_the_first_refusal_of_a_window_is_logged_once(administrator, clock, caplog):
    request = _request(administrator)
    _tries(request, "provider-delete", 3)

    with caplog.at_level(logging.INFO, logger="security"):
        for _ in range(3):
            with pytest.raises(TooManyRequests):
                ratelimit.action_hit(request, "provider-delete")

    [event] = [record for record in caplog.records if record.msg == "page_rate_limited"]
    assert (event.outcome, event.scope, event.limit, event.actor_id) == (
        "denied",
        "provider-delete",
        3,
        str(administrator.pk),
    )


# --- The pages -----------------------------------------------------------------------------------------


def _assert_too_many(response, seconds_left: int) -> None:
    assert response.status_code == 429
    assert page_title(response) == f"{TOO_MANY} - Register of training providers"
    assert "You have tried this action too many times. Try again later." in text(response)
    assert response["Retry-After"] == str(seconds_left)


def test_the_fourth_user_deletion_in_3_minutes_gets_the_too_many_requests_page(administrator_client, clock):
    users = UserFactory.create_batch(4)
    for user in users[:3]:
        assert administrator_client.post(reverse("admin:accounts_user_delete", args=[user.pk])).status_code == 302
        clock.tick(10)

    url = reverse("admin:accounts_user_delete", args=[users[3].pk])
    _assert_too_many(administrator_client.post(url), WINDOW - 30)
    assert not User.objects.get(pk=users[3].pk).is_deleted
    # Only trying is limited: the confirmation page still shows.
    assert administrator_client.get(url).status_code == 200

    clock.tick(WINDOW)
    assert administrator_client.post(url).status_code == 302
    assert User.objects.get(pk=users[3].pk).is_deleted


def test_tries_count_whether_or_not_the_action_succeeds(administrator, administrator_client, clock, settings):
    settings.MINIMUM_ACTIVE_SUPPORT_USERS = 4  # with two support users, deleting either is refused
    user = UserFactory()
    url = reverse("admin:accounts_user_delete", args=[user.pk])
    for _ in range(3):
        assert administrator_client.post(url).status_code == 409

    _assert_too_many(administrator_client.post(url), WINDOW)


def test_a_refusal_of_someone_without_the_right_is_not_a_try(clock):
    viewer, users = SupportViewerFactory(), UserFactory.create_batch(3)
    viewer_client = Client()
    viewer_client.force_login(viewer, backend="accounts.backends.ServiceAccountBackend")
    for _ in range(4):
        assert viewer_client.post(reverse("admin:accounts_user_delete", args=[users[0].pk])).status_code == 403

    assert cache.get(f"ratelimit:page:user-delete:{viewer.pk}") is None


def test_the_fourth_archive_in_3_minutes_gets_the_too_many_requests_page(administrator_client, clock):
    providers = ProviderFactory.create_batch(4)
    for provider in providers[:3]:
        assert administrator_client.post(provider_url("archive", provider.pk)).status_code == 302

    _assert_too_many(administrator_client.post(provider_url("archive", providers[3].pk)), WINDOW)
    assert not Provider.objects.get(pk=providers[3].pk).is_archived
    # Restoring is not limited.
    for provider in providers[:3]:
        assert administrator_client.post(provider_url("restore", provider.pk)).status_code == 302


def test_the_fourth_provider_deletion_in_3_minutes_gets_the_too_many_requests_page(administrator_client, clock):
    providers = ArchivedProviderFactory.create_batch(4)
    for provider in providers[:3]:
        assert administrator_client.post(provider_url("delete", provider.pk)).status_code == 302

    _assert_too_many(administrator_client.post(provider_url("delete", providers[3].pk)), WINDOW)
    assert not Provider.objects.get(pk=providers[3].pk).is_deleted
