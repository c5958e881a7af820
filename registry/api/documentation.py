"""The API's OpenAPI document and its documentation page, both made from the route table."""

import functools
import json
import re
import shlex

import msgspec
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accounts.api_clients import tokens
from registry.api import ratelimit, schemas
from registry.api.errors import JSON_MEDIA_TYPE, ApiError, MethodNotAllowed, error_response

TITLE = "Register of training providers API"
BEARER = "bearerAuth"

_INTRODUCTION = """\
Read the register of initial teacher training providers, and manage the API clients and tokens you \
use to do it. Every answer is JSON, but for the whole register as one CSV file \
(`GET /api/v1/providers.csv`), the file the service's providers list offers for download.

Authenticate with a token in the `Authorization` header: `Authorization: Bearer <token>`. A token \
in the query string or a cookie is ignored. Tokens look like `rotp_live_<43 characters>_<6 \
characters>`; the last part is a checksum.

To keep a copy of the register, follow the changes feed (`GET /api/v1/changes`): from `after=0` it \
gives every provider once, then each provider that changes, deleted ones included, in the order the \
changes were committed. A loop that does it, in Python:

```python
{sync_example}
```

Every error has the same shape: `{"errors": [{"error": "NotFound", "message": "Not found"}]}`, with \
`field` naming the parameter or body field at fault where there is one. Besides the responses each \
operation lists, a method an address does not take gets 405 with an `Allow` header, and an address \
under /api/ that does not exist gets 404.
"""

# A consumer's loop that keeps a copy of the register: shown on the documentation page and in the
# OpenAPI document's introduction. tests/registry/api/test_changes_feed_requests.py runs it against the API.
SYNC_EXAMPLE = """\
import json, os, time
from pathlib import Path

import requests

FEED = "{service_url}/api/v1/changes"
HEADERS = {{"Authorization": f"Bearer {{os.environ['REGISTER_API_TOKEN']}}"}}
COPY = Path("register.json")


def sync_forever():
    copy = json.loads(COPY.read_text()) if COPY.exists() else {{"after": 0, "providers": {{}}}}
    while True:
        response = requests.get(FEED, params={{"after": copy["after"], "limit": 1000}}, headers=HEADERS, timeout=60)
        if response.status_code in (429, 503):
            time.sleep(int(response.headers.get("Retry-After", 60)))
            continue
        response.raise_for_status()
        page = response.json()
        for change in page["data"]:
            if change["deleted"]:
                copy["providers"].pop(change["id"], None)
            else:
                copy["providers"][change["id"]] = change["provider"]
        # The copy and its position are saved together: after a crash, a page is read again, never skipped.
        copy["after"] = page["next_after"]
        COPY.with_suffix(".tmp").write_text(json.dumps(copy))
        COPY.with_suffix(".tmp").replace(COPY)
        if not page["more"]:
            time.sleep(60)  # Up to date: ask again in a minute, from the same position.


if __name__ == "__main__":
    sync_forever()"""


def sync_example() -> str:
    return SYNC_EXAMPLE.format(service_url=settings.SERVICE_URL.rstrip("/"))


_HEADER_SCHEMAS = {
    "Retry-After": {"type": "integer", "minimum": 1},
    "ETag": {"type": "string"},
    "Location": {"type": "string"},
    "WWW-Authenticate": {"type": "string", "const": "Bearer"},
    "Content-Disposition": {"type": "string", "pattern": r'^attachment; filename="[^"]+"$'},
}


def _routes():
    from registry.api.routes import ROUTES

    return ROUTES


