"""Settings for 莱州消保. One module; production differs only by environment variables (see README)."""

import base64
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

# A production process must never start with a guessable key.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))') before starting with DEBUG off."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # nosec B105

# Personal data encrypted at rest (core/crypto.py): Fernet keys, comma-separated, the first encrypts and all decrypt
# (key rotation: README, "安全"); a separate key for the keyed hash that finds equal ID and phone numbers. Generate
# with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'. The embedded
# development keys are refused with DEBUG off, like SECRET_KEY.
DEV_PERSONAL_DATA_KEY = "ZGV2LW9ubHktcGVyc29uYWwtZGF0YS1rZXktMDAwMDA="
DEV_PERSONAL_DATA_HASH_KEY = "dev-only-personal-data-hash-key-do-not-use-in-production"
PERSONAL_DATA_KEYS = env_list("PERSONAL_DATA_KEYS", [DEV_PERSONAL_DATA_KEY] if DEBUG else [])
PERSONAL_DATA_HASH_KEY = env_str("PERSONAL_DATA_HASH_KEY", DEV_PERSONAL_DATA_HASH_KEY if DEBUG else "")
if not DEBUG and (not PERSONAL_DATA_KEYS or DEV_PERSONAL_DATA_KEY in PERSONAL_DATA_KEYS):
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEYS is not set (or holds the development key). Set it to one or more Fernet keys, the "
        "current one first, before starting with DEBUG off."
    )
for _key in PERSONAL_DATA_KEYS:
    try:
        _valid_key = len(base64.urlsafe_b64decode(_key.encode())) == 32
    except ValueError:
        _valid_key = False
    if not _valid_key:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS holds a value that is not a Fernet key (32 bytes, URL-safe base64); generate one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        )
if not DEBUG and (len(PERSONAL_DATA_HASH_KEY) < 32 or PERSONAL_DATA_HASH_KEY == DEV_PERSONAL_DATA_HASH_KEY):
    raise ImproperlyConfigured(
        "PERSONAL_DATA_HASH_KEY is not set (or is the development key, or shorter than 32 characters). Set it to a "
        "random secret different from the encryption keys before starting with DEBUG off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "fontawesome",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    # django-axes, named in Chinese in the admin.
    "core.axes_app.AxesConfig",
    "django_celery_beat",
    "core",
    "institutions",
    "complaints",
    "mediation",
    "outreach",
    "laizhou_xiaobao.dashboard",
    "laizhou_xiaobao.statistics",
    "laizhou_xiaobao.demo",
    "laizhou_xiaobao.bench",
]

MIDDLEWARE = [
    # First: a load balancer's /healthz and /readyz by address over HTTP, before the host check and redirects.
    "laizhou_xiaobao.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    # Axes must be last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# WhiteNoise serves collected static files in production; runserver serves them in development.
if not DEBUG:
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "laizhou_xiaobao.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.office",
                "laizhou_xiaobao.dashboard.context_processors.notifications",
            ],
            # `{% load i18n %}`: Django's library, a constant `{% translate %}` kept per language (core/templatetags).
            "libraries": {"i18n": "core.templatetags.i18n_constant"},
        },
    },
]

WSGI_APPLICATION = "laizhou_xiaobao.wsgi.application"

# `i18n` is replaced on purpose (TEMPLATES above); tests/core/test_i18n_constant.py lets no other library name clash.
SILENCED_SYSTEM_CHECKS: list[str] = ["templates.W003"]

# Keep each worker's connection (PostgreSQL forks a backend per connection: ~4 ms a request), checked before reuse.
_connection = {"conn_max_age": env_int("DATABASE_CONN_MAX_AGE", 60), "conn_health_checks": True}
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), **_connection)
}
# Fixed reads as prepared statements on PostgreSQL (core/rows.py); off behind an old PgBouncer (docs/operations.md).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives in var/, which a fresh clone does not have yet (`pytest` run directly).
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # Several requests and the in-process task runner write at once in development.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Covering indexes (INCLUDE) serve PostgreSQL; SQLite builds them without the extra columns, which is fine.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
    # A file (tests run commands and servers against it) named per checkout: `pytest --reuse-db` keeps it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
