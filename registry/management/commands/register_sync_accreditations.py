"""The daily job: each provider's accreditation status follows its accreditations' dates.

An accreditation starts or ends on a date, with no one making a change that day, so a scheduler
(cron, or the platform's) runs this once a day, after midnight UK time. See docs/deploy.md.
"""

from django.core.management import BaseCommand

from registry.services.providers import provider_accreditation_status_sync_all


class Command(BaseCommand):
    help = "Bring every provider's accreditation status into line with its accreditations today."

    def handle(self, *args, **options):
        changed = provider_accreditation_status_sync_all()
        self.stdout.write(f"{changed} provider(s) changed accreditation status.")
