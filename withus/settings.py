"""WithUs settings, configured from the environment.

Everything a deployment changes comes from an environment variable (see
docs/deployment.md). With none set, the product runs on SQLite with keys kept
in ``var/`` beside the code, which ``withus.core.localkeys`` creates on first use.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from withus.core import localkeys

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WITHUS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# "development" (the default) keeps keys in var/; "production" insists on them
# being set in the environment and turns on the secure cookie and HSTS settings.
WITHUS_ENV = os.environ.get("WITHUS_ENV", "development")
PRODUCTION = WITHUS_ENV == "production"
DEBUG = env_bool("WITHUS_DEBUG", default=not PRODUCTION)

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["WITHUS_SECRET_KEY"]
        # The key that encrypts special category data (health, equality
        # monitoring, benefits). Losing it loses that data: back it up apart
        # from the database.
        WITHUS_ENCRYPTION_KEY = os.environ["WITHUS_ENCRYPTION_KEY"]
    except KeyError as missing:
        raise ImproperlyConfigured(f"{missing.args[0]} must be set in production") from None
else:
    _keys = localkeys.ensure(VAR_DIR)
    SECRET_KEY = os.environ.get("WITHUS_SECRET_KEY", _keys["secret_key"])
    WITHUS_ENCRYPTION_KEY = os.environ.get("WITHUS_ENCRYPTION_KEY", _keys["encryption_key"])

# django-fernet-encrypted-fields derives its Fernet key from SECRET_KEY and
# SALT_KEY; we make the salt the dedicated encryption key so that both secrets
# are needed to read special category data.
SALT_KEY = [WITHUS_ENCRYPTION_KEY] + [k for k in os.environ.get("WITHUS_ENCRYPTION_KEY_FALLBACKS", "").split(",") if k]

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("WITHUS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("WITHUS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("WITHUS_SITE_URL", "http://127.0.0.1:8000")
# What e-mails from the sign-in library call the site ("Hello from WithUs!"): without it they
# would name the host the request came to. django.contrib.sites is not used.
SITE_NAME = os.environ.get("WITHUS_SITE_NAME", "").strip() or "WithUs"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "django.forms",
    # Background work: the tasks framework and its database-backed queue (see TASKS).
    "django_tasks",
    "django_tasks_db",
    # django-ninja, for the API documentation page's own scripts (served from here, not a CDN).
    "ninja",
    "withus.core",
    "withus.accounts",
    "withus.people",
    "withus.groups",
    "withus.opportunities",
    "withus.meetings",
    "withus.rewards",
    "withus.support",
    "withus.impact",
    "withus.concerns",
    "withus.assessments",
    "withus.reports",
    "withus.imports",
    "withus.downloads",
    # Optional channels: GOV.UK Notify for texts, e-mails and letters (withus/channels).
    "withus.channels",
    # Demo data last: it imports every app, and nothing imports it.
    "withus.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "withus.accounts.middleware.StaffMfaMiddleware",
    "csp.middleware.CSPMiddleware",
    "withus.api.middleware.ApiInputGuardMiddleware",
    "withus.api.middleware.ApiMethodNotAllowedMiddleware",
]

# Content-Security-Policy on every page: scripts, styles, fonts and images from this site
# only (images also as data: URLs, for the authenticator's QR code); no inline script or
# style anywhere, no framing, forms post only here. The Django admin keeps Django's own
# pages, and the API's documentation page loads its viewer from this site.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

ROOT_URLCONF = "withus.urls"
FORM_RENDERER = "withus.core.forms.FormRenderer"
WSGI_APPLICATION = "withus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "withus.accounts.context_processors.roles",
            ],
        },
    },
]

# SQLite by default; PostgreSQL (or any dj-database-url) when DATABASE_URL is set.
_sqlite_path = VAR_DIR / "withus.sqlite3"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_path),
            # Keep each worker's connection: opening one and setting its pragmas on every
            # request took most of a small page's time.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at the start of a transaction, so
                # two writers queue instead of failing half-way ("database is locked").
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (reminders and the like) is queued in the database and run by
# `withus worker` (django-tasks-db's db_worker): no broker to run, and on PostgreSQL
# any number of workers on any machine share the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# GOV.UK Notify, for organisations that send through it (withus/channels): its API, and how long to wait
# for an answer. Each organisation's key and templates are its own, set on its settings page.
NOTIFY_BASE_URL = os.environ.get("WITHUS_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = int(os.environ.get("WITHUS_NOTIFY_TIMEOUT", "15"))

# A database cache is shared by every web process and worker, so login rate
# limits and used one-time codes hold across a load-balanced installation.
# Django's database cache keeps 300 entries by default and past that deletes a third of
# them, expired or not: on a busy installation (two hundred visitors asking for a password
# reset are four hundred entries) that forgot failed sign-ins and used codes, and a limit
# no longer limited. Its live entries are rate limits (an hour at most), used codes (30
# seconds) and the public pages' version, far fewer than this; expired ones go first.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "withus_cache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("WITHUS_CACHE_MAX_ENTRIES", "100000"))},
    },
    # Copies of public pages, each process its own (withus.core.public_cache): what makes them
    # stale at once is a version kept in the shared cache above.
    "public-pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "withus-public-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, verification, staff MFA, rate limits.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "WithUs: "
ACCOUNT_ADAPTER = "withus.accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "withus.people.forms.MemberSignupForm"
ACCOUNT_FORMS = {"login": "withus.accounts.forms.SignInForm"}
# Rate limits count by the visitor's own address. Behind a reverse proxy every request
# comes from the proxy, so say how many proxies you run (each appends to X-Forwarded-For)
# or which header carries the visitor's address; otherwise everyone shares one limit.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("WITHUS_TRUSTED_PROXY_COUNT", "0") or 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("WITHUS_CLIENT_IP_HEADER") or None
ACCOUNT_RATE_LIMITS = {
    # Failed logins: five per account and twenty per address, each per five minutes.
    "login_failed": "20/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "confirm_email": "3/10m/key",
    "reset_password": "20/m/ip,5/5m/key",
    # The public referral form (no sign-in): five referrals an hour from one address.
    "withus_referral": "5/h/ip",
    # Wrong PINs for an anonymous concern: five per reference and twenty per address, each per five minutes.
    "withus_concern_pin": "20/5m/ip,5/5m/key",
    # Concerns raised without signing in, web and API together: ten an hour from one address.
    "withus_concern_raise": "10/h/ip",
    # Answers to public surveys (no sign-in), web and API together: twenty an hour from one address.
    "withus_survey_answer": "20/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WithUs"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
# locale/ is ours (made by makemessages); vendor_locale/ holds Welsh for the strings of
# django-allauth, which ships no Welsh, kept apart so makemessages never marks them obsolete.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "vendor_locale"]
LANGUAGE_COOKIE_NAME = "withus_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("WITHUS_STATIC_ROOT", VAR_DIR / "static"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("WITHUS_MEDIA_ROOT", VAR_DIR / "media"))
# Erasures, without identity, so that they can be applied again after a backup is restored.
# Keep it apart from the backups (docs/operations.md).
WITHUS_ERASURE_LOG = Path(os.environ.get("WITHUS_ERASURE_LOG", VAR_DIR / "erasures.jsonl"))
MEDIA_URL = "media/"
# The largest multipart body the API takes: a story's file (50 MB, impact.stories.rules) and the form around it.
# The web server in front must allow as much (docs/deployment.md).
WITHUS_MAX_UPLOAD_BYTES = 51 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get(
    "WITHUS_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
# For Django's file-based backend (WITHUS_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend):
# the folder each message is written to, instead of being sent.
if os.environ.get("WITHUS_EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["WITHUS_EMAIL_FILE_PATH"]
EMAIL_HOST = os.environ.get("WITHUS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WITHUS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WITHUS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WITHUS_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WITHUS_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("WITHUS_FROM_EMAIL", "WithUs <no-reply@withus.invalid>")

# Audit: who acted is taken from the request; sensitive fields are masked.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_MASK_CALLABLE = "withus.core.audit.mask_value"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("WITHUS_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("WITHUS_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("WITHUS_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain (often an NHS or council domain that
        # WithUs does not own) to HTTPS in browsers for good: the owner opts in.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_tracebacks": {"()": "withus.core.logging.NoTracebackForClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["no_client_tracebacks"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("WITHUS_LOG_LEVEL", "WARNING")},
}
