"""The register's forms, one module per entity. Each words its entity's rules with its dict in `registry.messages`."""

from registry.forms.accreditations import AccreditationForm
from registry.forms.addresses import AddressForm
from registry.forms.contacts import ContactForm
from registry.forms.partnerships import PartnershipForm
from registry.forms.providers import ProviderForm

__all__ = ["AccreditationForm", "AddressForm", "ContactForm", "PartnershipForm", "ProviderForm"]
