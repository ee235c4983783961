"""Settings, read from the environment (healthchecks style).

Defaults give a working embedded SQLite set-up under ``var/``. DEBUG is off unless
``DEBUG=1`` is set (``make demo`` sets it); with DEBUG off, ``SECRET_KEY`` and
``ALLOWED_HOSTS`` are required and the site is served as HTTPS (see the security block at
the end).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # the ptdv package
REPO_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_secret(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)  # on only when asked (DEBUG=1): make demo does
DATA_DIR = Path(os.environ.get("PTDV_DATA_DIR") or (REPO_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-ptdv"  # noqa: S105

_hosts = os.environ.get("ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "ptdv.core",
    "ptdv.audit",
    "ptdv.organizations",
    "ptdv.access",
    "ptdv.accounts",
    "ptdv.people",
    "ptdv.policy",
    "ptdv.documents",
    "ptdv.training",
    "ptdv.admissions",
    "ptdv.targets",
    "ptdv.reports",
    "ptdv.exchange",
    "ptdv.api",
    "ptdv.restructuring",
    "ptdv.reminders",
    "ptdv.demo",
    "ptdv.gendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under `ptdv serve` (gunicorn)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ptdv.core.middleware.VietnameseFirstLocaleMiddleware",  # not Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ptdv.access.gate.GateMiddleware",  # every route passes the permission gate
]

ROOT_URLCONF = "ptdv.config.urls"
WSGI_APPLICATION = "ptdv.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ptdv.access.context_processors.navigation",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'ptdv.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Scale-out (issue 13, docs/deploy.md): with DATABASE_REPLICA_URL set, report reads go to
# that streaming replica (ptdv.core.dbrouting), writes and everything else to the primary; a
# client that wrote reads the primary for PTDV_READ_YOUR_WRITES_SECONDS, and reads fall back
# to the primary while the replica lags more than PTDV_REPLICA_MAX_LAG_SECONDS. Unset: one
# database, no router, no middleware.
PTDV_READ_YOUR_WRITES_SECONDS = env_int("PTDV_READ_YOUR_WRITES_SECONDS", 10)
PTDV_REPLICA_MAX_LAG_SECONDS = env_int("PTDV_REPLICA_MAX_LAG_SECONDS", 30)
PTDV_REPLICA_LAG_CHECK_SECONDS = env_int("PTDV_REPLICA_LAG_CHECK_SECONDS", 5)
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ptdv.core.dbrouting.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "ptdv.core.dbrouting.ReadYourWritesMiddleware",
    )
# PostgreSQL's JIT compiler is off for our connections: it starts on a query's estimated
# cost, so on a large database it compiled nearly every report query of one district, and
# compiling took longer than the query (bench, province: one district's overview 0.80 s
# with it, 0.40 s without; the root's reports unchanged). PgBouncer refuses the startup
# "options" parameter: behind it (PTDV_DB_POOLER=transaction) the role or database carries
# the setting instead (`ALTER ROLE … SET jit = off`, docs/deploy.md).
PTDV_PG_OPTIONS = os.environ.get("PTDV_PG_OPTIONS", "-c jit=off")
if os.environ.get("PTDV_DB_POOLER", "") != "transaction" and PTDV_PG_OPTIONS:
    for _alias in DATABASES.values():
        if _alias["ENGINE"] == "django.db.backends.postgresql":
            _opts = _alias.setdefault("OPTIONS", {})
            _opts["options"] = " ".join(filter(None, [_opts.get("options", ""), PTDV_PG_OPTIONS]))
# Behind PgBouncer in transaction pooling (PTDV_DB_POOLER=transaction; docs/deploy.md): a
# server-side cursor cannot outlive the transaction a pooled connection lends, so querysets
# read with .iterator() fetch their rows client-side. Run `ptdv worker` (streamed exports)
# with a direct DATABASE_URL and without this variable.
if os.environ.get("PTDV_DB_POOLER", "") == "transaction":
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True


PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS: list[Path] = []  # every app keeps its own locale/ catalog
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ptdv.config.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]  # fonts and the stylesheet shared by every app
MEDIA_ROOT = DATA_DIR / "media"  # no MEDIA_URL: see the security block below

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PTDV_MAX_UPLOAD_BYTES = env_int("PTDV_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# Background jobs (imports, exports): queued in the job table, run by `ptdv worker` (which
# `ptdv serve` starts beside gunicorn unless --no-worker). See ptdv/core/jobs.py.
PTDV_JOBS_EAGER = env_bool("PTDV_JOBS_EAGER", False)  # run inline in the request (tests)
PTDV_JOB_LEASE_SECONDS = env_int("PTDV_JOB_LEASE_SECONDS", 120)  # a dead worker's job returns
PTDV_JOB_MAX_ATTEMPTS = env_int("PTDV_JOB_MAX_ATTEMPTS", 2)  # then it is failed
# management commands the worker runs once a day (never twice the same day, even with two
# workers); PTDV_DAILY_COMMANDS="clearsessions,other" in the environment. ``remind``: the
# day's reminders and escalations (ptdv/reminders/README.md).
PTDV_DAILY_COMMANDS = [
    c.strip()
    for c in os.environ.get("PTDV_DAILY_COMMANDS", "clearsessions,remind").split(",")
    if c.strip()
]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PTĐV API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # two choice sets are named "kind" (membership events, dossier documents)
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "ptdv.people.models.EventKind",
        "DocumentKindEnum": "ptdv.admissions.models.DocumentKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Security (issue 12, points 1-3: templates, files, settings) ----------------------------
# Kept in one block to ease merges; see docs/security.md. `ptdv check --deploy
# --fail-level WARNING` passes with only SECRET_KEY and ALLOWED_HOSTS set
# (ptdv/core/tests/test_deploy_settings.py).

# HTTPS: on whenever DEBUG is off. PTDV_HTTPS=0 serves plain HTTP without DEBUG (the test
# suite on loopback); PTDV_BEHIND_PROXY=1 trusts the proxy's X-Forwarded-Proto.
PTDV_HTTPS = env_bool("PTDV_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = PTDV_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's probe over plain HTTP
if env_bool("PTDV_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PTDV_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PTDV_HTTPS
SECURE_HSTS_PRELOAD = PTDV_HTTPS

# Cookies: secure over HTTPS, never readable by scripts (HTMX gets the CSRF token from the
# page's hx-headers, not from the cookie), not sent on cross-site subrequests.
SESSION_COOKIE_SECURE = PTDV_HTTPS
CSRF_COOKIE_SECURE = PTDV_HTTPS
LANGUAGE_COOKIE_SECURE = PTDV_HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ptdv.core.views.csrf_failure"  # styled, Vietnamese (access.gate)
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Headers: no sniffing, no framing, no referrer to other sites, a strict CSP on HTML pages
# (no inline script or style attribute: behaviour in static/ptdv/js, looks in static/ptdv/css).
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PTDV_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "ptdv.core.middleware.ContentSecurityPolicyMiddleware",
)

# Uploaded and generated files: random names, no public URL (ptdv.core.storage); they are
# fetched only through views that check scope and audit the download (ptdv.audit.files).
STORAGES = {
    "default": {"BACKEND": "ptdv.core.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Accounts, server, backup (issue 12, points 4, 8, 9, 10) --------------------------------
# Kept in one block to ease merges; see docs/operations.md.

# `ptdv serve` (gunicorn): static files by whitenoise (its middleware follows
# SecurityMiddleware); compressed copies beside each file, no manifest, so pages render
# before collectstatic has run.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}

# Log-in (ptdv.access.auth): failed log-ins are throttled per account and per address; the
# lock ends LOCKOUT_MINUTES after the last failure. Argon2 is the first password hasher (above).
AUTHENTICATION_BACKENDS = ["ptdv.access.auth.ThrottledModelBackend"]
PTDV_LOGIN_FAILURES_PER_ACCOUNT = env_int("PTDV_LOGIN_FAILURES_PER_ACCOUNT", 5)
PTDV_LOGIN_FAILURES_PER_ADDRESS = env_int("PTDV_LOGIN_FAILURES_PER_ADDRESS", 20)
PTDV_LOGIN_LOCKOUT_MINUTES = env_int("PTDV_LOGIN_LOCKOUT_MINUTES", 15)
# A second factor (TOTP) is optional for everyone; with this set, organization-board
# accounts must set it up before anything else.
PTDV_REQUIRE_TOTP_FOR_BOARD = env_bool("PTDV_REQUIRE_TOTP_FOR_BOARD", False)
# Sessions end after this many minutes without a request (ptdv.access.middleware, which says
# so on the log-in page); the stored session outlives that by an hour so that it can.
PTDV_SESSION_IDLE_MINUTES = env_int("PTDV_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = (PTDV_SESSION_IDLE_MINUTES + 60) * 60
# Forced password change, required second factor, idle sessions: after messages, before the
# login-required gate.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "ptdv.access.middleware.AccountMiddleware",
)
# Password reset by e-mail only where an SMTP server is configured; otherwise the
# organization board resets passwords (/access/users/).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ptdv@localhost")
# Reminders (``ptdv remind``) are e-mailed through SMTP when EMAIL_HOST is set; otherwise
# printed on the console (the demo). EMAIL_BACKEND overrides both.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# The address of the site, for links in e-mails.
PTDV_SITE_URL = os.environ.get("PTDV_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders: a deadline is "approaching" this many working days ahead; a deadline overdue by
# this many working days is escalated to the committee above (the committee's working choice,
# not a rule of the Party's documents, hence a setting rather than a policy file).
PTDV_REMIND_BEFORE_WD = env_int("PTDV_REMIND_BEFORE_WD", 5)
PTDV_ESCALATE_AFTER_WD = env_int("PTDV_ESCALATE_AFTER_WD", 10)
