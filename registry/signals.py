"""The one signal receiver the project keeps, and why it is one.

Loading fixtures is seeding a database, not a change anyone made. django-simple-history already
skips the rows `loaddata` saves, but not the many-to-many links (academic years) that loaddata sets
after each row, which would otherwise open the Activity page with thousands of unattributed
"updated" entries. Only a receiver sees a raw save, so this stays a signal.

The same goes for telling the register's version that the register changed: a record's save()
does, but a raw save and a many-to-many change (an academic year added to a partnership) do not
pass through it.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from registry.models.base import RegisterRecord
from registry.register_version import register_changed


@receiver(post_save, dispatch_uid="registry.fixtures_write_no_history")
def fixtures_write_no_history(sender, instance, raw, **kwargs):
    if raw:
        instance.skip_history_when_saving = True
        # A raw save bypasses the model's save(), which would otherwise say the register changed.
        if isinstance(instance, RegisterRecord):
            register_changed(using=kwargs.get("using"))


@receiver(m2m_changed, dispatch_uid="registry.links_change_register")
def links_change_register(sender, instance, action, model, using, **kwargs):
    if action.startswith("post_") and (isinstance(instance, RegisterRecord) or issubclass(model, RegisterRecord)):
        register_changed(using=using)
