"""Settings for the benchmarks: the service's own (`registry.settings`), with the peers added.

Everything the service does is unchanged: same middleware, cache, database settings and URLs. Added:
Django REST framework and its token table (for the DRF peer), the peers' URLs under /bench/, and a
second template engine that only the stock admin peer renders with, so that it gets Django's own
admin templates rather than unfold's (which override them for the whole project).

The API's rate limits are raised out of reach, or a load test would only measure 429s; the counting
itself still happens on every request, at the same cost.
"""

from pathlib import Path

import django

from registry.env import env_int, env_str
from registry.settings import *  # noqa: F403
from registry.settings import INSTALLED_APPS, TEMPLATES

INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework", "rest_framework.authtoken"]

ROOT_URLCONF = "bench.urls"

_DJANGO_ADMIN_TEMPLATES = Path(django.__file__).resolve().parent / "contrib" / "admin" / "templates"
TEMPLATES = [
    *TEMPLATES,
    {
        "NAME": "stock",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "peers" / "stock_templates", _DJANGO_ADMIN_TEMPLATES],
        "APP_DIRS": False,
        "OPTIONS": {"context_processors": TEMPLATES[0]["OPTIONS"]["context_processors"]},
    },
]

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}

API_RATE_LIMIT_PER_TOKEN = env_int("API_RATE_LIMIT_PER_TOKEN", default=1_000_000_000)
API_RATE_LIMIT_PER_ADDRESS = env_int("API_RATE_LIMIT_PER_ADDRESS", default=1_000_000_000)

# The pre-rendered peer's body: a file the benchmark writes before starting the server.
BENCH_PRERENDERED_PATH = env_str("BENCH_PRERENDERED_PATH", default="")
