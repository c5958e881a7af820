"""The API's route table: the one source of its URLs, its OpenAPI document and its documentation."""

from accounts.permissions import api_user_can_manage_own_api_clients
from registry.api import documentation, schemas, views
from registry.api.http import Operation, PathParam, Reply, Route
from registry.api.params import TEXT_PATTERN, BooleanParam, ChoiceParam, IntegerParam, TextParam, TimestampParam
from registry.api.queries import CURSOR_PATTERN
from registry.models.provider import AccreditationStatus, ProviderType

PREFIX = "/api/"

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
    "The service cannot reach its database for a moment. Nothing was wrong with the request: send it again later.",
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
    "Whether to include archived providers (`true`), which are left out by default.",
    "Include archived must be true or false",
    example="true",
)
PROVIDER_ID = TextParam(
    "provider_id",
    "Only partnerships this provider is in, either way round.",
    "Provider id must be a UUID, like 3fa85f64-5717-4562-b3fc-2c963f66afa6",
    example="3fa85f64-5717-4562-b3fc-2c963f66afa6",
    max_length=36,
    pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
)

PROVIDER_ID_PATH = PathParam("provider_id", "The provider's id (a UUID).", "3fa85f64-5717-4562-b3fc-2c963f66afa6")
CLIENT_ID_PATH = PathParam("client_id", "The client's id (a UUID).", "0b9c6a4e-4d0e-4c5a-9a0e-0d7f3b1c2a11")

# ---------------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------------

_CLIENTS = "API clients"

