from registry.models.academic_year import AcademicYear
from registry.models.access import ProviderAccessChange
from registry.models.accreditation import Accreditation
from registry.models.address import Address
from registry.models.change import ProviderChange, PublishedProvider, RegisterPosition
from registry.models.contact import Contact
from registry.models.partnership import Partnership
from registry.models.permissions import ProviderGroupObjectPermission, ProviderUserObjectPermission
from registry.models.provider import Provider, ProviderType

__all__ = [
    "AcademicYear",
    "Accreditation",
    "Address",
    "Contact",
    "Partnership",
    "Provider",
    "ProviderAccessChange",
    "ProviderChange",
    "ProviderGroupObjectPermission",
    "ProviderType",
    "ProviderUserObjectPermission",
    "PublishedProvider",
    "RegisterPosition",
]
