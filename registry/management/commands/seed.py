"""Load the seed data in fixtures/ into a database that has none yet.

`make run` calls this each time. Loading every provider takes a while, and loading again would put
the fixture values back over any local change, so a database that already has accounts is left as
it is; `manage.py loaddata fixtures/*.json` reloads on purpose.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

from accounts.models import User


class Command(BaseCommand):
    help = "Load fixtures/ into a database that has no accounts yet."

    def handle(self, *args, **options):
        if User.objects.exists():
            self.stdout.write("The database already has data: fixtures not loaded again.")
            return
        fixtures = sorted(str(path) for path in Path(settings.BASE_DIR, "fixtures").glob("*.json"))
        call_command("loaddata", *fixtures, verbosity=options["verbosity"])
