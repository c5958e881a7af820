import pytest


@pytest.fixture
def failing_client(client):
    """The test client, answering a view's exception with the error page as a browser would get it."""
    client.raise_request_exception = False
    return client
