"""HeroDesk settings: one file, configured by environment variables only.

Every variable is documented in README.md ("Configuration"). A bad value
stops start-up with a message naming the variable.
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from herodesk.lib.env import env_bool, env_int, env_list, env_str, proxy_ssl_header
from herodesk.lib.oidc import oidc_config
from herodesk.playbooks.links import LinkError
from herodesk.playbooks.links import read_templates as read_link_templates

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HERODESK_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("HERODESK_DEBUG", False)
TESTING = env_bool("HERODESK_TESTING", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; the embedded default keeps one in var/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    if env_bool("HERODESK_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set (HERODESK_REQUIRE_SECRET_KEY=true)")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("HERODESK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("HERODESK_CSRF_TRUSTED_ORIGINS")
BASE_URL = env_str("HERODESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin, discovering the apps' admin.py modules on first use (not at start-up).
    "herodesk.lib.lazyadmin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "herodesk.audit",
    "herodesk.teams",
    "herodesk.customers",
    "herodesk.tickets",
    "herodesk.security",
    "herodesk.rotations",
    "herodesk.intake",
    "herodesk.notify",
    "herodesk.playbooks",
    "herodesk.community",
    "herodesk.reports",
    "herodesk.jobs",
    "herodesk.setup",
    "herodesk.web",
    "herodesk.api",
    "herodesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for /community/api/ only (CORS_URLS_REGEX), before anything that answers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "herodesk.security.middleware.TwoFactorMiddleware",
    "herodesk.security.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "herodesk.security.middleware.PermissionsPolicyMiddleware",
    # Last: it turns a locked-out sign-in into the 429 page (docs/security.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "herodesk.urls"
# django-ninja's Swagger UI and ReDoc pages and assets, served by the desk (no CDN:
# works offline; herodesk/api/docs.py). Not an installed app: that would import
# ninja and pydantic at every start-up, even for `herodesk who`.
_NINJA_DIR = Path(str(importlib.util.find_spec("ninja").origin)).parent  # type: ignore[union-attr]
STATICFILES_DIRS = [_NINJA_DIR / "static"]
WSGI_APPLICATION = "herodesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    default_url = f"sqlite:///{VAR_DIR / 'herodesk.sqlite3'}"
    url = env_str("DATABASE_URL", default_url)
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    engine = str(config["ENGINE"])
    if engine.endswith("sqlite3"):
        # Persistent: closing the last SQLite connection checkpoints the WAL
        # (~20 ms); per-request connections cut webhook intake by half or more.
        config["CONN_MAX_AGE"] = None
        # Django's SQLite backend plus a file lock that queues writers without
        # SQLite's busy-wait sleeps (see herodesk/lib/sqlite/base.py).
        config["ENGINE"] = "herodesk.lib.sqlite"
        config["OPTIONS"] = {
            # WAL lets readers and the writer work at once; IMMEDIATE takes the
            # write lock at BEGIN so concurrent writers queue instead of failing.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        config["TEST"] = {"NAME": ":memory:"}  # one shared in-memory database per test process
    elif "postgresql" in engine:
        config["CONN_HEALTH_CHECKS"] = True
        if env_bool("HERODESK_PG_PREPARED", True):
            # Server-side binding lets psycopg prepare a statement the second time
            # it runs on a connection: PostgreSQL then skips parsing and planning.
            # Half the database CPU per API create (bench/RESULTS.md). Turn off
            # behind PgBouncer in transaction mode older than 1.21.
            options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
            options.update(server_side_binding=True, prepare_threshold=1)
            config["OPTIONS"] = options
        suffix = os.environ.get("HERODESK_TEST_DB_SUFFIX", "")
        config["TEST"] = {"NAME": f"test_{config['NAME']}{suffix}"}
    else:
        raise ImproperlyConfigured(f"DATABASE_URL must point at SQLite or PostgreSQL, got {engine}")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:  # fast hashing keeps fixtures cheap; never used outside the test suite
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Sign-in (docs/security.md). django-axes counts failed sign-ins per account and
# per address (desk and admin alike); its backend comes first in
# AUTHENTICATION_BACKENDS (set once, below, with single sign-on).
AXES_FAILURE_LIMIT = env_int("HERODESK_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HERODESK_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # a valid sign-in must not reset an address's count
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are audit events and rows of the session list
AXES_LOCKOUT_CALLABLE = "herodesk.security.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "herodesk.security.throttle.client_ip"
AXES_VERBOSE = False
# How many reverse proxies in front add X-Forwarded-For (0: trust REMOTE_ADDR).
HERODESK_PROXY_COUNT = env_int("HERODESK_PROXY_COUNT", 0, minimum=0)
# Two-factor sign-in (TOTP + recovery codes) for every staff account; sessions
# signed in through these backends (single sign-on) rely on the provider's MFA.
HERODESK_REQUIRE_2FA = env_bool("HERODESK_REQUIRE_2FA", False)
HERODESK_2FA_SSO_BACKENDS = env_list(
    "HERODESK_2FA_SSO_BACKENDS",
    "herodesk.web.oidc.PersonBackend,mozilla_django_oidc.auth.OIDCAuthenticationBackend",
)
OTP_TOTP_ISSUER = env_str("HERODESK_2FA_ISSUER", "HeroDesk")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"

# Single sign-on with OpenID Connect, and invitations (docs/setup.md).
HERODESK_OIDC = oidc_config(os.environ)
HERODESK_INVITE_DAYS = env_int("HERODESK_INVITE_DAYS", 7, minimum=1)
# axes first; then single sign-on when set up; passwords unless turned off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *(["herodesk.web.oidc.PersonBackend"] if HERODESK_OIDC.enabled else []),
    *(["django.contrib.auth.backends.ModelBackend"] if HERODESK_OIDC.password_login else []),
]
OIDC_RP_SIGN_ALGO = env_str("HERODESK_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# requests' `verify`: a CA bundle for a provider behind a private CA, else the system's.
OIDC_VERIFY_SSL: str | bool = env_str("HERODESK_OIDC_CA_BUNDLE", "") or True
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("HERODESK_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Django's database sessions, read through a prepared query (herodesk/security/sessions.py).
SESSION_ENGINE = "herodesk.security.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("HERODESK_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a TLS-terminating proxy: the header it sets to "https" (e.g. X-Forwarded-Proto).
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env_str("HERODESK_PROXY_SSL_HEADER", ""))
# HSTS whenever cookies are marked secure (the desk is served over HTTPS only).
SECURE_HSTS_SECONDS = (
    env_int("HERODESK_HSTS_SECONDS", 31_536_000, minimum=0) if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HERODESK_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("HERODESK_SSL_REDIRECT", False)
# A strict Content-Security-Policy on every page: no inline script or style,
# nothing from other origins (django-csp; docs/security.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *env_list("HERODESK_CSP_FORM_ACTION")],
    }
}
HERODESK_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("HERODESK_MAX_BODY_BYTES", 5 * 1024 * 1024, minimum=1024)

# Outgoing mail: SMTP when HERODESK_SMTP_HOST is set, else files under var/mail.
EMAIL_HOST = os.environ.get("HERODESK_SMTP_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("HERODESK_SMTP_PORT", 25, minimum=1)
    EMAIL_HOST_USER = os.environ.get("HERODESK_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("HERODESK_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("HERODESK_SMTP_STARTTLS", False)
    EMAIL_TIMEOUT = env_int("HERODESK_SMTP_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("HERODESK_FROM_EMAIL", "HeroDesk Support <support@herodesk.localhost>")
HERODESK_SUPPORT_ADDRESS = env_str("HERODESK_SUPPORT_ADDRESS", "support@herodesk.localhost")
# Inbound mail (`herodesk smtpd`, POST /api/v1/email): the addresses (or "@domain")
# the SMTP server takes mail for, and the largest message accepted.
HERODESK_INBOUND_ADDRESSES = env_list("HERODESK_INBOUND_ADDRESSES", HERODESK_SUPPORT_ADDRESS)
HERODESK_MAX_EMAIL_BYTES = env_int("HERODESK_MAX_EMAIL_BYTES", 25 * 1024 * 1024, minimum=1024)

# Product knobs.
HERODESK_DEFAULT_TIME_ZONE = env_str("HERODESK_DEFAULT_TIME_ZONE", "UTC")
HERODESK_AUTO_CLOSE_DAYS = env_int("HERODESK_AUTO_CLOSE_DAYS", 4, minimum=1)
HERODESK_BREACHING_SOON_MINUTES = env_int("HERODESK_BREACHING_SOON_MINUTES", 30, minimum=1)
# Reply checks: links to these hosts (globs, optional /path prefix) are internal and
# warned about in public replies (docs/ui.md). The desk's own host is always added.
HERODESK_INTERNAL_HOSTS = env_list(
    "HERODESK_INTERNAL_HOSTS", "*.slack.com,slack.com,localhost,127.0.0.1,*.internal,*.local,*.corp"
)

# Intake secrets: a channel whose secret is unset answers 503.
HERODESK_GITHUB_SECRET = os.environ.get("HERODESK_GITHUB_SECRET", "")
HERODESK_SLACK_SIGNING_SECRET = os.environ.get("HERODESK_SLACK_SIGNING_SECRET", "")
HERODESK_SENTRY_CLIENT_SECRET = os.environ.get("HERODESK_SENTRY_CLIENT_SECRET", "")
HERODESK_ZENDESK_SECRET = os.environ.get("HERODESK_ZENDESK_SECRET", "")
HERODESK_INTAKE_TOKEN_HEADER = "Authorization"

# Slack out.
HERODESK_SLACK_BOT_TOKEN = os.environ.get("HERODESK_SLACK_BOT_TOKEN", "")
HERODESK_SLACK_API_URL = env_str("HERODESK_SLACK_API_URL", "https://slack.com/api/")
# GitHub: public replies on GitHub tickets become issue comments when a token is set
# (a fine-grained token with "Issues: write" on the watched repositories).
HERODESK_GITHUB_TOKEN = os.environ.get("HERODESK_GITHUB_TOKEN", "")
HERODESK_GITHUB_API_URL = env_str("HERODESK_GITHUB_API_URL", "https://api.github.com")

# Jobs and notifications (docs/operations.md, "Jobs and notifications").
HERODESK_EMAIL_COMBINE_SECONDS = env_int("HERODESK_EMAIL_COMBINE_SECONDS", 120, minimum=0)
HERODESK_DELIVERY_MAX_ATTEMPTS = env_int("HERODESK_DELIVERY_MAX_ATTEMPTS", 30, minimum=1)
HERODESK_DELIVERY_RETRY_SECONDS = env_int("HERODESK_DELIVERY_RETRY_SECONDS", 30, minimum=1)
HERODESK_DELIVERY_RETRY_MAX_SECONDS = env_int(
    "HERODESK_DELIVERY_RETRY_MAX_SECONDS", 3600, minimum=1
)
HERODESK_DELIVERY_LEASE_SECONDS = env_int("HERODESK_DELIVERY_LEASE_SECONDS", 300, minimum=1)
HERODESK_SCHEDULER_TICK_SECONDS = env_int("HERODESK_SCHEDULER_TICK_SECONDS", 5, minimum=1)
HERODESK_WORKER_STALE_SECONDS = env_int("HERODESK_WORKER_STALE_SECONDS", 60, minimum=1)
# GET /metrics (Prometheus) answers only with this bearer token; unset = off (404).
HERODESK_METRICS_TOKEN = env_str("HERODESK_METRICS_TOKEN", "")
HERODESK_JOB_TIMEOUT_SECONDS = env_int("HERODESK_JOB_TIMEOUT_SECONDS", 3600, minimum=1)
HERODESK_JOB_RETENTION_DAYS = env_int("HERODESK_JOB_RETENTION_DAYS", 14, minimum=1)
HERODESK_PENDING_REMINDER_DAYS = env_int("HERODESK_PENDING_REMINDER_DAYS", 3, minimum=1)
# "Looking into it" (macros with follow_up): remind the sender after this much of
# the team's working time, unless a public reply came first (8 = one working day).
HERODESK_FOLLOW_UP_WORKING_HOURS = env_int("HERODESK_FOLLOW_UP_WORKING_HOURS", 8, minimum=1)

# Playbooks (docs/playbooks.md): the product named in their emails, admin link
# templates (HERODESK_LINK_<KIND>[_EU|_US]) and the customer-data source.
HERODESK_PRODUCT_NAME = env_str("HERODESK_PRODUCT_NAME", "PostHog")
try:
    HERODESK_LINKS = read_link_templates(os.environ)
except LinkError as exc:
    raise ImproperlyConfigured(str(exc)) from None
HERODESK_CUSTOMER_DATA_URL = env_str("HERODESK_CUSTOMER_DATA_URL", "").strip()
if HERODESK_CUSTOMER_DATA_URL and (
    not HERODESK_CUSTOMER_DATA_URL.startswith(("http://", "https://"))
    or "{user_email}" not in HERODESK_CUSTOMER_DATA_URL
):
    raise ImproperlyConfigured(
        "HERODESK_CUSTOMER_DATA_URL must be an http(s) URL with {user_email}, "
        f"got {HERODESK_CUSTOMER_DATA_URL!r}"
    )
HERODESK_CUSTOMER_DATA_TOKEN = os.environ.get("HERODESK_CUSTOMER_DATA_TOKEN", "")


def _cache() -> dict[str, object]:
    """HERODESK_CACHE_URL: the cache behind the community rate limits and the embed's
    question lists (docs/community.md, docs/operations.md)."""
    url = env_str("HERODESK_CACHE_URL", "locmem://" if TESTING else "")
    if url.startswith(("redis://", "rediss://")):  # several hosts, atomic (the redis package)
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    # Room for every docs page's cached question list (community.page_cache) beside
    # the rate-limit counters: Django's default of 300 would cull a third at a time.
    options = {"MAX_ENTRIES": env_int("HERODESK_CACHE_MAX_ENTRIES", 20_000, minimum=300)}
    if url.startswith("locmem://"):  # one process only
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": options}
    if url == "" or url.startswith("file://"):  # shared by the processes of one machine
        path = url.removeprefix("file://") or str(VAR_DIR / "cache")
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": path, "OPTIONS": options}  # fmt: skip
    raise ImproperlyConfigured(
        f"HERODESK_CACHE_URL must be redis://…, file:///path or locmem://, got {url!r}"
    )


CACHES = {"default": _cache()}

# Community questions (docs/community.md).
HERODESK_COMMUNITY_ORIGINS = env_list("HERODESK_COMMUNITY_ORIGINS")
for _origin in HERODESK_COMMUNITY_ORIGINS:
    if not _origin.startswith(("https://", "http://")) or _origin.rstrip("/").count("/") != 2:
        raise ImproperlyConfigured(
            f"HERODESK_COMMUNITY_ORIGINS must list origins like https://docs.example.com, "
            f"got {_origin!r}"
        )
CORS_URLS_REGEX = r"^/community/api/.*$"
CORS_ALLOWED_ORIGINS = [o.rstrip("/") for o in HERODESK_COMMUNITY_ORIGINS]
CORS_EXPOSE_HEADERS = ["Retry-After"]
HERODESK_COMMUNITY_SLACK_CHANNEL = env_str(
    "HERODESK_COMMUNITY_SLACK_CHANNEL", "#community-questions"
)
HERODESK_COMMUNITY_RATE_ASK = env_str("HERODESK_COMMUNITY_RATE_ASK", "5/h")
HERODESK_COMMUNITY_RATE_ANSWER = env_str("HERODESK_COMMUNITY_RATE_ANSWER", "20/h")
HERODESK_COMMUNITY_RATE_SIGNUP = env_str("HERODESK_COMMUNITY_RATE_SIGNUP", "5/h")
HERODESK_COMMUNITY_RATE_LOGIN = env_str("HERODESK_COMMUNITY_RATE_LOGIN", "20/h")
for _name in ("ASK", "ANSWER", "SIGNUP", "LOGIN"):
    _rate = globals()[f"HERODESK_COMMUNITY_RATE_{_name}"]
    if not re.fullmatch(r"\d+/\d*[smhd]", _rate):
        raise ImproperlyConfigured(
            f"HERODESK_COMMUNITY_RATE_{_name} must look like 5/h or 10/15m, got {_rate!r}"
        )
HERODESK_COMMUNITY_RATE_IP_FACTOR = env_int("HERODESK_COMMUNITY_RATE_IP_FACTOR", 3, minimum=1)
HERODESK_COMMUNITY_MAX_TITLE = min(env_int("HERODESK_COMMUNITY_MAX_TITLE", 200, minimum=10), 200)
HERODESK_COMMUNITY_MAX_BODY = env_int("HERODESK_COMMUNITY_MAX_BODY", 20_000, minimum=100)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HERODESK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Every job start/finish (the scheduler ticks every few seconds) at INFO
        # drowns the log; failures are warnings. HERODESK_JOB_LOG_LEVEL=INFO shows all.
        "django_tasks": {"level": env_str("HERODESK_JOB_LOG_LEVEL", "WARNING")},
        "django_tasks_db": {"level": env_str("HERODESK_JOB_LOG_LEVEL", "WARNING")},
    },
}
