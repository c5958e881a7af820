import pytest

from tests.factories import SupportEditorFactory


@pytest.fixture
def actor(db):
    """Someone allowed to make every change: a support editor (test_permissions.py tests who is refused)."""
    return SupportEditorFactory(first_name="Mary", last_name="Lawson")
