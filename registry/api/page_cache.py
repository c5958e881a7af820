"""The register's API pages, kept in each process's memory under the register's version.

A page of the register is the same for every API user, and it changes only when the register does:
every write replaces the register's version (registry.register_version), which every authenticated
request reads in its one round trip to the cache. A page built under one version is served again,
as the same bytes with the same ETag, to requests that find the same version, and never once the
version has moved on; the oldest pages give way when the cache is full (API_PAGE_CACHE_BYTES).
"""

import dataclasses
import functools
import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse

from registry.api.conditional import etag_matches, not_modified
from registry.api.errors import JSON_CONTENT_TYPE


@dataclasses.dataclass(frozen=True, slots=True)
class Page:
    body: bytes
    etag: str


class PageCache:
    """Pages by key, least recently used first out, holding at most `max_bytes` of bodies
    (API_PAGE_CACHE_BYTES unless given)."""

    def __init__(self, max_bytes: int | None = None):
        self._max_bytes = max_bytes
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int:
        return settings.API_PAGE_CACHE_BYTES if self._max_bytes is None else self._max_bytes

    def get(self, key: tuple) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: Page) -> None:
        if len(page.body) > self.max_bytes:
            return
        with self._lock:
            if (old := self._pages.pop(key, None)) is not None:
                self._bytes -= len(old.body)
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes and self._pages:
                _, oldest = self._pages.popitem(last=False)
                self._bytes -= len(oldest.body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


pages = PageCache()


def _key(request, version: str) -> tuple:
    query = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))
    return (version, request.scheme, request.get_host(), request.path, query)


def cached_page(view):
    """Serve `view`'s 200 answers from the page cache while the register's version stays the same.

    A cached page answers If-None-Match with its ETag like the view would: 304, with no body.
    """

    @functools.wraps(view)
    def serve(request, **kwargs):
        version = getattr(request, "register_version", None)
        if version is None or not pages.max_bytes:
            return view(request, **kwargs)
        key = _key(request, version)
        page = pages.get(key)
        if page is None:
            response = view(request, **kwargs)
            if response.status_code == 200 and response.has_header("ETag"):
                pages.put(key, Page(body=response.content, etag=response["ETag"]))
            return response
        if etag_matches(request, page.etag):
            return not_modified(page.etag)
        response = HttpResponse(page.body, content_type=JSON_CONTENT_TYPE)
        response["ETag"] = page.etag
        return response

    return serve
