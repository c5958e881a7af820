"""The API's route table: the one source of its URLs, its OpenAPI document and its documentation."""

from accounts.permissions import api_user_can_manage_own_api_clients
from registry.api import documentation, schemas, views
from registry.api.http import Operation, Reply, Route
from registry.api.route_parts import (
    ACADEMIC_YEAR,
    ACCREDITATION_STATUS,
    AFTER,
    BAD_REQUEST,
    CHANGED_SINCE,
    CHANGES_LIMIT,
    CLIENT_ID_PATH,
    CONFLICT,
    CURSOR,
    ETAG,
    FORBIDDEN,
    INCLUDE_ARCHIVED,
    NOT_FOUND,
    NOT_MODIFIED,
    PAGE_SIZE,
    PROVIDER_ID,
    PROVIDER_ID_PATH,
    PROVIDER_TYPE,
    SEARCH,
    SERVER_ERROR,
    STANDARD,
    TOO_LARGE,
    TOO_MANY,
    UNSUPPORTED,
)

PREFIX = "/api/"

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
                    "Providers in the order their details last changed, oldest change first, a page at a time. "
                    "Deleted providers are never listed; archived ones only with `include_archived=true`, or "
                    "with `changed_since` (unless `include_archived=false`). `changed_since` finds a provider "
                    "when anything its document shows changed at or after that time: its details, "
                    "accreditations, addresses, contacts or partnerships, or its being archived or restored, "
                    "as the changes feed (`GET /api/v1/changes`) counts changes. A time cannot say which "
                    "changes were committed before you asked, so a change committed just after your last run "
                    "began can be missed, and a deletion is never listed: to keep a copy of the register, "
                    "follow the changes feed instead."
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
        path="/api/v1/providers.csv",
        pattern="v1/providers.csv",
        name="providers-csv",
        operations=(
            Operation(
                method="GET",
                handler=views.providers_csv,
                operation_id="downloadProvidersCsv",
                summary="Download the register as CSV",
                description=(
                    "Every provider on the register, archived ones included (deleted ones never), as one CSV file: "
                    "a header row, then a row per provider, by operating name. The file the providers list offers "
                    "support users, with the same columns: the provider's details with its type and status in words, "
                    "`Status` (`Archived` or `Not archived`), its current accreditation and its first address "
                    "(blank if it has none), and its academic years; dates are `YYYY-MM-DD`. It is UTF-8 with a "
                    "byte order mark and CRLF line endings, and a cell that would start with `=`, `+`, `-`, `@`, a "
                    "tab or a carriage return starts with `'` instead, so that a spreadsheet never runs it as a "
                    "formula. It is streamed as it is read: no pages, no filters."
                ),
                replies=(
                    Reply(
                        200,
                        "The register as CSV.",
                        str,
                        headers={
                            "Content-Disposition": (
                                'Always `attachment; filename="register-of-training-providers-YYYY-MM-DD.csv"`, '
                                "with today's date."
                            )
                        },
                        media_type="text/csv",
                    ),
                    BAD_REQUEST,
                    *STANDARD,
                ),
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
        path="/api/v1/changes",
        pattern="v1/changes",
        name="changes",
        operations=(
            Operation(
                method="GET",
                handler=views.changes_feed,
                operation_id="listChanges",
                summary="Follow the register's changes",
                description=(
                    "Every provider that changed after a position, each once, at its latest change, in the "
                    "order of those changes: its whole document as `GET /api/v1/providers/{provider_id}` "
                    "gives it (with its accreditations, addresses, contacts and partnerships), archived ones "
                    "marked `archived`, and deleted ones as tombstones (`deleted: true`, `provider: null`). "
                    "Any change to a provider counts, a change to one of its records or to a partner's name "
                    "too. Start from `after=0`, which gives every provider on the register (tombstones of "
                    "deleted ones included), then ask again with `after` set to the page's `next_after`, at "
                    "once while `more` is true, and later when it is false: positions are given in the order "
                    "changes are committed, so nothing is ever missed, even when changes are made at the "
                    "same moment. Keep `next_after` with your copy, and save them together."
                ),
                replies=(
                    Reply(200, "A page of changes.", schemas.ChangePage, headers=ETAG),
                    NOT_MODIFIED,
                    BAD_REQUEST,
                    *STANDARD,
                ),
                query=(AFTER, CHANGES_LIMIT),
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
