"""Settings for shequ, read from the environment.

With nothing set this is a development setup: SQLite and private files under var/,
Celery on kombu's filesystem transport (no broker server), console e-mail. Production
(DEBUG=False) refuses to start without SECRET_KEY and ALLOWED_HOSTS. Every variable
is listed in .env.example.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from .api_settings import SPECTACULAR_SETTINGS, rest_framework  # noqa: F401  (Django reads it)

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)
VAR_DIR = Path(env.str("SHEQU_VAR_DIR", default="") or BASE_DIR / "var")

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-shequ-local-development-key-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    # No defaults in production: a missing secret is a configuration error, not a guess.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured("生产模式（DEBUG=False）必须设置 SECRET_KEY。")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("生产模式（DEBUG=False）必须设置 ALLOWED_HOSTS。")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework.authtoken",
    "knox",  # expiring, revocable API tokens (#13)
    "axes",  # login lock-out per account and per IP (#13)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Ours, lowest first: an app may import only the apps listed before it
    # (tests/test_architecture.py checks this order).
    "idempotency",
    "web",
    # operations (#14): error pages, request ids, health checks, backups.
    "operations",
    "audit",
    "notifications",
    "workflow",
    "accounts",
    "places",
    "archive",  # operations (#14): archive instead of delete
    "residents",
    "organizations",
    "commons",  # 三有一公开 and the community fund (#18); below projects, whose contests may draw on the fund
    "projects",
    "assessments",
    "councils",  # governance: the 居民议事会 (#17)
    "timebank",
    "publicfunds",  # governance: 社区公共服务资金 (#18)
    "programme",  # issue #20: the programme at a glance
    "reports",
    "shequ",
]

MIDDLEWARE = [
    # operations (#14): first, so every response and log line carries the request id.
    "operations.middleware.RequestIdMiddleware",
    "operations.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: a replayed create gets the first answer (issue 14).
    "idempotency.middleware.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # security: CSP on every response (#13)
    "csp.middleware.CSPMiddleware",
    "web.middleware.PermissionsPolicyMiddleware",
    # django-axes last: it watches the login attempts the middleware above let through.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shequ.urls"
WSGI_APPLICATION = "shequ.wsgi.application"

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
                "shequ.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep a worker's connection between requests (checked before reuse): opening one per
# request cost PostgreSQL a backend fork and Django its session setup on every page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a Celery worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ux: amounts with thousands separators (Django's zh_Hans has none) — shequ/formats/.
FORMAT_MODULE_PATH = ["shequ.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files are private: there is deliberately no MEDIA_URL; permission-checked
# views stream them.
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Request bodies other than uploaded files: every text field is ≤ 5000 characters (#13).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written through to the database (which stays the truth,
    # so a Redis restart signs nobody out): one query less on every signed-in request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so that a
# real worker runs on a laptop with no broker server.
CELERY_BROKER_DIR = VAR_DIR / "celery" / "broker"
CELERY_RESULTS_DIR = VAR_DIR / "celery" / "results"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # With late acks an unacknowledged message comes back after this long: longer
        # than the longest task (CELERY_TASK_TIME_LIMIT), or a running job is delivered
        # twice. A worker that died sooner is noticed by the report heartbeat sweep.
        "visibility_timeout": env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60) + 5 * 60,
        # A request that queues a task must not hang on a dead broker.
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
        "health_check_interval": 25,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_RESULTS_DIR}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcast/pidbox exchanges; kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
# One queue unless told otherwise; the test suite gives each parallel test worker its
# own, so that two of them never take each other's jobs off a shared Redis.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Publishing gives up within about a second when the broker is down: the job or outbox
# row is already saved and beat sends it again (issue 14).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers survive broker restarts: retry the connection forever (the default gives up,
# and the worker exits, after 100 tries), and let a running task finish when the broker
# drops — its job row records the result; the message comes back and is refused as done.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shequ@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = rest_framework(env)

# --- security headers (#13) ---------------------------------------------------------
# No inline script or style anywhere: templates use data- attributes and static/js/*.js.
# The API docs pages (drf-spectacular's templates) relax this for themselves in shequ/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# --- end security headers ---

# --- authentication (#13) ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords lock that account, and separately that IP, for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Lock-outs are logged as warnings; its per-request INFO lines would drown the log.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "web.views.locked_out"
# Client IP: REMOTE_ADDR unless AXES_PROXY_COUNT trusted reverse proxies add X-Forwarded-For
# (a header clients could otherwise forge to dodge the per-IP lock).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT
                                     else ["REMOTE_ADDR"])
# API tokens expire (hours) and are revoked by POST /api/auth/logout/.
SHEQU_TOKEN_TTL_HOURS = env.int("SHEQU_TOKEN_TTL_HOURS", default=10)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=SHEQU_TOKEN_TTL_HOURS),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTO_REFRESH": False,
}
# --- end authentication ---

# Production hardening; `manage.py check --deploy` passes with DEBUG=False.
# SHEQU_HTTPS=False (`make serve` on plain http://127.0.0.1) turns off the redirect,
# secure cookies and HSTS; behind TLS leave it on.
SHEQU_HTTPS = env.bool("SHEQU_HTTPS", default=True)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SHEQU_HTTPS)
    # Load balancers probe health over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = SHEQU_HTTPS
    CSRF_COOKIE_SECURE = SHEQU_HTTPS
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SHEQU_HTTPS else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# operations (#14): every line carries the request id ("-" outside a request).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.request_id.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # 403/404 are answers, not incidents; keep tracebacks for 500s.
    "loggers": {"django.request": {"level": "ERROR"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}},
}

# Application settings.
SHEQU_REPORT_TIME_LIMIT = env.int("SHEQU_REPORT_TIME_LIMIT", default=15 * 60)
SHEQU_REPORT_RETENTION_DAYS = env.int("SHEQU_REPORT_RETENTION_DAYS", default=30)
# --- report jobs never stuck (issue 14) ---
# A running job writes a heartbeat this often; one silent for STALE seconds lost its
# worker and is requeued (at most MAX_ATTEMPTS runs, then failed with a retry button).
SHEQU_REPORT_HEARTBEAT_INTERVAL = env.int("SHEQU_REPORT_HEARTBEAT_INTERVAL", default=20)
SHEQU_REPORT_HEARTBEAT_STALE = env.int("SHEQU_REPORT_HEARTBEAT_STALE", default=120)
SHEQU_REPORT_MAX_ATTEMPTS = env.int("SHEQU_REPORT_MAX_ATTEMPTS", default=3)
# A queued job nobody started for this long is sent to the broker again.
SHEQU_REPORT_REQUEUE_AFTER = env.int("SHEQU_REPORT_REQUEUE_AFTER", default=60)
# --- end report jobs ---
# Absolute links in e-mails.
SHEQU_SITE_URL = env.str("SHEQU_SITE_URL", default="http://127.0.0.1:8000")

# operations (#14): error views, health and backups.
CSRF_FAILURE_VIEW = "operations.views.csrf_failure"
SHEQU_BACKUP_DIR = Path(env.str("SHEQU_BACKUP_DIR", default="") or VAR_DIR / "backups")
SHEQU_BACKUP_RETENTION_DAYS = env.int("SHEQU_BACKUP_RETENTION_DAYS", default=14)
SHEQU_HEARTBEAT_MAX_AGE = env.int("SHEQU_HEARTBEAT_MAX_AGE", default=300)
SHEQU_MIN_FREE_DISK_MB = env.int("SHEQU_MIN_FREE_DISK_MB", default=512)
if not DEBUG and not env.bool("SHEQU_STATIC_COMPRESS", default=True):
    # Hashed names without the gzip/brotli copies: collectstatic takes a second instead
    # of a minute (the served-stack test); whitenoise then compresses nothing.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
if not REDIS_URL:
    # kombu's filesystem transport keeps its exchange tables in ./control unless told:
    # runtime files belong under var/.
    CELERY_BROKER_TRANSPORT_OPTIONS["control_folder"] = str(VAR_DIR / "celery" / "control")
# Workers log through LOGGING above, so their lines carry the request id too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# end operations
# --- residents (#17) ---
# Text messages (sign-in codes): a dotted path to a backend in residents.sms; the
# console backend prints them for development; production sets the carrier's gateway.
SHEQU_SMS_BACKEND = env.str("SHEQU_SMS_BACKEND", default="residents.sms.ConsoleBackend")
RESIDENT_INVITE_DAYS = env.int("RESIDENT_INVITE_DAYS", default=14)
# --- end residents ---
