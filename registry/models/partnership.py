from django.db import models
from simple_history.models import HistoricalRecords

from registry.models.base import RegisterRecord


class Partnership(RegisterRecord):
    """An accredited provider working with a training partner, over some dates and academic years."""

    accredited_provider = models.ForeignKey(
        "registry.Provider", on_delete=models.PROTECT, related_name="partnerships_as_accredited_provider"
    )
    training_partner = models.ForeignKey(
        "registry.Provider", on_delete=models.PROTECT, related_name="partnerships_as_training_partner"
    )
    starts_on = models.DateField("partnership start date", null=True, blank=True)
    ends_on = models.DateField("partnership end date", null=True, blank=True)
    # Indexed with the id instead, for the API's keyset pages (see Meta.indexes).
    updated_at = models.DateTimeField(auto_now=True)
    academic_years = models.ManyToManyField(
        "registry.AcademicYear", related_name="partnerships", blank=True, verbose_name="academic years"
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at"], m2m_fields=[academic_years], cascade_delete_history=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(accredited_provider=models.F("training_partner")),
                name="registry_partnership_has_two_providers",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="registry_partnership_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="registry_partner_changed_idx"),
            models.Index(
                fields=["updated_at", "id"],
                condition=models.Q(deleted_at__isnull=True),
                name="registry_partner_listed_idx",
            ),
        ]

    def __str__(self):
        return f"{self.accredited_provider} and {self.training_partner}"
