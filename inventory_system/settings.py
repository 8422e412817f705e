"""Settings, read from the environment (and an optional .env file) by django-environ.

Every variable is documented in .env.example. Development defaults let `make run`
work with no configuration; production (DEBUG=0) must name its secrets.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import django.forms
import environ
from django.core.exceptions import ImproperlyConfigured

from .environment import ENV_FILE, Env

BASE_DIR = Path(__file__).resolve().parent.parent

environ.Env.read_env(ENV_FILE, overwrite=False)
env = Env(os.environ)  # an empty value (HTTPS=, DATABASE_URL=) means the default

# DEBUG alone reads an empty value as off: its default (on) is the unsafe way to fail.
DEBUG = environ.Env().bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the app refuses to start without it: "
            "set SECRET_KEY in the environment (see .env.example)."
        )
    # Development only: DEBUG is on, so this key never signs production sessions.
    SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"
# Previous keys, newest first: sessions and signed links made with them stay valid while
# a new SECRET_KEY takes over (README, Production deployment).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for the admin's widgets that include them
    "django_filters",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "inventory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the Host header: load balancers probe by address.
    "inventory_system.health.HealthzMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and axes: a NUL byte never reaches a query.
    "inventory_system.middleware.RejectNulBytesMiddleware",
    "inventory_system.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "inventory_system.middleware.ContentSecurityPolicyMiddleware",
    # Inside the session and auth middleware: its page shows the signed-in user's menu.
    "inventory_system.middleware.MethodNotAllowedPageMiddleware",
    # axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inventory_system.urls"
CSRF_FAILURE_VIEW = "inventory_system.errors.csrf_failure"
# The largest form (50 lines of a direct purchase, 6 fields each) sends about 320 fields;
# more gets the styled 400 page instead of thousands of forms built.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
WSGI_APPLICATION = "inventory_system.wsgi.application"

TEMPLATES = [
    {
        # Forms only (FORM_RENDERER below): Django's own Jinja2 copies of its widget
        # templates, the same HTML in a third of the time, and our Bootstrap form and
        # field templates. A field is rendered per row of a document, which made up
        # most of a form page's cost. Pages stay Django templates: this engine knows
        # no other folder.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "form_widgets",
        "DIRS": [
            Path(django.forms.__file__).resolve().parent / "jinja2",
            BASE_DIR / "templates" / "form_widgets",  # Bootstrap forms and fields
        ],
        "APP_DIRS": False,
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {{ value|qty }} on every page, without a {% load %} in each template.
            "builtins": ["inventory.templatetags.quantities"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "inventory.context_processors.alerts",
            ],
        },
    },
]

# Widgets render with the first engine that has their template: the Jinja2 one above;
# the admin's own widget templates fall through to the Django engine.
FORM_RENDERER = "inventory_system.form_rendering.BootstrapFormRenderer"

# Database: SQLite at the repo root by default, PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes writers queue for the write lock at BEGIN instead of failing
    # mid-transaction; WAL lets readers carry on while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so that threaded tests share one database with real locking.
    # One file per test run (pid), so parallel runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
else:
    # Persistent connections: opening one forks a PostgreSQL backend and authenticates,
    # which costs more than most requests' queries (/healthz through gunicorn: a sixth
    # of the CPU per request with 60 as with 0; docs/scaling.md). Health checks drop a
    # connection the server closed before it is reused.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT compilation costs more than it saves on these short OLTP queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# A read replica for the dashboard and the CSV exports (inventory_system/db_router.py).
# Tests point it at the default test database (MIRROR) instead of creating one.
READ_REPLICA_URL = env.str("READ_REPLICA_URL", default="")
if READ_REPLICA_URL:
    replica = env.db_url_config(READ_REPLICA_URL)
    if replica["ENGINE"] == DATABASES["default"]["ENGINE"]:
        for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS"):
            if key in DATABASES["default"]:
                replica.setdefault(key, DATABASES["default"][key])
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = replica
    DATABASE_ROUTERS = ["inventory_system.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Lots expiring within this many days are flagged on the item, stock and dashboard pages.
NEAR_EXPIRY_DAYS = env.int("NEAR_EXPIRY_DAYS", default=30)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleModelBackend",  # ModelBackend, with the role in the user's query
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
CURRENCY = env.str("CURRENCY", default="USD")
# The business's name, at the head of a printed purchase order or delivery note.
COMPANY_NAME = env.str("COMPANY_NAME", default="Inventory")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: console by default; SMTP with EMAIL_URL=smtp+tls://user:pass@host:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="inventory@localhost")
# Seconds an SMTP connection may stall before sending fails: without it a hung mail server
# blocked the task worker (or, with the immediate backend, the request) forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Who receives the e-mail of a 500 (with DEBUG off): "Ann <ann@example.com>, bob@example.com".
ADMINS = [
    (name, address) for name, address in getaddresses([env.str("ADMINS", default="")]) if address
]
# The sender of those e-mails: Django's own (root@localhost) is refused by most relays.
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: run immediately by default; TASKS_BACKEND=database queues them
# for `manage.py db_worker`.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# Sessions expire after a working day of inactivity and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS hardening: on by default in production; HTTPS=0 for a plain-http test bed.
HTTPS = env.bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# django-axes: 5 failures in 15 minutes lock that username from that IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Sign-in takes the username in any case (accounts/backends.py): so does the lockout.
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
# Lockouts count against the address the audit log records (X-Forwarded-For behind our
# proxies): without it, every client behind the proxy shared its address and one lockout.
AXES_CLIENT_IP_CALLABLE = "inventory.services.actor.client_ip"
AXES_VERBOSE = False

LOW_STOCK_EMAIL_SUBJECT_PREFIX = "[Inventory] "
# The address people open the app at (https://stock.example.com), for links in e-mails;
# without it, e-mails say where to look in the menu.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_error_without_traceback": {
            "()": "inventory_system.log_filters.ClientErrorWithoutTraceback"
        },
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "timestamped": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "timestamped"},
        # Django's own: a 500 e-mailed to ADMINS when DEBUG is off.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's records reach the console through the root, timestamped: its default
        # configuration printed them bare, and twice with DEBUG on.
        "django": {"handlers": ["mail_admins"], "level": LOG_LEVEL},
        "axes": {"level": "ERROR"},
        # A 403 or 404 is one line in the log; a 500 keeps its traceback.
        "django.request": {"filters": ["client_error_without_traceback"]},
        # A request for a host not in ALLOWED_HOSTS (mostly scanners) is one line in the
        # log, and no e-mail to ADMINS.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "filters": ["client_error_without_traceback"],
            "propagate": False,
        },
    },
}

# --- REST API (api/, issue 16) -------------------------------------------------------
# Everything the API needs lives in this block: its apps, DRF and the OpenAPI schema.
INSTALLED_APPS += [
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: its WWW-Authenticate header makes an unauthenticated call a 401.
        "api.authentication.ApiTokenAuthentication",
        # The browsable API and Swagger UI in a signed-in browser; DRF enforces CSRF here.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RoleRequired"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.ClientRateThrottle",
        "api.throttling.AnonAddressRateThrottle",
    ],
    # Requests per token (or per signed-in user) and per anonymous address.
    "DEFAULT_THROTTLE_RATES": {
        "api_client": env.str("API_THROTTLE_CLIENT", default="1200/min"),
        "api_anon": env.str("API_THROTTLE_ANON", default="60/min"),
    },
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # DRF's, refusing bodies nested too deep (a RecursionError) or too large (413).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inventory API",
    "DESCRIPTION": (
        "Stock, orders and the catalogue over HTTP, on the same services as the web "
        "screens. Authenticate with `Authorization: Bearer <token>` (tokens are made on "
        "the API tokens page of the user menu). Every POST that moves stock needs an "
        "`Idempotency-Key` header; errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "QCStatusEnum": "inventory.models.stock.QCStatus",
        "PurchaseOrderStatusEnum": "inventory.models.orders.PurchaseOrder.Status",
        "SalesOrderStatusEnum": "inventory.models.orders.SalesOrder.Status",
        "AlertStatusEnum": "inventory.models.audit.Alert.Status",
        "LedgerKindEnum": "inventory.models.stock.LedgerEntry.Kind",
        "AdjustReasonEnum": "inventory.models.stock.LedgerEntry.Reason",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# An Idempotency-Key and the response it produced are kept this many days.
API_IDEMPOTENCY_DAYS = env.int("API_IDEMPOTENCY_DAYS", default=7)
# The schema, Swagger UI and Redoc need a signed-in user or an API token; 1 opens them to all.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
# --- end REST API --------------------------------------------------------------------
