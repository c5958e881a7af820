"""What the API's routes share: the replies they may give and the query and path parameters they take.

The route table (`registry.api.routes`) declares each operation from these, so a reply or a
parameter is described once, the same in the OpenAPI document and on the documentation page.
"""

from registry.api import schemas
from registry.api.http import PathParam, Reply
from registry.api.params import TEXT_PATTERN, BooleanParam, ChoiceParam, IntegerParam, TextParam, TimestampParam
from registry.api.queries import CURSOR_PATTERN
from registry.models.provider import AccreditationStatus, ProviderType

# ---------------------------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------------------------

ETAG = {"ETag": "Identifies this version of the response: send it back in If-None-Match to get 304 if unchanged."}
NOT_MODIFIED = Reply(304, "Not modified: the ETag sent in If-None-Match is still current. No body.", headers=ETAG)
BAD_REQUEST = Reply(400, "A query parameter or the body is not valid. Each error names its `field`.", schemas.Errors)
UNAUTHORIZED = Reply(
    401,
    "No working token: missing, malformed, unknown, expired, revoked, or its owner can no longer use the API. "
    "The answer is the same whatever the reason.",
    schemas.Errors,
    headers={"WWW-Authenticate": "Always `Bearer`."},
)
FORBIDDEN = Reply(403, "The token's owner may not do this.", schemas.Errors)
NOT_FOUND = Reply(404, "There is no such record (or it is not yours).", schemas.Errors)
CONFLICT = Reply(
    409, "Conflicts with what exists: the client name is taken, or you already have 20 clients.", schemas.Errors
)
TOO_LARGE = Reply(413, "The request body is larger than the limit (16 KB by default).", schemas.Errors)
UNSUPPORTED = Reply(415, "The body is not sent as `Content-Type: application/json` in UTF-8.", schemas.Errors)
TOO_MANY = Reply(
    429,
    "Too many requests in the current minute, for this token or, without a working token, this address.",
    schemas.Errors,
    headers={"Retry-After": "Seconds to wait before trying again."},
)
SERVER_ERROR = Reply(
    500, "Something went wrong on the service's side. Quote the `request_id` when asking for help.", schemas.Errors
)
UNAVAILABLE = Reply(
    503,
    "The service cannot reach its database for a moment, or its support team has switched the API off for a "
    "while. Nothing was wrong with the request: send it again later.",
    schemas.Errors,
)
STANDARD = (UNAUTHORIZED, TOO_MANY, SERVER_ERROR, UNAVAILABLE)

# ---------------------------------------------------------------------------------------------------
# Query parameters
# ---------------------------------------------------------------------------------------------------

PAGE_SIZE = IntegerParam(
    "page_size",
    "How many records a page holds: 1 to 100.",
    "Page size must be a whole number from 1 to 100",
    example="100",
    minimum=1,
    maximum=100,
    default=100,
)
CURSOR = TextParam(
    "cursor",
    "Where the page starts. Do not make one up: follow `links.next` from the page before.",
    "Cursor must be taken from the ‘links.next’ of the page before",
    max_length=49,
    pattern=CURSOR_PATTERN,
)
CHANGED_SINCE = TimestampParam(
    "changed_since",
    "Only records changed at or after this time: an ISO 8601 date and time with a time zone.",
    "Changed since must be a date and time with a time zone, like 2025-08-01T00:00:00Z",
    example="2025-08-01T00:00:00Z",
)
ACADEMIC_YEAR = IntegerParam(
    "academic_year",
    "Only records active in this academic year, named by the year it starts in (2025 is 1 August 2025 to 31 "
    "July 2026).",
    "Academic year must be the year it starts in, from 2000 to 2999, like 2025",
    example="2025",
    minimum=2000,
    maximum=2999,
)
PROVIDER_TYPE = ChoiceParam(
    "provider_type",
    "Only providers of this type.",
    f"Provider type must be one of {', '.join(ProviderType.values)}",
    example="scitt",
    choices=tuple(ProviderType.values),
)
ACCREDITATION_STATUS = ChoiceParam(
    "accreditation_status",
    "Only providers with this accreditation status.",
    f"Accreditation status must be one of {', '.join(AccreditationStatus.values)}",
    example="accredited",
    choices=tuple(AccreditationStatus.values),
)
SEARCH = TextParam(
    "q",
    "Search: part of the operating or legal name, or the whole provider code, UKPRN, URN or RoTP id.",
    "Search must be 1 to 100 characters, with no control characters",
    example="Oakwood",
    max_length=100,
    pattern=TEXT_PATTERN,
)
INCLUDE_ARCHIVED = BooleanParam(
    "include_archived",
    "Whether to include archived providers (`true`) or not (`false`). Left out, archived providers are left "
    "out too, unless `changed_since` is given: then they are included, so that a copy kept up to date learns "
    "that a provider was archived.",
    "Include archived must be true or false",
    example="true",
    default=None,
)
PROVIDER_ID = TextParam(
    "provider_id",
    "Only partnerships this provider is in, either way round.",
    "Provider id must be a UUID, like 3fa85f64-5717-4562-b3fc-2c963f66afa6",
    example="3fa85f64-5717-4562-b3fc-2c963f66afa6",
    max_length=36,
    pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
)

# Positions are PostgreSQL's bigint: any whole number from 0 up to its largest is a place in the feed.
LAST_POSITION = 2**63 - 1
AFTER = IntegerParam(
    "after",
    "Changes after this position: 0 (or left out) for every provider on the register, or the `next_after` "
    "of the page before.",
    "After must be a whole number from 0, the next_after of the page before",
    example="0",
    minimum=0,
    maximum=LAST_POSITION,
    default=0,
)
CHANGES_LIMIT = IntegerParam(
    "limit",
    "How many changes a page holds: 1 to 1,000. To copy the whole register, ask for 1,000.",
    "Limit must be a whole number from 1 to 1000",
    example="1000",
    minimum=1,
    maximum=1000,
    default=100,
)

PROVIDER_ID_PATH = PathParam("provider_id", "The provider's id (a UUID).", "3fa85f64-5717-4562-b3fc-2c963f66afa6")
CLIENT_ID_PATH = PathParam("client_id", "The client's id (a UUID).", "0b9c6a4e-4d0e-4c5a-9a0e-0d7f3b1c2a11")