# A streaming replica for the report reads core/replica.py lists (docs/operations.md「多台服务器」); tests mirror it.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, **_connection) | {"TEST": {"MIRROR": "default"}}
REPORT_READS_DATABASE = "replica" if DATABASE_REPLICA_URL else "default"
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.security.backends.SessionUserBackend",  # ModelBackend; user, roles and unit in one query
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Every stored file (attachments, photos, documents, exports) goes through Django's storage API (docs/operations.md
# 「多台服务器」): local disk under PRIVATE_FILES_ROOT, or with AWS_STORAGE_BUCKET_NAME an S3-compatible store such as
# MinIO that every node shares. Private either way: views stream files after access checks; no bucket URL is given.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "us-east-1")
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID")
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY")
# A folder inside the bucket, so that several installations (or a test) can share one bucket.
AWS_LOCATION = env_str("AWS_LOCATION")
if AWS_STORAGE_BUCKET_NAME:
    FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": AWS_S3_REGION_NAME,
            "access_key": AWS_ACCESS_KEY_ID,
            "secret_key": AWS_SECRET_ACCESS_KEY,
            "location": AWS_LOCATION,
            # MinIO and moto answer path-style requests (http://host/bucket/key) without wildcard DNS.
            "addressing_style": "path",
            "default_acl": None,
            # Never overwrite: two uploads with the same name get different names, as on local disk.
            "file_overwrite": False,
        },
    }
else:
    FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": FILE_STORAGE,
    # The manifest storage needs collectstatic to have run: production only.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded evidence is personal data: outside the static tree, served only by views that check access (no MEDIA_URL).
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(BASE_DIR / "var" / "files")))
MEDIA_ROOT = PRIVATE_FILES_ROOT
# The audit log (README 安全审计) stays in the database at least this many days (网络安全法 第二十一条: 180); then
# `manage.py audit_archive` moves it into hashed, signed archives in this folder of the (backed-up) file storage.
AUDIT_RETENTION_DAYS = max(180, env_int("AUDIT_RETENTION_DAYS", 180))
AUDIT_ARCHIVE_FOLDER = env_str("AUDIT_ARCHIVE_FOLDER", "audit-archive")
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# An outreach photo may be at most this large (checked before it is decoded).
OUTREACH_PHOTO_MAX_BYTES = env_int("OUTREACH_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
# Decompression bombs: the pixels of one photo, and of all the photos of one upload, checked before decoding.
OUTREACH_PHOTO_MAX_PIXELS = env_int("OUTREACH_PHOTO_MAX_PIXELS", 40_000_000)
OUTREACH_PHOTO_TOTAL_PIXELS = env_int("OUTREACH_PHOTO_TOTAL_PIXELS", 120_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# `manage.py backup` encrypts the archive with this key (a long random passphrase) when it is set: docs/operations.md.
BACKUP_ENCRYPTION_KEY = env_str("BACKUP_ENCRYPTION_KEY", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A clerk's session ends after a working day or when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Failed logins: five in a row lock the username from that address for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Plain widgets written in Python, the same markup as Django's templates (core/form_renderer.py).
FORM_RENDERER = "core.form_renderer.FastFormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Celery: without a broker every task runs eagerly in-process, so the embedded default needs no Redis.
# The cache every node shares (docs/operations.md「多台服务器」): Redis when CACHE_URL is set (e.g.
# redis://127.0.0.1:6379/1), so that a value one web node caches is seen by the others; otherwise each process
# keeps its own (the embedded default of `make run`). Nothing a request needs lives only in one process.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "xiaobao"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long /readyz waits for the broker before it answers 503.
READYZ_TIMEOUT_SECONDS = env_int("READYZ_TIMEOUT_SECONDS", 2)

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when Redis is down: a request publishing a job must not hang. The job is kept in the database
# (core.BackgroundJob) and re-published by `jobs_republish` once the queue is back (README「可靠性与备份」).
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 3)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # An unacknowledged message (its worker was killed) goes back to the queue after this many seconds.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
}
JOBS_REPUBLISH_STALE_MINUTES = env_int("JOBS_REPUBLISH_STALE_MINUTES", 120)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xiaobao@laizhou.example")

# The address people open the site at, without a trailing slash. Links in e-mailed notifications are made
# absolute with it (a mail client has no "current site"); set it to the public https address in production.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}.")

# The office whose name heads documents when a record has none (demo default).
OFFICE_BRAND = env_str("OFFICE_BRAND", "莱州消保")
# Open items due within this many working days count as "due soon" on the dashboard and in reminders.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 3)
# 重大/群体性事项 (docs/domain.md「重大、群体性事项」): flagged at intake from this many people, or when the amount
# involved is above this many yuan (a configurable default: the law names no figure).
MAJOR_MATTER_MIN_PEOPLE = env_int("MAJOR_MATTER_MIN_PEOPLE", 20)
MAJOR_MATTER_AMOUNT_YUAN = env_int("MAJOR_MATTER_AMOUNT_YUAN", 1_000_000)
# From this day (MM-DD) of each year, administrators are warned until next year's work calendar is verified
# (banner, daily notification, system check core.W002): docs/operations.md.
CALENDAR_WARN_FROM = env_str("CALENDAR_WARN_FROM", "10-01")

# The ledger counts exactly up to this many rows; above it PostgreSQL's planner estimate is shown.
LEDGER_EXACT_COUNT_LIMIT = env_int("LEDGER_EXACT_COUNT_LIMIT", 10_000)
# Ledger exports of more rows than this run as a background task; their files are kept this many hours.
LEDGER_EXPORT_ASYNC_ROWS = env_int("LEDGER_EXPORT_ASYNC_ROWS", 5000)
LEDGER_EXPORT_KEEP_HOURS = env_int("LEDGER_EXPORT_KEEP_HOURS", 72)
# Ledger imports (docs/domain.md, "历史台账导入"): files of more rows are checked and imported by a background task.
LEDGER_IMPORT_ASYNC_ROWS = env_int("LEDGER_IMPORT_ASYNC_ROWS", 1000)
LEDGER_IMPORT_MAX_BYTES = env_int("LEDGER_IMPORT_MAX_BYTES", 30 * 1024 * 1024)
# Archive retention (docs/domain.md, "归档"): years a filed case is kept, per case type, counted from 1 January of the
# year after filing; major matters (重大) are kept permanently whatever the type says.
ARCHIVE_RETENTION_YEARS_PETITION = env_int("ARCHIVE_RETENTION_YEARS_PETITION", 10)
ARCHIVE_RETENTION_YEARS_REPORT = env_int("ARCHIVE_RETENTION_YEARS_REPORT", 10)
ARCHIVE_RETENTION_YEARS_COMPLAINT = env_int("ARCHIVE_RETENTION_YEARS_COMPLAINT", 10)

# The password `seed_demo` gives the documented demo accounts (never used outside demo data).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-laizhou-2026")  # nosec B105

# Documents follow GB/T 9704-2012: the title in a 小标宋-style face, the body in a 仿宋-style face. Each setting is
# a comma-separated list of font families (as fontconfig names them, `fc-list :lang=zh family`); the first one
# installed is used, and Noto Serif CJK SC (Debian's fonts-noto-cjk) always follows as the fallback, so the body
# is never a sans-serif face. core/checks.py checks the configured fonts.
PDF_TITLE_FONT_FAMILY = env_list(
    "PDF_TITLE_FONT_FAMILY", ["FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "华文中宋", "SimSun", "宋体"]
)
PDF_BODY_FONT_FAMILY = env_list(
    "PDF_BODY_FONT_FAMILY", ["FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "华文仿宋"]
)
PDF_FALLBACK_FONT_FAMILY = "Noto Serif CJK SC"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # HSTS preload is a decision for the operator, not a default.
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if not DEBUG else "WARNING")},
    # Not WeasyPrint's INFO line per step of every PDF (seven for one page); its warnings and errors are logged.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Account security (等保 2.0 第三级 身份鉴别; README「安全」; code in core/security/) ---------------------------

# A production process refuses the development key above and the placeholder of .env.example: both are public.
_PUBLIC_KEYS = {"dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"}
if not DEBUG and (SECRET_KEY in _PUBLIC_KEYS or SECRET_KEY.upper().startswith(("REPLACE-ME", "CHANGE-ME"))):
    raise ImproperlyConfigured(
        "SECRET_KEY 仍是开发用密钥或 .env.example 中的占位符，生产环境（DEBUG=false）拒绝启动。请生成随机密钥："
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'，写入环境变量 SECRET_KEY 后重新启动。"
    )

INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core.security",
]
# After authentication and messages, before axes (which must stay last).
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "core.security.middleware.AccountSecurityMiddleware"
)

