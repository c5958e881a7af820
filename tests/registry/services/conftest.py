import pytest

from tests.factories import SupportEditorFactory


@pytest.fixture
def actor(db):
    """Someone already allowed to make the change: services leave permission checks to their callers."""
    return SupportEditorFactory(first_name="Mary", last_name="Lawson")
