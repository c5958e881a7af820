"""Turning the route table into Django views: methods, authentication, limits, bodies and errors.

Every answer from the API is JSON in one shape, errors included, and never a page (the one other
answer is the register as a CSV file, a streamed download): a view that fails unexpectedly answers
500 with the request's id, and the traceback goes only to the log; one that fails because the
database or the cache (Redis) cannot be used answers 503, since sending it again later will work.
"""

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import msgspec
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.views.decorators.common import no_append_slash
from django.views.decorators.csrf import csrf_exempt

from accounts.api_clients.services import CONFLICT_CODES
from registry.api import ratelimit
from registry.api.authentication import authenticate
from registry.api.errors import (
    JSON_CONTENT_TYPE,
    JSON_MEDIA_TYPE,
    ApiError,
    BadRequest,
    Conflict,
    Forbidden,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    error_response,
)
from registry.api.params import Param, parse_query, printable
from registry.api.schemas import RequestBody, encoder
from registry.security_events import security_event
from registry.views import cache_unavailable, database_unavailable, service_unavailable

logger = logging.getLogger("registry.api")


@dataclasses.dataclass(frozen=True)
class Reply:
    """A response described in the route table: its status, meaning, body type and headers."""

    status: int
    description: str
    body: type | None = None
    # {header name: description}; every one is always sent with this status.
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    # What the body is: JSON (`body` a msgspec Struct, or dict), or text such as "text/csv" (`body` str).
    media_type: str = JSON_MEDIA_TYPE


@dataclasses.dataclass(frozen=True)
class PathParam:
    name: str
    description: str
    example: str


@dataclasses.dataclass(frozen=True)
class Operation:
    method: str
    handler: Callable
    operation_id: str
    summary: str
    description: str
    replies: tuple[Reply, ...]
    query: tuple[Param, ...] = ()
    body: type[RequestBody] | None = None
    body_required: bool = True
    # Whether it may be asked without a token (the OpenAPI document, the documentation).
    public: bool = False
    # A predicate on the API user, or None for any API user.
    permission: Callable[[Any], bool] | None = None
    # Whether the response has an ETag, and If-None-Match is answered with 304.
    conditional: bool = False
    tag: str = "Register"
    example_body: dict | None = None


@dataclasses.dataclass(frozen=True)
class Route:
    path: str  # as in the OpenAPI document, e.g. "/api/v1/providers/{provider_id}"
    pattern: str  # as in registry.api.urls, relative to "api/"
    name: str
    operations: tuple[Operation, ...]
    path_params: tuple[PathParam, ...] = ()

    @property
    def allowed(self) -> list[str]:
        methods = [operation.method for operation in self.operations]
        return [*methods, "HEAD"] if "GET" in methods else methods