# Passwords: at least PASSWORD_MIN_LENGTH characters of three of four kinds; not one of the last
# PASSWORD_HISTORY_COUNT; changed every PASSWORD_MAX_AGE_DAYS days (0: never expires).
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# Replaces the list above (README「安全」 lists each rule).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "core.security.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.security.passwords.CharacterClassValidator"},
    {"NAME": "core.security.passwords.PasswordHistoryValidator"},
]

# Two-factor authentication (TOTP, django-otp): required for these roles (core/roles.py values) and superusers.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", ["administrator", "security_admin", "audit_admin", "supervisor"]
)
OTP_TOTP_ISSUER = OFFICE_BRAND
TWO_FACTOR_BACKUP_CODES = 8

# Sessions: a new login ends the account's other session; SESSION_IDLE_TIMEOUT seconds without a request end it.
SESSION_SINGLE = env_bool("SESSION_SINGLE", True)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)

# Login throttling in three layers (core/security/lockout.py): AXES_FAILURE_LIMIT failures of one username from one
# address, LOGIN_USERNAME_FAILURE_LIMIT of one username from any address, LOGIN_ADDRESS_FAILURE_LIMIT from one
# address for any usernames, each within AXES_COOLOFF_TIME.
AXES_HANDLER = "core.security.lockout.LayeredLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 10)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
# Behind N reverse proxies the client address is the N-th from the right of X-Forwarded-For (0: REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.security.lockout.client_address"
