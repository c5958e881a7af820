"""`manage.py email_worker`: the email worker, django-tasks-db's `db_worker` on the emails queue.

Before it takes its first task, it queues again any email whose task was lost with a worker that
died (accounts.emails.tasks.emails_overdue_requeue): a worker is started again after it stops,
whatever stopped it, so nothing waits for long.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from accounts.emails.tasks import emails_overdue_requeue


class Command(DatabaseWorkerCommand):
    help = "Send the emails in the outbox (db_worker on the emails queue), after queueing any that were lost."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="emails")

    def handle(self, *args, **options):
        emails_overdue_requeue()
        return super().handle(*args, **options)
