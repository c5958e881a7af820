"""The API's errors: one JSON shape for every one of them, `{"errors": [{"error", "message", ...}]}`."""

from django.http import HttpResponse

from registry.api.schemas import ErrorDetail, Errors, encoder

JSON_MEDIA_TYPE = "application/json"
JSON_CONTENT_TYPE = f"{JSON_MEDIA_TYPE}; charset=utf-8"


class ApiError(Exception):
    status = 500
    error = "InternalServerError"
    message = "Sorry, there is a problem with the service"

    def __init__(self, message: str | None = None, *, errors=None, headers=None, request_id: str | None = None):
        super().__init__(message or self.message)
        if message is not None:
            self.message = message
        # [(field, message)], for errors about particular fields.
        self.errors = list(errors or [])
        self.headers = dict(headers or {})
        self.request_id = request_id

    def details(self) -> list[ErrorDetail]:
        if self.errors:
            return [ErrorDetail(error=self.error, message=message, field=field) for field, message in self.errors]
        return [ErrorDetail(error=self.error, message=self.message, request_id=self.request_id)]


class BadRequest(ApiError):
    status = 400
    error = "BadRequest"
    message = "The request is not valid"


class Unauthorized(ApiError):
    status = 401
    error = "Unauthorized"
    # One message whatever is wrong with the token, so that a refusal tells nothing about why.
    message = "Send a valid API token in the Authorization header, as ‘Authorization: Bearer <token>’"

    def __init__(self):
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ApiError):
    status = 403
    error = "Forbidden"
    message = "You do not have permission to do this"


class HttpsRequired(Forbidden):
    """A request sent over plain HTTP: refused, never redirected (a client that followed the redirect
    would send its token in clear a second time)."""

    message = "Send API requests over HTTPS: requests over plain HTTP are refused, not redirected"


class NotFound(ApiError):
    status = 404
    error = "NotFound"
    message = "Not found"


class MethodNotAllowed(ApiError):
    status = 405
    error = "MethodNotAllowed"
    message = "Method not allowed"

    def __init__(self, allowed):
        super().__init__(headers={"Allow": ", ".join(allowed)})


class Conflict(ApiError):
    status = 409
    error = "Conflict"
    message = "The request conflicts with what already exists"


class PayloadTooLarge(ApiError):
    status = 413
    error = "PayloadTooLarge"
    message = "The request body is too large"


class UnsupportedMediaType(ApiError):
    status = 415
    error = "UnsupportedMediaType"
    message = "Send the request body as JSON, with ‘Content-Type: application/json’"


class TooManyRequests(ApiError):
    status = 429
    error = "TooManyRequests"
    message = "Too many requests: wait before trying again"

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})


class InternalServerError(ApiError):
    pass


class ServiceUnavailable(ApiError):
    """The database could not be used: nothing was wrong with the request, and it may work if sent again."""

    status = 503
    error = "ServiceUnavailable"
    message = "The service is unavailable: try again later"


class ApiSwitchedOff(ServiceUnavailable):
    """Support administrators have switched the API off (accounts.api_access): every request gets this
    until they switch it on again."""

    message = "The API is switched off for now: try again later"


def error_response(error: ApiError) -> HttpResponse:
    response = HttpResponse(
        encoder.encode(Errors(errors=error.details())), status=error.status, content_type=JSON_CONTENT_TYPE
    )
    for name, value in error.headers.items():
        response[name] = value
    return response
