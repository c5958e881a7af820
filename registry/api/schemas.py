"""What the API sends and takes, as msgspec Structs: encoded directly, and described in OpenAPI.

Each field's description is what the developer documentation says about it.
"""

import datetime
import re
import uuid
from typing import Annotated, ClassVar, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from accounts.models import ApiClient, ApiToken
from registry.models.provider import AccreditationStatus, ProviderType

ProviderTypeValue = Literal[tuple(ProviderType.values)]
AccreditationStatusValue = Literal[tuple(AccreditationStatus.values)]

Timestamp = Annotated[datetime.datetime, Meta(tz=True)]


def _described(kind, description: str, **constraints):
    return Annotated[kind, Meta(description=description, **constraints)]


# ---------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------


class ErrorDetail(Struct, omit_defaults=True):
    error: _described(str, "What kind of error, such as `NotFound` or `BadRequest`.")
    message: _described(str, "What went wrong, for a person to read.")
    field: _described(str | None, "The parameter or body field at fault, when there is one.") = None
    request_id: _described(str | None, "For a server error: quote it when asking for help.") = None


class Errors(Struct):
    errors: list[ErrorDetail]


# ---------------------------------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------------------------------


class ProviderSummary(Struct):
    id: _described(uuid.UUID, "The provider's id in this API.")
    rotp_id: _described(str, "The provider's register id, like RoTP-26V6KK09.")
    operating_name: str
    legal_name: str | None
    provider_type: ProviderTypeValue
    accreditation_status: AccreditationStatusValue
    ukprn: _described(str | None, "UK provider reference number (8 digits).")
    urn: _described(str | None, "Unique reference number, for schools and SCITTs.")
    code: _described(str, "The provider's 3-character code.")
    archived_at: _described(Timestamp | None, "When the provider was archived; null unless it is.")
    updated_at: _described(Timestamp, "When the provider's details last changed.")


class Links(Struct):
    next: _described(str | None, "The next page, or null on the last page.")


class ProviderPage(Struct):
    data: list[ProviderSummary]
    links: Links


class Accreditation(Struct):
    id: uuid.UUID
    number: _described(str, "Accredited provider number: 4 digits.")
    starts_on: datetime.date
    ends_on: datetime.date | None


class Address(Struct):
    id: uuid.UUID
    address_line_1: str
    address_line_2: str | None
    address_line_3: str | None
    town_or_city: str
    county: str | None
    postcode: str
    uprn: _described(str | None, "Unique property reference number.")
    latitude: float | None
    longitude: float | None


class Contact(Struct):
    id: uuid.UUID
    first_name: str
    last_name: str
    email: str
    telephone: str | None


class ProviderReference(Struct):
    id: uuid.UUID
    rotp_id: str
    operating_name: str
    code: str


class ProviderPartnership(Struct):
    id: uuid.UUID
    role: _described(
        Literal["accredited_provider", "training_partner"],
        "This provider's part in the partnership: the accredited provider or the training partner.",
    )
    partner: _described(ProviderReference, "The other provider in the partnership.")
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    academic_years: _described(list[int], "The academic years it covers, each named by the year it starts in.")


class ProviderDetail(Struct):
    id: uuid.UUID
    rotp_id: str
    operating_name: str
    legal_name: str | None
    provider_type: ProviderTypeValue
    accreditation_status: AccreditationStatusValue
    ukprn: str | None
    urn: str | None
    code: str
    onboarded_on: datetime.date | None
    first_active_on: datetime.date | None
    archived_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp
    academic_years: _described(list[int], "The academic years the provider is active in, by the year each starts in.")
    accreditations: list[Accreditation]
    addresses: list[Address]
    contacts: list[Contact]
    partnerships: list[ProviderPartnership]


class ProviderDocument(Struct):
    data: ProviderDetail


class Change(Struct):
    position: _described(int, "Where this change is in the feed. Positions only grow.")
    id: _described(uuid.UUID, "The provider's id.")
    deleted: _described(bool, "Whether the provider has been deleted: then `provider` is null. Forget your copy.")
    archived: _described(bool, "Whether the provider is archived: still on the register, read-only, `archived_at` set.")
    provider: _described(
        ProviderDetail | None, "The provider as `GET /api/v1/providers/{id}` gives it now; null if it has been deleted."
    )


class ChangePage(Struct):
    data: _described(list[Change], "Providers changed after `after`, each once, in the order of their last change.")
    next_after: _described(
        int,
        "The position to ask for the next page from (`after`): the last change on this page, or your own `after` "
        "when the page is empty.",
    )
    more: _described(bool, "Whether more changes are waiting: ask again at once. If false, you are up to date.")


class Partnership(Struct):
    id: uuid.UUID
    accredited_provider: ProviderReference
    training_partner: ProviderReference
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    academic_years: _described(list[int], "The academic years it covers, each named by the year it starts in.")
    updated_at: Timestamp


class PartnershipPage(Struct):
    data: list[Partnership]
    links: Links


class Version(Struct):
    requested: str
    latest: str


class Info(Struct):
    status: Literal["ok"]
    version: Version


# ---------------------------------------------------------------------------------------------------
# API clients and tokens
# ---------------------------------------------------------------------------------------------------


