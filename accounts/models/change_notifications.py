"""What a support user asked to be emailed about when the register changes, and how far their emails got.

One row per person, made when they first set up email notifications (accounts.notifications). The
register's change record (`registry.models.ProviderChange`) numbers every change with a position
that only grows; `covered_position` is the last position this person's emails have dealt with, so
the next email holds exactly the changes after it: none twice, none missed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ChangeNotifications(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", "Once a day"
        WEEKLY = "weekly", "Once a week"
        EACH_TIME = "each_time", "Each time a provider is updated (you may get more than one email a day)"
        NEVER = "never", "I do not want to receive emails"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_notifications")
    frequency = models.CharField("how often", max_length=16, choices=Frequency.choices, default=Frequency.NEVER)
    # The topics of `registry.models.ProviderChange.Topic` the person chose ("details", "addresses"…).
    topics = models.JSONField("what changes", default=list, blank=True)
    # The last register position the person's emails have dealt with (sent, or left out as not theirs
    # to be told about), and when that was: a digest is due a day or a week after it.
    covered_position = models.BigIntegerField(default=0, editable=False)
    covered_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    # Only the person's choices are history; how far their emails got changes with every email.
    history = HistoricalRecords(
        excluded_fields=["covered_position", "covered_at", "created_at", "updated_at"], cascade_delete_history=False
    )

    class Meta:
        verbose_name = "email notification settings"
        verbose_name_plural = "email notification settings"
        indexes = [models.Index(fields=["frequency", "covered_at"], name="accounts_notifications_due_idx")]

    def __str__(self):
        return f"Email notifications: {self.get_frequency_display()}"

    @property
    def is_on(self) -> bool:
        return self.frequency != self.Frequency.NEVER
