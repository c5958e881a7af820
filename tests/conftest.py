import pytest

from tests.factories import SupportAdministratorFactory


@pytest.fixture
def administrator(db):
    """A support administrator: may manage every account but their own."""
    return SupportAdministratorFactory(first_name="Anne", last_name="Wilson", email="anne.wilson@education.gov.uk")


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator, backend="accounts.backends.ServiceAccountBackend")
    return client
