"""What every provider screen shares: the provider (and record) it is about, and where it goes back to."""

import uuid

from django.http import Http404
from django.urls import reverse

from registry.admin.selectors import provider_record_get
from registry.pages.flows import FlowRefused
from registry.selectors import provider_get
from registry.services.providers import ProviderArchivedError, ProviderNotArchivedError

# A change the register no longer allows (the provider archived meanwhile, say): the person goes
# back to the provider's page, told why, rather than being shown the error on a form.
PROVIDER_REFUSALS = (ProviderArchivedError, ProviderNotArchivedError)

_ANY_ID = uuid.UUID(int=0)


def provider_url(provider, section: str = "") -> str:
    """The provider's page, at one of its sections ("addresses") if given."""
    url = reverse("admin:registry_provider_change", args=[provider.pk])
    return f"{url}#{section}" if section else url


def url_for_each_provider(name: str):
    """`reverse(name, args=[provider id])` for any provider, from one reverse() for a whole page.

    A reverse() through the admin's URLs takes longer than drawing the rest of a row.
    """
    pattern = reverse(name, args=[_ANY_ID])
    return lambda provider_id: pattern.replace(str(_ANY_ID), str(provider_id))


class ProviderPage:
    """A page about one provider (`object_id`) and perhaps one of its records (`record_id`), mixed
    into an engine page (`registry.pages`).

    Either one not on the register (never added, or deleted) is a 404, before anyone's rights are
    asked about it. A flow's caption names the provider ("Add contact - Ash Tree SCITT").
    """

    record_model = None
    # The provider page's section the page is about: where it goes back to when done.
    section = ""
    refusals = (FlowRefused, *PROVIDER_REFUSALS)

    def setup_object(self, *, object_id=None, record_id=None, **kwargs):
        self.provider = self.record = None
        if object_id is not None:
            self.provider = provider_get(provider_id=object_id)
            if self.provider is None:
                raise Http404
        if record_id is not None:
            self.record = provider_record_get(self.record_model, provider=self.provider, record_id=record_id)
            if self.record is None:
                raise Http404

    def url_args(self) -> list:
        return [each.pk for each in (self.provider, self.record) if each is not None]

    def cancel_url(self) -> str:
        return provider_url(self.provider, self.section)

    def get_caption(self) -> str:
        action = getattr(self, "action", "") or self.caption
        return f"{action} - {self.provider.operating_name}" if action and self.provider else action
