"""Fixtures shared by the tests of API clients and of the API: a cache of each test's own, API users
and their tokens."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from accounts.api_clients import services
from tests.factories import ApiUserFactory

TOKEN_PATTERN = r"rotp_(?:live|test|dev)_[A-Za-z0-9_-]{43}_[0-9A-Za-z]{6}"


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A cache for this test alone, so that counts and token checks never leak between tests, nor
    between test runs sharing one Redis (REDIS_URL)."""
    prefix = f"test-{uuid.uuid4().hex}"
    default = dict(django_settings.CACHES["default"])
    default["KEY_PREFIX"] = prefix
    if default["BACKEND"].endswith("LocMemCache"):
        default["LOCATION"] = prefix
    settings.CACHES = {"default": default}
    yield
    if default["BACKEND"].endswith("RedisCache"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture
def api_user(db):
    return ApiUserFactory(first_name="Ada", last_name="Lovelace", email="ada.lovelace@education.gov.uk")


@pytest.fixture
def other_api_user(db):
    return ApiUserFactory(first_name="Grace", last_name="Hopper", email="grace.hopper@education.gov.uk")


def issue(user, name="Student record system", **kwargs):
    """Add a client for `user`, returning the client and its token's plaintext."""
    client, issued = services.api_client_create(actor=user, name=name, **kwargs)
    return client, issued.secret


@pytest.fixture
def api_client_and_token(api_user):
    return issue(api_user)


@pytest.fixture
def token(api_client_and_token):
    return api_client_and_token[1]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def mistyped(token: str) -> str:
    """The token with its last character changed (so its checksum no longer matches)."""
    return token[:-1] + ("0" if token[-1] != "0" else "1")
