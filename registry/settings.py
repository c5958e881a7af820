"""Settings for the Register of training providers.

One module, driven by environment variables. Local use needs none of them: the defaults give an
SQLite database, persona sign-in and emails written to the log. With DEBUG off every secret must be
given, and nothing silently falls back to a development value.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.csp import CSP

from registry.database import database_settings
from registry.env import env_bool, env_int, env_list, env_str
from registry.logging import logging_settings

BASE_DIR = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A fixed key is only acceptable for local development, where DEBUG is on.
    SECRET_KEY = "local-development-only-not-a-secret"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# The address people use to reach the service, put into the emails it sends.
SERVICE_URL = env_str("SERVICE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
if not SERVICE_URL:
    raise ImproperlyConfigured("SERVICE_URL must be set when DEBUG is off.")

SERVICE_NAME = "Register of training providers"
# Where people ask for help and send feedback: the footer, the phase banner and the error pages name it.
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", default="becomingateacher@digital.education.gov.uk")
FEEDBACK_URL = f"mailto:{SUPPORT_EMAIL}"

INSTALLED_APPS = [
    # unfold's static files (the Inter font the layout uses) and the classes the admin site and its
    # ModelAdmins are built on; no page is drawn with unfold's templates (registry.pages draws them).
    "unfold.apps.BasicAppConfig",
    "registry.admin_config.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_tasks_db",
    "registry",
    "accounts",
]

MIDDLEWARE = [
    "registry.middleware.RequestIdMiddleware",
    # Before SecurityMiddleware: the API refuses plain HTTP (a JSON 403) where pages are redirected.
    "registry.middleware.ApiHttpsOnlyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files, served by each web process itself (compressed, cached for ever when DEBUG is off).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Outside everything that reads the session, so that every response gets it, errors included;
    # the second also overrides the SAMEORIGIN unfold puts on some admin pages.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "registry.middleware.DenyFramingMiddleware",
    # Refuses a method no page takes before any view, session or database is involved.
    "registry.middleware.AllowedMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks what a signed-in user is sent as not to be stored (it reads request.user, set just above).
    "registry.middleware.NoStoreMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "registry.middleware.TooManyRequestsMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides of unfold's templates, found before the apps' own.
        "DIRS": [BASE_DIR / "registry" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "registry.pages.context.layout",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------------

# DATABASE_STATEMENT_TIMEOUT_MS bounds each statement of a request (registry/database.py). Commands
# (migrations, the import, the email worker) do work longer than any request, so `manage.py` puts
# DATABASE_COMMAND_STATEMENT_TIMEOUT_MS (no limit by default) in its place.
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", default=10_000)
DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        statement_timeout_ms=DATABASE_STATEMENT_TIMEOUT_MS,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------------
# Users and sign-in
# ---------------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ServiceAccountBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No account has a password, so there is nothing for password validators to check.
AUTH_PASSWORD_VALIDATORS = []

# "persona" lists the fixture users for local use; "dfe-sign-in" is the production OpenID Connect sign-in.
SIGN_IN_METHOD = env_str("SIGN_IN_METHOD", default="persona" if DEBUG else "dfe-sign-in")
if SIGN_IN_METHOD not in {"persona", "dfe-sign-in"}:
    raise ImproperlyConfigured("SIGN_IN_METHOD must be 'persona' or 'dfe-sign-in'.")

LOGIN_URL = reverse_lazy("personas") if SIGN_IN_METHOD == "persona" else reverse_lazy("sign-in")
LOGIN_REDIRECT_URL = reverse_lazy("admin:index")
LOGOUT_REDIRECT_URL = "/"

# ---------------------------------------------------------------------------------------------------
# DfE Sign-in (OpenID Connect), when SIGN_IN_METHOD is "dfe-sign-in"
# ---------------------------------------------------------------------------------------------------

# The issuer exactly as DfE Sign-in writes it in its ID tokens' `iss`; its discovery document is at
# {issuer}/.well-known/openid-configuration. The callback registered with DfE Sign-in is
# {SERVICE_URL}/auth/dfe/callback/, and the address to return to after signing out is {SERVICE_URL}/.
DFE_SIGN_IN_ISSUER = env_str("DFE_SIGN_IN_ISSUER", default="")
DFE_SIGN_IN_CLIENT_ID = env_str("DFE_SIGN_IN_CLIENT_ID", default="")
DFE_SIGN_IN_CLIENT_SECRET = env_str("DFE_SIGN_IN_CLIENT_SECRET", default="")
if SIGN_IN_METHOD == "dfe-sign-in" and not (DFE_SIGN_IN_ISSUER and DFE_SIGN_IN_CLIENT_ID and DFE_SIGN_IN_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "DFE_SIGN_IN_ISSUER, DFE_SIGN_IN_CLIENT_ID and DFE_SIGN_IN_CLIENT_SECRET are needed for DfE Sign-in."
    )
DFE_SIGN_IN_SCOPES = ["openid", "email", "profile"]
# How long to wait for DfE Sign-in to answer (discovery, keys, token, user info) before giving up.
DFE_SIGN_IN_TIMEOUT_SECONDS = env_int("DFE_SIGN_IN_TIMEOUT_SECONDS", default=10)
# How long DfE Sign-in's discovery document and signing keys are reused before being fetched again
# (an ID token signed with a key we have not seen fetches the keys at once).
DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS = env_int("DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS", default=60 * 60)
# Allowance for the clocks of DfE Sign-in and the service differing, in checking `exp` and `iat`.
DFE_SIGN_IN_CLOCK_LEEWAY_SECONDS = 60
if DFE_SIGN_IN_TIMEOUT_SECONDS < 1 or DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS < 0:
    raise ImproperlyConfigured(
        "DFE_SIGN_IN_TIMEOUT_SECONDS must be at least 1, and DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS at least 0."
    )

# guardian: the service has no anonymous access, so no "AnonymousUser" row is created.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

# We never authenticate by email and password, so the email needs to be unique only among kept
# accounts (a database constraint); Django's warning about a non-unique USERNAME_FIELD does not apply.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

# Sessions live in the database, read through the cache, each tied to its account so that all of an
# account's sessions end the moment it loses access.
SESSION_ENGINE = "accounts.sessions"
# A signed-in session ends after two hours without a request, and twelve hours after sign-in
# whatever the activity (accounts.middleware.SessionLifetimeMiddleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# ---------------------------------------------------------------------------------------------------
# Change history
# ---------------------------------------------------------------------------------------------------

# Reverting restores every field of an old version, including access rights, past the rules that
# govern the normal forms.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Reading history is its own permission (auditors hold it without being able to see the records).
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True

# ---------------------------------------------------------------------------------------------------
# Emails through GOV.UK Notify
# ---------------------------------------------------------------------------------------------------

GOVUK_NOTIFY_API_KEY = env_str("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_BASE_URL = env_str("GOVUK_NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
GOVUK_NOTIFY_TIMEOUT_SECONDS = env_int("GOVUK_NOTIFY_TIMEOUT_SECONDS", default=10)
# How long past the Notify timeouts an email being sent stays with the worker sending it; after that,
# another worker takes it that the first died, and finishes it (asking Notify first).
EMAIL_SENDING_GRACE_SECONDS = env_int("EMAIL_SENDING_GRACE_SECONDS", default=60)
GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS = env_str("GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS", default="")
GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED = env_str("GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED", default="")
# Email notifications of changes to the register (accounts.notifications). Not yet among those the
# settings require with a key: send_change_digests refuses to run through Notify without them.
GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST = env_str("GOVUK_NOTIFY_TEMPLATE_CHANGE_DIGEST", default="")
GOVUK_NOTIFY_TEMPLATE_PROVIDER_CHANGED = env_str("GOVUK_NOTIFY_TEMPLATE_PROVIDER_CHANGED", default="")
if not DEBUG and not GOVUK_NOTIFY_API_KEY:
    raise ImproperlyConfigured("GOVUK_NOTIFY_API_KEY must be set when DEBUG is off.")
if GOVUK_NOTIFY_API_KEY and not (GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS and GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED):
    raise ImproperlyConfigured(
        "GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS and GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED are needed to send "
        "through Notify."
    )

# How often and how patiently an email is retried when Notify is busy, down or unreachable.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_RETRY_BASE_SECONDS = env_int("EMAIL_RETRY_BASE_SECONDS", default=30)
EMAIL_RETRY_MAX_SECONDS = env_int("EMAIL_RETRY_MAX_SECONDS", default=60 * 60)
if EMAIL_MAX_ATTEMPTS < 1 or EMAIL_RETRY_BASE_SECONDS < 0 or EMAIL_RETRY_MAX_SECONDS < EMAIL_RETRY_BASE_SECONDS:
    raise ImproperlyConfigured(
        "EMAIL_MAX_ATTEMPTS must be at least 1, and EMAIL_RETRY_MAX_SECONDS at least EMAIL_RETRY_BASE_SECONDS (≥ 0)."
    )

# Emails are queued in the database, in the same transaction as the change that causes them, and
# sent by `manage.py email_worker` (django-tasks-db's db_worker on that queue).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["emails"]}}

# ---------------------------------------------------------------------------------------------------
# Finding addresses by postcode (Ordnance Survey's Places API: registry/address_finder/)
# ---------------------------------------------------------------------------------------------------

# Without a key, addresses are typed in by hand: the finder is not offered.
ORDNANCE_SURVEY_API_KEY = env_str("ORDNANCE_SURVEY_API_KEY", default="")
ORDNANCE_SURVEY_BASE_URL = env_str("ORDNANCE_SURVEY_BASE_URL", default="https://api.os.uk/search/places/v1")
# A support user waits on the page for the answer: short waits, then the address form instead.
ORDNANCE_SURVEY_TIMEOUT_SECONDS = env_int("ORDNANCE_SURVEY_TIMEOUT_SECONDS", default=4)
ORDNANCE_SURVEY_CONNECT_TIMEOUT_SECONDS = 2
ORDNANCE_SURVEY_RETRY_SECONDS = 0.3

# ---------------------------------------------------------------------------------------------------
# Security headers
# ---------------------------------------------------------------------------------------------------


def _origins(urls: list[str]) -> list[str]:
    """The origin (scheme://host[:port]) of each URL given, for a CSP source list; blanks are left out."""
    return [f"{parts.scheme}://{parts.netloc}" for parts in map(urlsplit, urls) if parts.scheme and parts.netloc]


# Everything is served from the service itself, and nothing not listed may load at all: no page has
# an inline script or style, so neither is allowed.
# Signing out POSTs a form that ends with a redirect to DfE Sign-in, which `form-action` must allow.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *_origins([DFE_SIGN_IN_ISSUER])],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "registry.views.csrf_failure"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # Load balancers probe each web process directly, over plain HTTP; a redirect would fail the probe.
    SECURE_REDIRECT_EXEMPT = [r"^healthcheck$"]

# ---------------------------------------------------------------------------------------------------
# Internationalisation, static files, logging
# ---------------------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `manage.py collectstatic` puts them, for the web processes to serve.
STATIC_ROOT = Path(env_str("STATIC_ROOT", default="") or BASE_DIR / "staticfiles")
# With DEBUG off, `manage.py collectstatic` gives every file a name with its hash in it (so it can be
# cached for ever) and a compressed copy, and whitenoise serves STATIC_ROOT as it was at start-up.
# With DEBUG on (and so in tests), whitenoise looks files up in the apps as they are asked for.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# LOG_FORMAT=json (the production default) writes one JSON object per line.
LOG_FORMAT = env_str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = logging_settings(level=env_str("LOG_LEVEL", default="INFO"), log_format=LOG_FORMAT)

# ---------------------------------------------------------------------------------------------------
# Cache and rate limits
# ---------------------------------------------------------------------------------------------------

# Redis when REDIS_URL is set, as it must be wherever more than one process serves requests: the
# API's rate limits are counted, and its token checks kept, in this cache, and only a shared cache
# makes a limit apply across processes and a revoked token stop working everywhere at once.
# Local memory otherwise, for development and tests.
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "registry.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="registry"),
            # A Redis that is down or unreachable fails a request within a second (a 503, logged as
            # `cache_unavailable`), rather than holding a web worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "registry"}}

# Requests to the API in each window: per token, and per client address for requests without a
# valid token (the address is the one the server sees, REMOTE_ADDR, never a header the client sends).
API_RATE_LIMIT_WINDOW_SECONDS = env_int("API_RATE_LIMIT_WINDOW_SECONDS", default=60)
API_RATE_LIMIT_PER_TOKEN = env_int("API_RATE_LIMIT_PER_TOKEN", default=300)
API_RATE_LIMIT_PER_ADDRESS = env_int("API_RATE_LIMIT_PER_ADDRESS", default=100)
# The largest request body the API reads, in bytes; anything larger is refused with 413.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", default=16 * 1024)
if min(API_RATE_LIMIT_WINDOW_SECONDS, API_RATE_LIMIT_PER_TOKEN, API_RATE_LIMIT_PER_ADDRESS, API_MAX_BODY_BYTES) < 1:
    raise ImproperlyConfigured("The API_RATE_LIMIT_* settings and API_MAX_BODY_BYTES must be at least 1.")

# Rules DfE's own service keeps. At least this many active support users (kept, active, not API
# users) remain: deleting one, making one inactive or making one an API user is refused when fewer
# would (accounts.minimum_support_users). And each person may try deleting a user, archiving a
# provider or deleting a provider at most PAGE_ACTION_RATE_LIMIT times in a window of
# PAGE_ACTION_RATE_LIMIT_WINDOW_SECONDS from their first try (registry.pages.ratelimit), as DfE's
# Rails `rate_limit to: 3, within: 3.minutes` does.
MINIMUM_ACTIVE_SUPPORT_USERS = 4
PAGE_ACTION_RATE_LIMIT = 3
PAGE_ACTION_RATE_LIMIT_WINDOW_SECONDS = 180

# How many bytes of API pages each process keeps in memory, to serve again while the register does
# not change (registry.api.page_cache); 0 turns the cache off. Off without Redis: a change made by
# another process (a management command, the import) could not tell this one its pages are stale.
API_PAGE_CACHE_BYTES = env_int("API_PAGE_CACHE_BYTES", default=32 * 1024 * 1024 if REDIS_URL else 0)
if API_PAGE_CACHE_BYTES < 0:
    raise ImproperlyConfigured("API_PAGE_CACHE_BYTES must be 0 or more.")

# API tokens (accounts.api_clients.tokens). The service keeps HMAC-SHA-256 of each token under this
# key, which lives with the other secrets and never in the database; earlier keys, comma-separated
# in API_TOKEN_HMAC_KEY_FALLBACKS, still verify the tokens made under them. Without a key (only with
# DEBUG on), one is derived from SECRET_KEY.
API_TOKEN_HMAC_KEY = env_str("API_TOKEN_HMAC_KEY", default="")
API_TOKEN_HMAC_KEY_FALLBACKS = env_list("API_TOKEN_HMAC_KEY_FALLBACKS", default=[])
if not DEBUG and len(API_TOKEN_HMAC_KEY) < 32:
    raise ImproperlyConfigured("API_TOKEN_HMAC_KEY must be set, to at least 32 characters, when DEBUG is off.")
# Which service a token opens, written into it: "live", "test" or "dev".
API_TOKEN_ENVIRONMENT = env_str("API_TOKEN_ENVIRONMENT", default="dev" if DEBUG else "live")
if API_TOKEN_ENVIRONMENT not in {"live", "test", "dev"}:
    raise ImproperlyConfigured("API_TOKEN_ENVIRONMENT must be 'live', 'test' or 'dev'.")
# How long a token check is reused from the cache. Revoking a token, or taking away its owner's
# access, clears it at once; this is the backstop for changes made any other way.
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", default=60)
# `last_used_at` is written at most once in this many seconds per token, not on every request.
API_TOKEN_LAST_USED_INTERVAL_SECONDS = env_int("API_TOKEN_LAST_USED_INTERVAL_SECONDS", default=15 * 60)
# How long a rotated token keeps working beside its replacement, unless the rotation asks for less.
API_TOKEN_ROTATION_GRACE_HOURS = env_int("API_TOKEN_ROTATION_GRACE_HOURS", default=24)
if not 0 <= API_TOKEN_ROTATION_GRACE_HOURS <= 7 * 24 or API_TOKEN_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(
        "API_TOKEN_ROTATION_GRACE_HOURS must be between 0 and 168 (7 days); API_TOKEN_CACHE_SECONDS at least 0."
    )