def json_response(payload, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(encoder.encode(payload), status=status, content_type=JSON_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def empty_response(*, status: int, headers: dict | None = None) -> HttpResponse:
    """A response with no body (204, 304), so with no Content-Type either."""
    response = HttpResponse(status=status)
    del response["Content-Type"]
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _read_body(request, operation: Operation):
    """The request body as the operation's type: 415 if not JSON, 413 if too large, 400 if invalid."""
    limit = settings.API_MAX_BODY_BYTES
    try:
        declared_length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("Content-Length must be a whole number") from None
    if declared_length > limit:
        raise PayloadTooLarge(f"The request body must be {limit} bytes or smaller")
    raw = request.read(limit + 1) if declared_length else b""
    if len(raw) > limit:
        raise PayloadTooLarge(f"The request body must be {limit} bytes or smaller")
    if not raw and not operation.body_required:
        return operation.body()
    content_type = request.META.get("CONTENT_TYPE", "")
    media_type, _, parameters = content_type.partition(";")
    charset = parameters.strip().lower().removeprefix("charset=").strip('"') if parameters.strip() else "utf-8"
    if media_type.strip().lower() != JSON_MEDIA_TYPE or charset != "utf-8":
        raise UnsupportedMediaType
    return _decode(raw, operation.body)


def _decode(raw: bytes, body_type: type[RequestBody]):
    try:
        # msgspec checks the bytes of a string only when it decodes the string itself, and then
        # raises UnicodeDecodeError rather than DecodeError: the whole body is checked first.
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body must be valid JSON in UTF-8") from None
    try:
        fields = msgspec.json.decode(raw, type=dict[str, msgspec.Raw])
    except RecursionError:
        raise BadRequest("The request body is nested too deeply") from None
    except msgspec.ValidationError:
        raise BadRequest("The request body must be a JSON object") from None
    except msgspec.DecodeError:
        raise BadRequest("The request body must be valid JSON in UTF-8") from None
    known = set(body_type.__struct_fields__)
    errors = [(name, _unexpected_field(body_type, name)) for name in fields if name not in known]
    missing = [name for name in body_type.__struct_fields__ if name not in fields and _is_required(body_type, name)]
    errors += [(name, body_type.messages[name]) for name in missing]
    for name in known & set(fields):
        try:
            msgspec.json.decode(b'{"%s":%s}' % (name.encode(), bytes(fields[name])), type=_only(body_type, name))
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            errors.append((name, body_type.messages[name]))
    if errors:
        raise BadRequest(errors=errors)
    body = msgspec.json.decode(raw, type=body_type)
    if problems := body.clean():
        raise BadRequest(errors=list(problems.items()))
    return body


def _unexpected_field(body_type, name: str) -> str:
    if name in body_type.read_only:
        return f"‘{name}’ cannot be changed"
    return f"‘{printable(name)}’ is not a field you can send"


def _is_required(body_type, name: str) -> bool:
    index = body_type.__struct_fields__.index(name)
    return index < len(body_type.__struct_fields__) - len(body_type.__struct_defaults__)


_SINGLE_FIELD_TYPES: dict = {}


def _only(body_type, name: str):
    """A Struct with only `name` of `body_type`'s fields, to check one field's value on its own."""
    key = (body_type, name)
    if key not in _SINGLE_FIELD_TYPES:
        annotation = body_type.__annotations__[name]
        _SINGLE_FIELD_TYPES[key] = msgspec.defstruct(f"{body_type.__name__}_{name}", [(name, annotation)])
    return _SINGLE_FIELD_TYPES[key]


def _message(error: ValidationError) -> str:
    return error.message % error.params if error.params else error.message


def _validation_error(error: ValidationError) -> ApiError:
    errors, codes = [], set()
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            for field_error in field_errors:
                errors.append((field, _message(field_error)))
                codes.add(field_error.code)
    else:
        for field_error in error.error_list:
            errors.append((None, _message(field_error)))
            codes.add(field_error.code)
    return Conflict(errors=errors) if codes & CONFLICT_CODES else BadRequest(errors=errors)


def _handle(request, route: Route, operations: dict, kwargs: dict) -> HttpResponseBase:
    method = request.method.upper()
    operation = operations.get("GET" if method == "HEAD" else method)
    if operation is None:
        ratelimit.address_hit(request)
        raise MethodNotAllowed(route.allowed)
    if operation.public:
        ratelimit.address_hit(request)
    else:
        authenticate(request)
        if operation.permission is not None and not operation.permission(request.user):
            security_event("api_permission_denied", outcome="denied", request=request, operation=operation.operation_id)
            raise Forbidden
    params = parse_query(request.GET, operation.query)
    body = _read_body(request, operation) if operation.body is not None else None
    try:
        result = operation.handler(request, params=params, body=body, **kwargs)
    except ValidationError as error:
        raise _validation_error(error) from None
    except PermissionDenied:
        raise Forbidden from None
    except (ObjectDoesNotExist, Http404):
        raise NotFound from None
    response = result if isinstance(result, HttpResponseBase) else json_response(result)
    if not operation.public:
        patch_vary_headers(response, ["Authorization"])
    return response


def endpoint(route: Route):
    """The Django view for a route: exempt from sign-in and CSRF, which are for the web pages."""
    operations = {operation.method: operation for operation in route.operations}

    @csrf_exempt
    @login_not_required
    @no_append_slash
    def view(request, **kwargs):
        try:
            response = _handle(request, route, operations, kwargs)
        except ApiError as error:
            response = error_response(error)
        except Exception as error:
            if database_unavailable(error) or cache_unavailable(error):
                response = service_unavailable(request, error)
            else:
                logger.exception("API request failed", extra={"request_id": getattr(request, "request_id", None)})
                response = error_response(InternalServerError(request_id=getattr(request, "request_id", None)))
        if request.method.upper() == "HEAD":
            if response.streaming:
                # Not read: the stream's own close (on the response's) lets go of what it holds.
                response.streaming_content = ()
            else:
                response.content = b""
        return response

    view.route = route
    return view


@csrf_exempt
@login_not_required
@no_append_slash
def not_found(request, *args, **kwargs):
    """Any path under /api/ that is not in the route table."""
    try:
        ratelimit.address_hit(request)
        response = error_response(NotFound())
    except ApiError as error:
        response = error_response(error)
    return response
