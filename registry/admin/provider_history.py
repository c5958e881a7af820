"""A provider's history page (registry.pages.history): the changes to the provider and to its records.

Its records are its accreditations, addresses and contacts, and its partnerships on either side
(as the accredited provider or as the training partner); its academic years, and a partnership's,
are answers on those records, so their changes are listed with them. Each change to a record
names which one ("Accreditation 1234", "Leeds, LS1 4AP"). Who has been given access to the provider
alone, and who has had it removed, is listed too ("Access given to Mary Lawson: change this provider").

Auditors read it too, though they may not open the provider's own page: Back then goes to Activity.
"""

from django.db.models import Q
from django.urls import reverse

from registry import permissions
from registry.activity.sources import ACCREDITATIONS, ADDRESSES, CONTACTS, PARTNERSHIPS, PROVIDER_ACCESS, PROVIDERS
from registry.models import Provider
from registry.pages.history import HistoryPage


class ProviderHistoryPage(HistoryPage):
    model = Provider
    title = "Provider history"

    def has_permission(self) -> bool:
        return permissions.user_can_view_provider_history(self.request.user)

    def history_rows(self):
        pk = self.object.pk
        return {
            PROVIDERS: Q(id=pk),
            ACCREDITATIONS: Q(provider_id=pk),
            ADDRESSES: Q(provider_id=pk),
            CONTACTS: Q(provider_id=pk),
            PARTNERSHIPS: Q(accredited_provider_id=pk) | Q(training_partner_id=pk),
            PROVIDER_ACCESS: Q(provider_id=pk),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A change to who has access is about the provider itself: it has no record of its own to name.
        for item in context["entries"]:
            if item["entry"].source is PROVIDER_ACCESS:
                item["names_record"] = False
        return context

    def record_url(self) -> str | None:
        if permissions.user_can_view_provider(self.request.user, self.object):
            return reverse("admin:registry_provider_change", args=[self.object.pk])
        if permissions.user_can_view_activity(self.request.user):
            return reverse("activity")
        return None
