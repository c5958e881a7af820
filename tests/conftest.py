import pytest
from django.core.cache import cache

from registry import register_version
from registry.api.page_cache import pages
from tests.factories import SupportAdministratorFactory


@pytest.fixture(autouse=True)
def register_version_new(settings):
    """A register version of its own for each test: the database starts again, so must what is
    cached under the version (API pages, list counts). The API's page cache is on, as with Redis:
    in one process, the local-memory cache is shared by everything that writes and reads."""
    settings.API_PAGE_CACHE_BYTES = 32 * 1024 * 1024
    cache.delete(register_version.CACHE_KEY)
    pages.clear()


@pytest.fixture(autouse=True)
def minimum_active_support_users_off(settings):
    """DfE's rule that 4 active support users remain (accounts.minimum_support_users) is off, except in
    the tests about it (tests/accounts/test_minimum_support_users.py and those it names), which set
    MINIMUM_ACTIVE_SUPPORT_USERS back to its value in production, 4: a test about something else need
    not make four bystanders before it may delete or deactivate someone."""
    settings.MINIMUM_ACTIVE_SUPPORT_USERS = 0


@pytest.fixture
def administrator(db):
    """A support administrator: may manage every account but their own."""
    return SupportAdministratorFactory(first_name="Anne", last_name="Wilson", email="anne.wilson@education.gov.uk")


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator, backend="accounts.backends.ServiceAccountBackend")
    return client