ROUTES = (
    Route(
        path="/api/v1/info",
        pattern="v1/info",
        name="info",
        operations=(
            Operation(
                method="GET",
                handler=views.info,
                operation_id="getInfo",
                summary="Check the API and your token",
                description="Answers 200 if the API is up and your token works.",
                replies=(Reply(200, "The API is up and the token works.", schemas.Info), BAD_REQUEST, *STANDARD),
            ),
        ),
    ),
    Route(
        path="/api/v1/providers",
        pattern="v1/providers",
        name="providers",
        operations=(
            Operation(
                method="GET",
                handler=views.providers_list,
                operation_id="listProviders",
                summary="List providers",
                description=(
                    "Providers in the order they last changed, oldest change first, a page at a time. Deleted "
                    "providers are never listed; archived ones only with `include_archived=true`. To keep a copy "
                    "up to date, ask for `changed_since` the time of your last complete run, and follow "
                    "`links.next` until it is null."
                ),
                replies=(
                    Reply(200, "A page of providers.", schemas.ProviderPage, headers=ETAG),
                    NOT_MODIFIED,
                    BAD_REQUEST,
                    *STANDARD,
                ),
                query=(
                    CHANGED_SINCE,
                    ACADEMIC_YEAR,
                    PROVIDER_TYPE,
                    ACCREDITATION_STATUS,
                    SEARCH,
                    INCLUDE_ARCHIVED,
                    PAGE_SIZE,
                    CURSOR,
                ),
                conditional=True,
            ),
        ),
    ),
    Route(
        path="/api/v1/providers/{provider_id}",
        pattern="v1/providers/<uuid:provider_id>",
        name="provider",
        path_params=(PROVIDER_ID_PATH,),
        operations=(
            Operation(
                method="GET",
                handler=views.provider_detail,
                operation_id="getProvider",
                summary="Get a provider",
                description=(
                    "A provider with its accreditations, addresses, contacts, partnerships and academic years. "
                    "Archived providers can be got; deleted ones cannot."
                ),
                replies=(
                    Reply(200, "The provider.", schemas.ProviderDocument, headers=ETAG),
                    NOT_MODIFIED,
                    BAD_REQUEST,
                    NOT_FOUND,
                    *STANDARD,
                ),
                conditional=True,
            ),
        ),
    ),
    Route(
        path="/api/v1/partnerships",
        pattern="v1/partnerships",
        name="partnerships",
        operations=(
            Operation(
                method="GET",
                handler=views.partnerships_list,
                operation_id="listPartnerships",
                summary="List partnerships",
                description=(
                    "Partnerships between accredited providers and training partners, in the order they last "
                    "changed, a page at a time, as for providers."
                ),
                replies=(
                    Reply(200, "A page of partnerships.", schemas.PartnershipPage, headers=ETAG),
                    NOT_MODIFIED,
                    BAD_REQUEST,
                    *STANDARD,
                ),
                query=(CHANGED_SINCE, ACADEMIC_YEAR, PROVIDER_ID, PAGE_SIZE, CURSOR),
                conditional=True,
            ),
        ),
    ),
    Route(
        path="/api/v1/clients",
        pattern="v1/clients",
        name="clients",
        operations=(
            Operation(
                method="GET",
                handler=views.clients_list,
                operation_id="listApiClients",
                summary="List your API clients",
                description="Your API clients, oldest first, with their tokens (never the tokens themselves).",
                replies=(Reply(200, "Your clients.", schemas.ApiClientList), BAD_REQUEST, FORBIDDEN, *STANDARD),
                permission=api_user_can_manage_own_api_clients,
                tag=_CLIENTS,
            ),
            Operation(
                method="POST",
                handler=views.clients_create,
                operation_id="createApiClient",
                summary="Add an API client",
                description=(
                    "Adds a client and issues its first token, which the response shows once and never again. "
                    "The token expires at `expires_at`: in the future and within the next 12 months, 6 months "
                    "from now if not given (so a valid-looking time too far off is refused with 400). You can "
                    "have up to 20 clients."
                ),
                replies=(
                    Reply(
                        201,
                        "Added: the response holds the token, shown this once.",
                        schemas.IssuedTokenDocument,
                        headers={"Location": "The new client's address."},
                    ),
                    BAD_REQUEST,
                    FORBIDDEN,
                    CONFLICT,
                    TOO_LARGE,
                    UNSUPPORTED,
                    *STANDARD,
                ),
                body=schemas.ApiClientCreate,
                permission=api_user_can_manage_own_api_clients,
                tag=_CLIENTS,
                example_body={"name": "Student record system"},
            ),
        ),
    ),
    Route(
        path="/api/v1/clients/{client_id}",
        pattern="v1/clients/<uuid:client_id>",
        name="client",
        path_params=(CLIENT_ID_PATH,),
        operations=(
            Operation(
                method="GET",
                handler=views.client_detail,
                operation_id="getApiClient",
                summary="Get one of your API clients",
                description="One of your clients, with its tokens (never the tokens themselves).",
                replies=(
                    Reply(200, "The client.", schemas.ApiClientDocument),
                    BAD_REQUEST,
                    FORBIDDEN,
                    NOT_FOUND,
                    *STANDARD,
                ),
                permission=api_user_can_manage_own_api_clients,
                tag=_CLIENTS,
            ),
            Operation(
                method="PATCH",
                handler=views.client_rename,
                operation_id="renameApiClient",
                summary="Rename one of your API clients",
                description="Only the name can change. Sending any other field is refused with 400.",
                replies=(
                    Reply(200, "Renamed.", schemas.ApiClientDocument),
                    BAD_REQUEST,
                    FORBIDDEN,
                    NOT_FOUND,
                    CONFLICT,
                    TOO_LARGE,
                    UNSUPPORTED,
                    *STANDARD,
                ),
                body=schemas.ApiClientUpdate,
                permission=api_user_can_manage_own_api_clients,
                tag=_CLIENTS,
                example_body={"name": "Student records (live)"},
            ),
            Operation(
                method="DELETE",
                handler=views.client_revoke,
                operation_id="revokeApiClient",
                summary="Revoke one of your API clients",
                description=(
                    "Every token of the client stops working at once, and the client is deleted. This is "
                    "permanent: you cannot undo it."
                ),
                replies=(Reply(204, "Revoked. No body."), BAD_REQUEST, FORBIDDEN, NOT_FOUND, *STANDARD),
                permission=api_user_can_manage_own_api_clients,
                tag=_CLIENTS,
            ),
        ),
    ),
    Route(
        path="/api/v1/clients/{client_id}/rotate",
        pattern="v1/clients/<uuid:client_id>/rotate",
        name="client-rotate",
        path_params=(CLIENT_ID_PATH,),
        operations=(
            Operation(
                method="POST",
                handler=views.client_rotate,
                operation_id="rotateApiClientToken",
                summary="Rotate an API client's token",
                description=(
                    "Issues a new token, shown once. The token it replaces keeps working for the grace period "
                    "(24 hours unless `grace_period_hours` says otherwise, at most 168), so that your systems "
                    "can move to the new one without a gap. The body may be left out."
                ),
                replies=(
                    Reply(
                        201,
                        "Issued: the response holds the new token, shown this once.",
                        schemas.IssuedTokenDocument,
                        headers={"Location": "The client's address."},
                    ),
                    BAD_REQUEST,
                    FORBIDDEN,
                    NOT_FOUND,
                    TOO_LARGE,
                    UNSUPPORTED,
                    *STANDARD,
                ),
                body=schemas.ApiClientRotate,
                body_required=False,
                permission=api_user_can_manage_own_api_clients,
                tag=_CLIENTS,
                example_body={"grace_period_hours": 48},
            ),
        ),
    ),
    Route(
        path="/api/v1/openapi.json",
        pattern="v1/openapi.json",
        name="openapi",
        operations=(
            Operation(
                method="GET",
                handler=documentation.openapi_document,
                operation_id="getOpenApiDocument",
                summary="This document",
                description="The API's OpenAPI 3.1 document. No token needed.",
                replies=(
                    Reply(200, "The OpenAPI document.", dict),
                    BAD_REQUEST,
                    TOO_MANY,
                    SERVER_ERROR,
                ),
                public=True,
                tag="About the API",
            ),
        ),
    ),
)
