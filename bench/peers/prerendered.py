"""The pre-rendered peer: the bytes of the service's own first page, returned as they are.

Only the request pipeline (middleware, URL routing, the response) is left, with no database, no
authentication and no encoding: the most any view serving that page through Django could reach.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse


@functools.cache
def _body() -> bytes:
    return Path(settings.BENCH_PRERENDERED_PATH).read_bytes()


@login_not_required
def provider_page(request):
    return HttpResponse(_body(), content_type="application/json; charset=utf-8")
