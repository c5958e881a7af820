import uuid

from django.db import models
from django.utils import timezone

from registry.register_version import register_changed


class KeptQuerySet(models.QuerySet):
    def kept(self):
        """Rows that have not been deleted. Deleting is soft everywhere, so history keeps its subject."""
        return self.filter(deleted_at__isnull=True)


class RegisterRecord(models.Model):
    """What every record in the register has: a UUID, timestamps and a soft delete."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = KeptQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every change to a record (deleting and archiving included) is a save: pages and counts
        # cached under the register's version must not outlive it.
        register_changed(using=kwargs.get("using") or self._state.db)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
