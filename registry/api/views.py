"""The API's operations. Each takes the checked query parameters and body from registry.api.http."""

import datetime
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from msgspec import UNSET

from accounts.api_clients import selectors, services
from accounts.models import ApiClient, ApiToken, ApiTokenStatus
from registry.api import queries, schemas
from registry.api.conditional import etag_matches, not_modified
from registry.api.errors import JSON_CONTENT_TYPE, NotFound
from registry.api.http import empty_response, json_response
from registry.api.page_cache import cached_page
from registry.api.schemas import encoder
from registry.provider_export import register_csv_response

API_VERSION = "v1"


# ---------------------------------------------------------------------------------------------------
# Conditional requests
# ---------------------------------------------------------------------------------------------------


def _page_etag(request, summary: str) -> str:
    """A page's ETag: its rows' fingerprint, and the request's own query and address, which make
    its `next` link."""
    query = sorted(request.GET.lists())
    return queries.etag(queries.fingerprint(request.scheme, request.get_host(), request.path, query, summary))


def _next_link(request, row) -> str:
    query = [(name, value) for name, value in request.GET.items() if name != "cursor"]
    query.append(("cursor", queries.cursor_encode(row.updated_at, row.id)))
    return f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(query)}"


# ---------------------------------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------------------------------


def info(request, *, params, body):
    return schemas.Info(status="ok", version=schemas.Version(requested=API_VERSION, latest=API_VERSION))


@cached_page
def providers_list(request, *, params, body):
    if request.headers.get("If-None-Match"):
        # The fingerprint alone, to answer 304 without building the page.
        etag = _page_etag(request, queries.provider_page_fingerprint(params))
        if etag_matches(request, etag):
            return not_modified(etag)
    page, has_next, summary = queries.provider_page(params)
    etag = _page_etag(request, summary)
    links = schemas.Links(next=_next_link(request, page[-1]) if has_next else None)
    return json_response(schemas.ProviderPage(data=page, links=links), headers={"ETag": etag})


def providers_csv(request, *, params, body):
    """The register as the providers list's download has it: the same file, made by the same function."""
    return register_csv_response()


@cached_page
def provider_detail(request, *, params, body, provider_id):
    detail = queries.provider_detail(provider_id)
    if detail is None:
        raise NotFound
    content = encoder.encode(schemas.ProviderDocument(data=detail))
    etag = queries.etag(queries.fingerprint(content))
    if etag_matches(request, etag):
        return not_modified(etag)
    response = HttpResponse(content, content_type=JSON_CONTENT_TYPE)
    response["ETag"] = etag
    return response


@cached_page
def changes_feed(request, *, params, body):
    after, limit = params["after"], params["limit"]
    if request.headers.get("If-None-Match"):
        # The positions alone, to answer 304 without reading the documents.
        etag = _page_etag(request, queries.change_page_fingerprint(after, limit))
        if etag_matches(request, etag):
            return not_modified(etag)
    content, summary = queries.change_page(after, limit)
    response = HttpResponse(content, content_type=JSON_CONTENT_TYPE)
    response["ETag"] = _page_etag(request, summary)
    return response


@cached_page
def partnerships_list(request, *, params, body):
    page, has_next, summary = queries.partnership_page(params)
    etag = _page_etag(request, summary)
    if etag_matches(request, etag):
        return not_modified(etag)
    links = schemas.Links(next=_next_link(request, page[-1]) if has_next else None)
    return json_response(schemas.PartnershipPage(data=page, links=links), headers={"ETag": etag})


# ---------------------------------------------------------------------------------------------------
# API clients
# ---------------------------------------------------------------------------------------------------


def _token_out(token: ApiToken, now: datetime.datetime) -> schemas.ApiTokenOut:
    return schemas.ApiTokenOut(
        id=token.id,
        hint=token.hint,
        status=token.status(now).value,
        created_at=token.created_at,
        expires_at=token.expires_at,
        works_until=token.works_until(),
        replaced_at=token.replaced_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


def _client_out(client: ApiClient, client_tokens=None) -> schemas.ApiClientOut:
    now = timezone.now()
    client_tokens = list(client.tokens.all()) if client_tokens is None else client_tokens
    working = {ApiTokenStatus.ACTIVE, ApiTokenStatus.REPLACED}
    return schemas.ApiClientOut(
        id=client.id,
        name=client.name,
        status="active" if any(token.status(now) in working for token in client_tokens) else "expired",
        created_at=client.created_at,
        tokens=[_token_out(token, now) for token in client_tokens],
    )


def _issued(request, client: ApiClient, issued: services.IssuedToken):
    client = selectors.api_client_of(request.user, client.pk)
    response = json_response(
        schemas.IssuedTokenDocument(data=_client_out(client), token=issued.secret),
        status=201,
        headers={"Location": reverse("api:client", kwargs={"client_id": client.pk})},
    )
    # The token is in this response and nowhere else: nothing may keep a copy of it.
    patch_cache_control(response, no_store=True, private=True)
    return response


def _optional(value):
    return None if value is UNSET else value


def clients_list(request, *, params, body):
    return schemas.ApiClientList(data=[_client_out(client) for client in selectors.api_clients_of(request.user)])


def clients_create(request, *, params, body: schemas.ApiClientCreate):
    client, issued = services.api_client_create(
        actor=request.user, name=body.name, expires_at=_optional(body.expires_at), request=request
    )
    return _issued(request, client, issued)


def client_detail(request, *, params, body, client_id):
    return schemas.ApiClientDocument(data=_client_out(selectors.api_client_of(request.user, client_id)))


def client_rename(request, *, params, body: schemas.ApiClientUpdate, client_id):
    services.api_client_rename(actor=request.user, client_id=client_id, name=body.name)
    return schemas.ApiClientDocument(data=_client_out(selectors.api_client_of(request.user, client_id)))


def client_revoke(request, *, params, body, client_id):
    services.api_client_revoke(actor=request.user, client_id=client_id, request=request)
    return empty_response(status=204)


def client_rotate(request, *, params, body: schemas.ApiClientRotate, client_id):
    grace_hours = _optional(body.grace_period_hours)
    issued = services.api_client_token_rotate(
        actor=request.user,
        client_id=client_id,
        expires_at=_optional(body.expires_at),
        grace_period=None if grace_hours is None else datetime.timedelta(hours=int(grace_hours)),
        request=request,
    )
    return _issued(request, issued.record.client, issued)
