import pytest

from accounts.models import User
from tests.factories import AuditorFactory


@pytest.fixture
def auditor(db):
    """Reads every change, but may not open the users' own pages."""
    return AuditorFactory(first_name="Omar", last_name="Hassan", email="omar.hassan@education.gov.uk")


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor, backend="accounts.backends.ServiceAccountBackend")
    return client


@pytest.fixture
def forget_history():
    """Clears the history written so far (factories save with no actor), for exact counts.

    A later change to a record added before it has no earlier record to compare with, so it lists
    no field changes: tests of those add their records after forgetting, or do not forget.
    """

    def forget():
        User.history.all().delete()

    return forget
