"""The one signal receiver the project keeps, and why it is one.

Loading fixtures is seeding a database, not a change anyone made. django-simple-history already
skips the rows `loaddata` saves, but not the many-to-many links (academic years) that loaddata sets
after each row, which would otherwise open the Activity page with thousands of unattributed
"updated" entries. Only a receiver sees a raw save, so this stays a signal.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, dispatch_uid="registry.fixtures_write_no_history")
def fixtures_write_no_history(sender, instance, raw, **kwargs):
    if raw:
        instance.skip_history_when_saving = True
