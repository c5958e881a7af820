from django.db import models
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity
from registry.models.base import RegisterRecord


class Address(RegisterRecord):
    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="addresses")
    address_line_1 = models.CharField("address line 1", max_length=255)
    address_line_2 = models.CharField("address line 2", max_length=255, blank=True)
    address_line_3 = models.CharField("address line 3", max_length=255, blank=True)
    town_or_city = models.CharField("town or city", max_length=255)
    county = models.CharField("county", max_length=255, blank=True)
    postcode = models.CharField("postcode", max_length=8)
    uprn = models.CharField("unique property reference number (UPRN)", max_length=15, blank=True)
    latitude = models.DecimalField(max_digits=10, decimal_places=7, null=True, blank=True)
    longitude = models.DecimalField(max_digits=10, decimal_places=7, null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], cascade_delete_history=False, bases=[IndexedForActivity]
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return f"{self.town_or_city}, {self.postcode}"
