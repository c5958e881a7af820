import pytest
from django_tasks_db.management.commands.db_worker import Worker

from tests.support.fake_notify import fake_notify  # noqa: F401  (a fixture)


@pytest.fixture
def run_worker():
    """Run the real database worker, as `manage.py db_worker --batch` does, until no task is due.

    Tests that use it need `@pytest.mark.django_db(transaction=True)`: the worker commits.
    """

    def run() -> None:
        Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
        ).run()

    return run
