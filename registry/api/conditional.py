"""Conditional requests: If-None-Match against a response's ETag."""

from django.utils.http import parse_etags

from registry.api.http import empty_response


def etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or f"W/{etag}" in tags


def not_modified(etag: str):
    return empty_response(status=304, headers={"ETag": etag})
