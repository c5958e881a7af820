"""Whether the API is on: the switch support administrators turn it off and on with, without a deploy.

One row, always the same one (`ApiAccess.load()`); changed only by `accounts.api_access.api_access_switch`,
which records who changed it in its history, as every other change is recorded. The API reads it
through the shared cache (`accounts.api_access`), not from here, so a change reaches every process at
once.
"""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity

SINGLE_ROW_ID = 1


class ApiAccess(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLE_ROW_ID, editable=False)
    is_on = models.BooleanField("API switched on", default=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], cascade_delete_history=False, bases=[IndexedForActivity]
    )

    class Meta:
        verbose_name = "API access"
        verbose_name_plural = "API access"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=SINGLE_ROW_ID), name="accounts_apiaccess_one_row"),
        ]

    def __str__(self):
        return "API access"

    @classmethod
    def load(cls) -> "ApiAccess":
        """The one row; before anyone has switched the API, an unsaved row with the API on."""
        return cls.objects.filter(pk=SINGLE_ROW_ID).first() or cls(pk=SINGLE_ROW_ID)