def _parameters(route, operation) -> list[dict]:
    parameters = [
        {
            "name": param.name,
            "in": "path",
            "required": True,
            "description": param.description,
            "schema": {"type": "string", "format": "uuid"},
            "example": param.example,
        }
        for param in route.path_params
    ]
    for param in operation.query:
        parameter = {"name": param.name, "in": "query", "description": param.description, "schema": param.schema()}
        if param.example is not None:
            parameter["example"] = param.example
        parameters.append(parameter)
    if operation.conditional:
        parameters.append(
            {
                "name": "If-None-Match",
                "in": "header",
                "description": "The ETag of a response you have: 304 if it is still current.",
                "schema": {"type": "string"},
            }
        )
    return parameters


def _reply(reply, refs) -> dict:
    described = {"description": reply.description}
    if reply.body is dict:
        described["content"] = {"application/json": {"schema": {"type": "object"}}}
    elif reply.body is str:
        described["content"] = {reply.media_type: {"schema": {"type": "string"}}}
    elif reply.body is not None:
        described["content"] = {reply.media_type: {"schema": refs[reply.body]}}
    if reply.headers:
        described["headers"] = {
            name: {"description": description, "required": True, "schema": _HEADER_SCHEMAS[name]}
            for name, description in reply.headers.items()
        }
    return described


@functools.cache
def openapi() -> dict:
    """The OpenAPI 3.1 document, made once per process from the route table and the schemas."""
    types = (*schemas.RESPONSE_TYPES, *schemas.REQUEST_TYPES)
    refs, components = msgspec.json.schema_components(types, ref_template="#/components/schemas/{name}")
    refs = dict(zip(types, refs, strict=True))
    for (name, field), override in schemas.SCHEMA_OVERRIDES.items():
        components[name]["properties"][field].update(override)
    paths: dict = {}
    for route in _routes():
        item = paths.setdefault(route.path, {})
        for operation in route.operations:
            spec = {
                "operationId": operation.operation_id,
                "summary": operation.summary,
                "description": operation.description,
                "tags": [operation.tag],
                "parameters": _parameters(route, operation),
                "responses": {str(reply.status): _reply(reply, refs) for reply in operation.replies},
            }
            if operation.body is not None:
                spec["requestBody"] = {
                    "required": operation.body_required,
                    "content": {"application/json": {"schema": refs[operation.body]}},
                }
            if operation.public:
                spec["security"] = []
            item[operation.method.lower()] = spec
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": "v1",
            "description": _INTRODUCTION.replace("{sync_example}", sync_example()),
        },
        "servers": [{"url": settings.SERVICE_URL.rstrip("/")}],
        "security": [{BEARER: []}],
        "paths": paths,
        "components": {
            "schemas": components,
            # Answers any address gives, besides those its operations list.
            "responses": {
                "MethodNotAllowed": {
                    "description": "The address does not take this method. `Allow` lists those it does.",
                    "headers": {"Allow": {"description": "The methods it takes.", "schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": refs[schemas.Errors]}},
                },
                "NotFound": {
                    "description": "No such address under /api/.",
                    "content": {"application/json": {"schema": refs[schemas.Errors]}},
                },
            },
            "securitySchemes": {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": f"An API token, matching `{tokens.PATTERN}`.",
                }
            },
        },
    }


def openapi_document(request, *, params, body):
    return openapi()


# ---------------------------------------------------------------------------------------------------
# The documentation page
# ---------------------------------------------------------------------------------------------------


def _curl(route, operation) -> str:
    path = route.path
    for param in route.path_params:
        path = path.replace(f"{{{param.name}}}", param.example)
    examples = [(param.name, param.example) for param in operation.query if param.example][:2]
    if examples:
        path += "?" + "&".join(f"{name}={value}" for name, value in examples)
    parts = ["curl"]
    if any(reply.media_type != JSON_MEDIA_TYPE for reply in operation.replies):
        # A file: saved under the name its Content-Disposition gives.
        parts += ["-OJ"]
    if operation.method != "GET":
        parts += ["-X", operation.method]
    if not operation.public:
        parts += ["-H", '"Authorization: Bearer $REGISTER_API_TOKEN"']
    if operation.example_body is not None:
        parts += ["-H", "'Content-Type: application/json'", "-d", shlex.quote(json.dumps(operation.example_body))]
    parts.append(shlex.quote(f"{settings.SERVICE_URL.rstrip('/')}{path}"))
    return " ".join(parts)


