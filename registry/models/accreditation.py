from django.db import models
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity
from registry.models.base import RegisterRecord


class Accreditation(RegisterRecord):
    """A period in which a provider is accredited to offer initial teacher training."""

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="accreditations")
    number = models.CharField("accredited provider number", max_length=4, db_index=True)
    starts_on = models.DateField("accreditation start date")
    ends_on = models.DateField("accreditation end date", null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], cascade_delete_history=False, bases=[IndexedForActivity]
    )

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="registry_accreditation_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"Accreditation {self.number}"
