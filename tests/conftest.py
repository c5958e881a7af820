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


@pytest.fixture
def administrator(db):
    """A support administrator: may manage every account but their own."""
    return SupportAdministratorFactory(first_name="Anne", last_name="Wilson", email="anne.wilson@education.gov.uk")


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator, backend="accounts.backends.ServiceAccountBackend")
    return client