def _body_fields(body_type) -> list[dict]:
    schema = msgspec.json.schema(body_type)
    definition = schema["$defs"][body_type.__name__]
    required = set(definition.get("required", ()))
    return [
        {"name": name, "required": name in required, "description": markup(field.get("description", ""))}
        for name, field in definition["properties"].items()
    ]


def _schema_summary(schema: dict) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(schema["enum"])
    if schema.get("type") == "integer":
        return f"whole number, {schema['minimum']} to {schema['maximum']}"
    if schema.get("format") == "date-time":
        return "date and time (ISO 8601) with a time zone"
    if schema.get("type") == "boolean":
        return "true or false"
    return f"text, up to {schema.get('maxLength')} characters"


def markup(text: str) -> str:
    """Descriptions as HTML: escaped, with `code` in backticks shown as code (as OpenAPI's Markdown does)."""
    # Safe: the text is escaped before the <code> tags go in.
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))


def _documented_operations() -> list[dict]:
    documented = []
    for route in _routes():
        for operation in route.operations:
            documented.append(
                {
                    "id": operation.operation_id,
                    "method": operation.method,
                    "path": route.path,
                    "summary": operation.summary,
                    "description": markup(operation.description),
                    "public": operation.public,
                    "path_params": route.path_params,
                    "query": [
                        {
                            "param": param,
                            "accepts": _schema_summary(param.schema()),
                            "description": markup(param.description),
                        }
                        for param in operation.query
                    ],
                    "body": _body_fields(operation.body) if operation.body is not None else [],
                    "replies": [(reply.status, markup(reply.description)) for reply in operation.replies],
                    "curl": _curl(route, operation),
                }
            )
    return documented


ERRORS = (
    (400, "BadRequest", "A query parameter or the body is not valid; `field` names which."),
    (401, "Unauthorized", "No working token. The same answer whatever is wrong with it."),
    (403, "Forbidden", "Your account may not do this."),
    (404, "NotFound", "No such record or address (another user's client is not found either)."),
    (405, "MethodNotAllowed", "The address does not take that method; `Allow` lists those it does."),
    (409, "Conflict", "The client name is taken, or you have as many clients as you can."),
    (413, "PayloadTooLarge", "The request body is too large."),
    (415, "UnsupportedMediaType", "The body is not sent as application/json."),
    (429, "TooManyRequests", "Too many requests: wait the seconds `Retry-After` says."),
    (500, "InternalServerError", "A problem on the service's side; quote the `request_id`."),
    (
        503,
        "ServiceUnavailable",
        "The service cannot reach its database for a moment, or the API is switched off for a while; send the "
        "request again later.",
    ),
)


@login_not_required
def documentation_page(request):
    """The developer documentation: public, plain HTML, made from the route table."""
    try:
        ratelimit.address_hit(request)
        if request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed(["GET", "HEAD"])
    except ApiError as error:
        return error_response(error)
    context = {
        "title": TITLE,
        "operations": _documented_operations(),
        "token_pattern": tokens.PATTERN,
        "errors": [(status, name, markup(meaning)) for status, name, meaning in ERRORS],
        "rate_limit_per_token": settings.API_RATE_LIMIT_PER_TOKEN,
        "rate_limit_per_address": settings.API_RATE_LIMIT_PER_ADDRESS,
        "rate_limit_window": settings.API_RATE_LIMIT_WINDOW_SECONDS,
        "max_body_bytes": settings.API_MAX_BODY_BYTES,
        "service_url": settings.SERVICE_URL.rstrip("/"),
        "sync_example": sync_example(),
    }
    return render(request, "registry/api/documentation.html", context)
