from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity
from registry.models.base import RegisterRecord


class Contact(RegisterRecord):
    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="contacts")
    first_name = models.CharField("first name", max_length=255)
    last_name = models.CharField("last name", max_length=255)
    email = models.EmailField("email address", max_length=254)
    telephone = models.CharField("phone number", max_length=32, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], cascade_delete_history=False, bases=[IndexedForActivity]
    )

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        constraints = [
            models.UniqueConstraint(
                "provider",
                Lower("email"),
                condition=models.Q(deleted_at__isnull=True),
                name="registry_contact_email_unique_per_provider",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
