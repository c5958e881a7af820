"""Settings for the Register of training providers.

One module, driven by environment variables. Local use needs none of them: the defaults give an
SQLite database, persona sign-in and emails written to the log. With DEBUG off every secret must be
given, and nothing silently falls back to a development value.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.csp import CSP

from registry.env import env_bool, env_int, env_list, env_str

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

INSTALLED_APPS = [
    # unfold's templates and static files; the admin site itself is ours (registry.admin_site).
    "unfold.apps.BasicAppConfig",
    "unfold.contrib.filters",
    "unfold.contrib.guardian",
    "unfold.contrib.simple_history",
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
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
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
GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS = env_str("GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS", default="")
GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED = env_str("GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED", default="")
if not DEBUG and not GOVUK_NOTIFY_API_KEY:
    raise ImproperlyConfigured("GOVUK_NOTIFY_API_KEY must be set when DEBUG is off.")
if GOVUK_NOTIFY_API_KEY and not (GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS and GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED):
    raise ImproperlyConfigured("Every GOVUK_NOTIFY_TEMPLATE_* setting is needed to send through Notify.")

# How often and how patiently an email is retried when Notify is busy, down or unreachable.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_RETRY_BASE_SECONDS = env_int("EMAIL_RETRY_BASE_SECONDS", default=30)
EMAIL_RETRY_MAX_SECONDS = env_int("EMAIL_RETRY_MAX_SECONDS", default=60 * 60)
if EMAIL_MAX_ATTEMPTS < 1 or EMAIL_RETRY_BASE_SECONDS < 0 or EMAIL_RETRY_MAX_SECONDS < EMAIL_RETRY_BASE_SECONDS:
    raise ImproperlyConfigured(
        "EMAIL_MAX_ATTEMPTS must be at least 1, and EMAIL_RETRY_MAX_SECONDS at least EMAIL_RETRY_BASE_SECONDS (≥ 0)."
    )

# Emails are queued in the database, in the same transaction as the change that causes them, and
# sent by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["emails"]}}

# ---------------------------------------------------------------------------------------------------
# Security headers
# ---------------------------------------------------------------------------------------------------

# unfold's Alpine.js build evaluates expressions with `new Function`, and its theme sets inline styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_EVAL],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

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

# ---------------------------------------------------------------------------------------------------
# Internationalisation, static files, logging
# ---------------------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# LOG_FORMAT=json (the production default) writes one JSON object per line.
LOG_FORMAT = env_str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "registry.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Its warnings quote Notify's replies verbatim; our worker logs each failure itself, redacted.
        "notifications_python_client": {"level": "ERROR"},
    },
}

# ---------------------------------------------------------------------------------------------------
# The admin site (django-unfold)
# ---------------------------------------------------------------------------------------------------

UNFOLD = {
    "SITE_TITLE": SERVICE_NAME,
    "SITE_HEADER": SERVICE_NAME,
    "SITE_SYMBOL": "school",
    "SITE_URL": "/",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_BACK_BUTTON": False,
    "STYLES": ["registry.unfold.stylesheet"],
    "ENVIRONMENT": "registry.unfold.environment_badge",
    "COLORS": {
        # GOV.UK blue (#1d70b8) as the primary colour.
        "primary": {
            "50": "#e8f1f8",
            "100": "#d2e2f1",
            "200": "#a5c6e3",
            "300": "#77a9d4",
            "400": "#4a8dc6",
            "500": "#1d70b8",
            "600": "#175a93",
            "700": "#11436e",
            "800": "#0c2d4a",
            "900": "#061625",
            "950": "#030b12",
        },
    },
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": "registry.unfold.sidebar_navigation",
    },
}
