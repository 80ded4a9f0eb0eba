"""Settings for ITA Tracker, read from the environment.

The defaults give a quick start on SQLite; ``DATABASE_URL`` switches to PostgreSQL.
Every variable is listed in README.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import fontpkg_sarabun
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ita_tracker.email_url import parse_email_url, parse_from_address, parse_site_url
from ita_tracker.env import (
    TEST_SUITE_SECRET_KEY,
    env_bool,
    env_int,
    env_list,
    env_str,
    load_env_file,
    weak_secret_key_reason,
)
from ita_tracker.storage import uploads_storage

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer's local .env (written by `make run`); DJANGO_ENV_FILE="" reads none.
_env_file = env_str("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    load_env_file(Path(_env_file))

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(a development default exists only while DJANGO_DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
# The test suite runs with DEBUG off on its published key and says so (pyproject.toml); no
# other weak key passes, with or without that variable.
_test_run = env_bool("DJANGO_TEST_SUITE", False) and SECRET_KEY == TEST_SUITE_SECRET_KEY
if not DEBUG and not _test_run and (reason := weak_secret_key_reason(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak for a server (DJANGO_DEBUG off): {reason}. "
        "Generate one with: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "assessments",
    "plans",
    "reminders",
    "oit",
    # The sessions' table (ita_tracker.models.Session).
    "ita_tracker",
    "csp",
    # Last, as its documentation asks: it counts failed sign-ins through auth signals.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ita_tracker.security.RequestSizeLimitMiddleware",
    "ita_tracker.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita_tracker.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the user read with the session (ita_tracker.auth).
    "ita_tracker.auth.AuthenticationMiddleware",
    "ita_tracker.security.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: refuses a locked-out sign-in before the view sees it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "ita_tracker.wsgi.application"
ASGI_APPLICATION = "ita_tracker.asgi.application"

# --- HTTPS and security headers ------------------------------------------------------------
# On by default whenever DEBUG is off; each can be turned off for a good reason (see
# docs/deploy.md). Behind nginx, DJANGO_BEHIND_PROXY=1 trusts its X-Forwarded-Proto and
# X-Forwarded-For (and only then: without a proxy that sets them, a client could forge them).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health page over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: every script, style, font and image comes from this app (no CDN,
# no inline script); the SVG charts are drawn inline without style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The statements of every request (the signed-in user, the page's plan or assessment) are
# prepared once per PostgreSQL connection (ita_tracker.prepared); 0 behind PgBouncer in
# transaction mode.
ITA_DB_PREPARED_STATEMENTS = env_bool("ITA_DB_PREPARED_STATEMENTS", True)

# Database: SQLite under the project unless DATABASE_URL names another database.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    try:
        _database = dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from None
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path(env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))),
        "OPTIONS": {
            # Take the write lock when a transaction starts, so two writers wait for each
            # other instead of failing half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
DATABASES = {"default": _database}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions live in the database, the one store every app server and worker shares: signing
# out ends the session everywhere at once (a per-process cache would keep it alive elsewhere).
# Django's database sessions, read with one plain query (ita_tracker/sessions.py).
SESSION_ENGINE = "ita_tracker.sessions"

# A working day, and gone when the browser closes: a shared office PC does not stay signed in.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Sign-in throttling (django-axes): after ITA_SIGNIN_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for ITA_SIGNIN_LOCKOUT_MINUTES. The pair,
# not the address alone: a whole office behind one NAT address is not locked out by one user.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user of a request with their membership at once.
    "ita_tracker.auth.MemberBackend",
]
AXES_FAILURE_LIMIT = env_int("ITA_SIGNIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ITA_SIGNIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ita_tracker.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "ita_tracker.security.client_ip"
# Log lines name only what the lockout counts (username and address), no start-up banner.
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Thai first; English through the language switcher.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("fonts/sarabun", Path(fontpkg_sarabun.__file__).resolve().parent / "files"),
]
# Hashed file names need `collectstatic`; off by default while developing and testing.
_STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": uploads_storage(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Without collected, hashed files, serve straight from the apps' and project's static folders.
WHITENOISE_USE_FINDERS = not _STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded evidence is private: it lives outside STATIC_ROOT and is never served by URL alone.
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

IMPORT_EXPORT_USE_TRANSACTIONS = True
# The file between an import's preview and its confirmation is kept in the uploads storage
# (S3 when several app servers share the work), not in one server's temporary folder: the
# confirmation may reach another server than the preview did.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# Import and export buttons only for those with the model's change / view permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# No exported text may run as a formula in a spreadsheet program. The admin's own export
# formats (assessments.resources.EscapedXLSX / EscapedCSV) escape =, +, - and @ without
# changing the text; this setting covers any other format the library is given.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Largest spreadsheet accepted for import, in bytes.
ITA_IMPORT_MAX_BYTES = env_int("ITA_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# What one imported spreadsheet may hold, checked before and while it is read (see
# assessments/tables.py). Sized for the largest real file, the BMA-wide wide score workbook of
# up to 8,300 organizations × ~90 item columns (≈ 750,000 cells, ≈ 30 MB of unpacked XML);
# plan files have a few hundred rows.
ITA_IMPORT_MAX_UNPACKED_BYTES = env_int(
    "ITA_IMPORT_MAX_UNPACKED_BYTES", 64 * 1024 * 1024, minimum=1024 * 1024
)
ITA_IMPORT_MAX_COMPRESSION_RATIO = env_int("ITA_IMPORT_MAX_COMPRESSION_RATIO", 100, minimum=2)
ITA_IMPORT_MAX_ROWS = env_int("ITA_IMPORT_MAX_ROWS", 20_000, minimum=10)
ITA_IMPORT_MAX_COLUMNS = env_int("ITA_IMPORT_MAX_COLUMNS", 300, minimum=10)
ITA_IMPORT_MAX_CELLS = env_int("ITA_IMPORT_MAX_CELLS", 1_000_000, minimum=100)
# Excel's own limit for the text of one cell.
ITA_IMPORT_MAX_CELL_CHARS = env_int("ITA_IMPORT_MAX_CELL_CHARS", 32_767, minimum=256)
# A refused file lists this many errors, then counts the rest.
ITA_IMPORT_MAX_LISTED_ERRORS = env_int("ITA_IMPORT_MAX_LISTED_ERRORS", 200, minimum=1)
# Largest evidence file (PDF, image, Office document) accepted with a progress report, in bytes.
ITA_EVIDENCE_MAX_BYTES = env_int("ITA_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# No request body may be larger than the largest upload plus room for the form's fields; a
# larger one is refused before it is read (413). Form fields other than files: 2.5 MB at most.
ITA_REQUEST_MAX_BYTES = max(ITA_IMPORT_MAX_BYTES, ITA_EVIDENCE_MAX_BYTES) + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads larger than this go to a temporary file for the length of the request only.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Dashboards are cached until the data of their organization and year changes
# (plans.dataversions: signal handlers, and explicit counts where writes send no signals);
# this is the longest a cached dashboard lives, the safety net for a change that slips past
# both (a raw SQL fix, a new bulk write that forgets to count). 0 turns the cache off (the
# ETag and 304 answers do not depend on it).
ITA_DASHBOARD_CACHE_SECONDS = env_int("ITA_DASHBOARD_CACHE_SECONDS", 120, minimum=0)

# --- The OIT link checker (oit/checker.py) ------------------------------------------------
# Seconds to connect, and between two reads; one address may take three times this in all.
ITA_LINKCHECK_TIMEOUT = env_int("ITA_LINKCHECK_TIMEOUT", 10, minimum=1)
# Bytes read of one web page or PDF at most; the rest is never downloaded.
ITA_LINKCHECK_MAX_BYTES = env_int("ITA_LINKCHECK_MAX_BYTES", 5 * 1024 * 1024, minimum=64 * 1024)
# Addresses fetched at once: in all, and of one host (an office's small web server).
ITA_LINKCHECK_CONCURRENCY = env_int("ITA_LINKCHECK_CONCURRENCY", 16, minimum=1)
ITA_LINKCHECK_PER_HOST = env_int("ITA_LINKCHECK_PER_HOST", 4, minimum=1)
# Lets the checker fetch private, loopback and link-local addresses: for the tests' local web
# server only. Never on a server: it opens the office network to anyone who can type a URL.
ITA_LINKCHECK_ALLOW_PRIVATE = env_bool("ITA_LINKCHECK_ALLOW_PRIVATE", False)

# --- E-mail (the reminder digests) --------------------------------------------------------
# One URL names the mail server (ita_tracker/email_url.py): smtp://…?tls=1, smtps://… or
# console:// while developing. Unset, nothing is sent: `send_reminders` says so and stops.
_email_url = env_str("ITA_EMAIL_URL", "") or ""
ITA_EMAIL_CONFIGURED = bool(_email_url.strip())
if ITA_EMAIL_CONFIGURED:
    globals().update(parse_email_url(_email_url))
else:
    # Nothing may leave by accident through Django's default (an SMTP server on localhost).
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
_from_email = env_str("DJANGO_DEFAULT_FROM_EMAIL", "") or ""
if _from_email:
    DEFAULT_FROM_EMAIL = parse_from_address(_from_email)
elif ITA_EMAIL_CONFIGURED and EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
    raise ImproperlyConfigured(
        "DJANGO_DEFAULT_FROM_EMAIL must be set when ITA_EMAIL_URL names a mail server "
        "(e.g. ITA Tracker <ita@district.bangkok.go.th>); servers refuse Django's default sender."
    )
# The site's address as its users reach it: every link in an e-mail starts with it.
_site_url = env_str("ITA_SITE_URL", "") or ""
if _site_url:
    ITA_SITE_URL = parse_site_url(_site_url)
elif ITA_EMAIL_CONFIGURED and not DEBUG:
    raise ImproperlyConfigured(
        "ITA_SITE_URL must be set when ITA_EMAIL_URL is (e.g. https://ita.example.go.th): "
        "the links in the e-mails start with it."
    )
else:
    ITA_SITE_URL = "http://127.0.0.1:8000"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default configuration gives "django" a console handler of its own (shown
        # when DEBUG is on) and lets it propagate to root's: every warning of a request was
        # printed twice. Configured here without handlers, its records reach the root
        # console once, with or without DEBUG. (Its mail_admins handler went too: no ADMINS.)
        "django": {"handlers": [], "propagate": True},
        # WeasyPrint logs every step of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # httpx logs every request the OIT link checker makes at INFO.
        "httpx": {"level": "WARNING"},
    },
}
