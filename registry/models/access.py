"""The record of each time someone is given access to one provider, or has it taken away.

The access itself is a guardian object permission on the provider (`registry.models.permissions`),
which the predicates in `registry.permissions` read. This table is the record of who changed it,
for whom and when: the Activity page and the provider's history list each row. Rows are only ever
added, by `registry.services.provider_access`, each with one history row naming its actor.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity


class ProviderAccessChange(models.Model):
    class Access(models.TextChoices):
        """What someone given access may do, and the permission on the provider that lets them."""

        CHANGE = "change", "Change this provider and its records"
        VIEW = "view", "View this provider"

    class Change(models.TextChoices):
        GIVEN = "given", "Access given"
        REMOVED = "removed", "Access removed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="access_changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="person"
    )
    access = models.CharField("access", max_length=16, choices=Access.choices)
    change = models.CharField("change", max_length=16, choices=Change.choices)
    # Nobody when the service itself made the change (accounts.permissions.SYSTEM).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField("changed at", default=timezone.now, editable=False)

    history = HistoricalRecords(cascade_delete_history=False, bases=[IndexedForActivity])

    class Meta:
        # The record type on the Activity page, "Access": each change's reason starts with it ("Access
        # given to Mary Lawson: change this provider"), so the page shows the reason as the change.
        verbose_name = "access"
        verbose_name_plural = "access changes"
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.get_change_display()}: {self.get_access_display().lower()}"
