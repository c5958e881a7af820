from typing import TYPE_CHECKING

from django.db import models
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity
from registry.models.base import RegisterRecord

if TYPE_CHECKING:
    import uuid

    from registry.models.provider import Provider

# A partnership's two sides, each the other's partner, and what each is called on the other's page.
OTHER_SIDE = {"accredited_provider": "training_partner", "training_partner": "accredited_provider"}
PARTNER_ROLES = {"accredited_provider": "Accredited provider", "training_partner": "Training partner"}


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
        excluded_fields=["updated_at"],
        m2m_fields=[academic_years],
        cascade_delete_history=False,
        bases=[IndexedForActivity],
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

    @staticmethod
    def new_partner_side(provider: "Provider") -> str:
        """The side a new partner of `provider` takes: an accredited provider's partners are training
        partners, and anyone else's are accredited providers."""
        return "training_partner" if provider.is_accredited else "accredited_provider"

    @staticmethod
    def side_for(provider: "Provider | uuid.UUID | str", *, accredited_provider_id, training_partner_id) -> str:
        """The side `provider` (or its id) is on, given the two partners' ids (as a list of rows has them)."""
        pk = str(getattr(provider, "pk", provider))
        if pk == str(accredited_provider_id):
            return "accredited_provider"
        if pk == str(training_partner_id):
            return "training_partner"
        raise ValueError(f"Provider {pk} is not one of the partners {accredited_provider_id}, {training_partner_id}")

    def side_of(self, provider: "Provider | uuid.UUID | str") -> str:
        """The side `provider` (or its id) is on: "accredited_provider" or "training_partner"."""
        return self.side_for(
            provider, accredited_provider_id=self.accredited_provider_id, training_partner_id=self.training_partner_id
        )

    def partner_side_of(self, provider: "Provider | uuid.UUID | str") -> str:
        """The side the partner of `provider` is on: the other one."""
        return OTHER_SIDE[self.side_of(provider)]

    def partner_of(self, provider: "Provider | uuid.UUID | str") -> "Provider":
        """The other side of the partnership, seen from `provider`."""
        return getattr(self, self.partner_side_of(provider))

    def partner_role_for(self, provider: "Provider | uuid.UUID | str") -> str:
        """What the partner is to `provider`: "Training partner" or "Accredited provider"."""
        return PARTNER_ROLES[self.partner_side_of(provider)]