class ApiTokenOut(Struct):
    id: uuid.UUID
    hint: _described(str, "The token's prefix and last 4 characters, to tell it apart. Never the token.")
    status: _described(
        Literal["active", "replaced", "expired", "revoked"],
        "`replaced`: a rotation replaced it, and it works until `works_until`.",
    )
    created_at: Timestamp
    expires_at: Timestamp
    works_until: _described(Timestamp, "When it stops working, unless revoked before then.")
    replaced_at: Timestamp | None
    revoked_at: Timestamp | None
    last_used_at: _described(Timestamp | None, "Roughly when it was last used: recorded at most every 15 minutes.")


class ApiClientOut(Struct):
    id: uuid.UUID
    name: str
    status: _described(Literal["active", "expired"], "`active` while one of its tokens works.")
    created_at: Timestamp
    tokens: _described(list[ApiTokenOut], "Its tokens, newest first.")


class ApiClientList(Struct):
    data: list[ApiClientOut]


class ApiClientDocument(Struct):
    data: ApiClientOut


class IssuedTokenDocument(Struct):
    data: ApiClientOut
    token: _described(
        str,
        "The new token. This is the only time it is shown: store it securely now.",
        pattern=r"^rotp_(?:live|test|dev)_[A-Za-z0-9_-]{43}_[0-9A-Za-z]{6}$",
    )


# A client name: 1 to 100 characters, with no control characters, and no space at either end.
_EDGE = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_MIDDLE = r"[^\x00-\x1f\x7f-\x9f]"
CLIENT_NAME_PATTERN = rf"^{_EDGE}(?:{_MIDDLE}*{_EDGE})?$"
ClientName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=100,
        pattern=CLIENT_NAME_PATTERN,
        description="A name that tells your clients apart, unique among yours.",
    ),
]
ExpiresAt = Annotated[
    datetime.datetime,
    Meta(
        tz=True,
        description="When the token expires: in the future and within the next 12 months. 6 months if not given.",
    ),
]


class RequestBody(Struct, forbid_unknown_fields=True):
    """A request body. `messages` gives each field's message for a value of the wrong kind."""

    messages: ClassVar[dict[str, str]] = {}
    # Fields of the resource that exist but cannot be set through this body.
    read_only: ClassVar[frozenset[str]] = frozenset()

    def clean(self) -> dict[str, str]:
        """Checks beyond the schema's kinds, as the schema states them: {field: message}."""
        return {}


# Everything a client or a token has: what a body may name but never set.
_CLIENT_FIELDS = frozenset(
    {
        *ApiClientOut.__struct_fields__,
        *ApiTokenOut.__struct_fields__,
        *(field.name for model in (ApiClient, ApiToken) for field in model._meta.get_fields()),
        "token",
    }
)
_NAME_MESSAGE = "Enter a client name of 1 to 100 characters, with no control characters or spaces at either end"


class ApiClientCreate(RequestBody):
    name: ClientName
    expires_at: ExpiresAt | UnsetType = UNSET

    messages = {
        "name": _NAME_MESSAGE,
        "expires_at": "Enter the expiry as a date and time with a time zone, like 2026-02-01T00:00:00Z",
    }
    read_only = _CLIENT_FIELDS - {"name", "expires_at"}

    def clean(self):
        return {} if re.fullmatch(CLIENT_NAME_PATTERN, self.name) else {"name": _NAME_MESSAGE}


class ApiClientUpdate(RequestBody):
    name: ClientName

    messages = {"name": _NAME_MESSAGE}
    read_only = _CLIENT_FIELDS - {"name"}

    def clean(self):
        return {} if re.fullmatch(CLIENT_NAME_PATTERN, self.name) else {"name": _NAME_MESSAGE}


class ApiClientRotate(RequestBody):
    expires_at: ExpiresAt | UnsetType = UNSET
    # A float in Python, since JSON's whole numbers include 48.0; the schema says integer, and
    # clean() refuses anything with a fraction.
    grace_period_hours: (
        Annotated[
            float,
            Meta(
                ge=0,
                le=168,
                description="How long the replaced token keeps working: 0 to 168 hours (7 days). 24 if not given.",
            ),
        ]
        | UnsetType
    ) = UNSET

    messages = {
        "expires_at": ApiClientCreate.messages["expires_at"],
        "grace_period_hours": "Grace period must be a whole number of hours between 0 and 168 (7 days)",
    }
    read_only = _CLIENT_FIELDS - {"expires_at"}

    def clean(self):
        if self.grace_period_hours is not UNSET and not float(self.grace_period_hours).is_integer():
            return {"grace_period_hours": self.messages["grace_period_hours"]}
        return {}


# Where the schema says more than msgspec can (a float field that takes only whole numbers).
SCHEMA_OVERRIDES = {("ApiClientRotate", "grace_period_hours"): {"type": "integer"}}

RESPONSE_TYPES = (
    Errors,
    ProviderPage,
    ProviderDocument,
    ChangePage,
    PartnershipPage,
    Info,
    ApiClientList,
    ApiClientDocument,
    IssuedTokenDocument,
)
REQUEST_TYPES = (ApiClientCreate, ApiClientUpdate, ApiClientRotate)

encoder = msgspec.json.Encoder()
