"""`manage.py send_change_digests`: email support users the register's changes they asked to be told about.

Run every minute by a scheduler (docs/deploy.md, "Scheduled jobs"). Each run queues, in the email
outbox, the daily and weekly digests that are due (the first run after 7am UK time; weekly, the
seventh day) and an email for each provider changed and then left alone for a minute, for those who
want one each time. Safe to run late, again, or twice at once: see accounts.notifications.sending.
"""

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from accounts.notifications.sending import change_notifications_send


class Command(BaseCommand):
    help = "Queue the email notifications of changes to the register that are due (digests and each-time emails)."

    def handle(self, *args, **options):
        templates = (settings.GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST, settings.GOVUK_NOTIFY_TEMPLATE_PROVIDER_CHANGED)
        if settings.GOVUK_NOTIFY_API_KEY and not all(templates):
            # Nothing is queued, and nobody's place moves on: once the templates are set, nothing is lost.
            raise CommandError(
                "Set GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST and GOVUK_NOTIFY_TEMPLATE_PROVIDER_CHANGED to send "
                "email notifications through GOV.UK Notify."
            )
        sent = change_notifications_send()
        self.stdout.write(f"{sent.digests} digest(s) and {sent.provider_emails} provider email(s) queued.")
