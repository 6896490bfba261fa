"""Settings for the marketing department records archive.

Every value that differs between machines comes from an environment variable;
`.env.example` lists them all. `ARCHIVE_ENV=production` makes the secret key
and allowed hosts mandatory and turns on the HTTPS settings.
"""
import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from archive_site.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ARCHIVE_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_str("ARCHIVE_ENV", "development") == "production"
DEBUG = env_bool("ARCHIVE_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("ARCHIVE_DEBUG must be off when ARCHIVE_ENV=production.")

SECRET_KEY = env_str("ARCHIVE_SECRET_KEY", required=PRODUCTION) or (
    "development-only-key-never-use-in-production-0123456789abcdefghijklmnop"
)
ALLOWED_HOSTS = env_list(
    "ARCHIVE_ALLOWED_HOSTS", default=() if PRODUCTION else ("127.0.0.1", "localhost", "testserver")
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ARCHIVE_ALLOWED_HOSTS must be set when ARCHIVE_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("ARCHIVE_CSRF_TRUSTED_ORIGINS")
# Key for the client data encrypted at rest (R-CLIENT): a Fernet key, i.e.
# 32 random bytes in url-safe base64. Required in production; a development
# machine without one derives a fixed, public key from SECRET_KEY.
# The set-up scripts keep a generated key in var/field_key; reading it here too
# means manage.py run by hand uses the same key as run.sh.
_FIELD_KEY_FILE = VAR_DIR / "field_key"
ARCHIVE_FIELD_KEY = env_str("ARCHIVE_FIELD_KEY", required=PRODUCTION) or (
    _FIELD_KEY_FILE.read_text().strip() if _FIELD_KEY_FILE.is_file() else ""
)

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "jobs",
    "records",
    "clients",
    "contracts",
    "lending",
    "disposal",
    "inventory",
    "documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChineseUnlessChosen",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A download form learns that its file arrived (static/js/busy.js).
    "core.middleware.DownloadStarted",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.SecurityHeaders",
    "accounts.middleware.IdleTimeout",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive_site.urls"
WSGI_APPLICATION = "archive_site.wsgi.application"

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
                "accounts.context_processors.navigation",
                "archive_site.context_processors.navigation",
                "lending.context_processors.navigation",
                "jobs.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default. IMMEDIATE transactions take the write lock at
# BEGIN, so concurrent read-then-write transactions queue on the busy timeout
# instead of failing with "database is locked" (see shared/docs/pitfalls.md).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
}
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "archive.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
            # Opening a connection costs ~19 ms a request under gunicorn
            # (WAL set-up, the search functions): keep it for a minute.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": env_str("ARCHIVE_TEST_SQLITE_NAME", str(VAR_DIR / "test.sqlite3"))},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes checks every login (portal and back office) before the model
# backend: 5 failures for one username from one address lock that pair for
# ARCHIVE_LOGIN_COOLOFF_MINUTES; ARCHIVE_LOGIN_IP_FAILURE_LIMIT failures from
# one address, whatever usernames it tries, lock the address (accounts.throttling).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.throttling.ArchiveLoginHandler"
AXES_FAILURE_LIMIT = env_int("ARCHIVE_LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("ARCHIVE_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out are refused without counting, so the cool-off
# runs from the lockout and a locked address is refused whatever it tries.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_VERBOSE = False
# accounts.admin.signins shows the sign-in log read-only, with an unlock action.
AXES_ENABLE_ADMIN = False
ARCHIVE_LOGIN_IP_FAILURE_LIMIT = env_int("ARCHIVE_LOGIN_IP_FAILURE_LIMIT", 30)
# Behind a reverse proxy, the client's address comes from X-Forwarded-For
# only when the proxy is declared (the number of proxies in front), and only
# the entry our own proxy wrote (accounts.throttling.client_address).
ARCHIVE_PROXY_COUNT = env_int("ARCHIVE_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"

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
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# locale/vendor: Chinese for installed packages that ship none (django-axes).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
FORMAT_MODULE_PATH = ["archive_site.formats"]
TIME_ZONE = env_str("ARCHIVE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Attachments live outside the web root and have no URL: they are served only
# through a view that checks the user may see the record.
PRIVATE_MEDIA_ROOT = Path(env_str("ARCHIVE_MEDIA_ROOT", str(VAR_DIR / "attachments")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# With ARCHIVE_S3_BUCKET set, attachments, controlled documents and job
# results go to S3-compatible object storage instead (MinIO, Ceph, cloud OSS),
# for several application servers sharing one store. Objects are private (no
# ACL: the bucket's own policy must not make them public); the site streams
# them through the same permission-checked views, and any URL the storage
# signs expires after 5 minutes. A file read through storage.open() larger
# than 5 MB spools to a temporary file, never whole into memory; the download
# views and backups stream (core.stored_files). boto3 sends a CRC checksum
# with each upload, which the server verifies.
ARCHIVE_S3_BUCKET = env_str("ARCHIVE_S3_BUCKET", "")
if ARCHIVE_S3_BUCKET:
    if bool(env_str("ARCHIVE_S3_ACCESS_KEY")) != bool(env_str("ARCHIVE_S3_SECRET_KEY")):
        raise ImproperlyConfigured(
            "ARCHIVE_S3_ACCESS_KEY and ARCHIVE_S3_SECRET_KEY go together: set both, or neither "
            "(then boto3 finds credentials itself: AWS_* variables, ~/.aws, an instance role)."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ARCHIVE_S3_BUCKET,
            "endpoint_url": env_str("ARCHIVE_S3_ENDPOINT_URL"),
            "access_key": env_str("ARCHIVE_S3_ACCESS_KEY"),
            "secret_key": env_str("ARCHIVE_S3_SECRET_KEY"),
            "region_name": env_str("ARCHIVE_S3_REGION"),
            # "path" for a MinIO or Ceph without bucket subdomains; cloud OSS wants "virtual".
            "addressing_style": env_str("ARCHIVE_S3_ADDRESSING_STYLE"),
            "location": env_str("ARCHIVE_S3_PREFIX", "").strip("/"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",  # botocore may presign with the retired SigV2 otherwise
            # Never replace an object: a name taken gets a suffix, as on disk.
            "file_overwrite": False,
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
WHITENOISE_USE_FINDERS = not PRODUCTION
# Largest electronic file accepted, in MB (records.attachments). Uploads
# above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file instead
# of memory; one request carries at most DATA_UPLOAD_MAX_NUMBER_FILES files.
ARCHIVE_MAX_UPLOAD_MB = env_int("ARCHIVE_MAX_UPLOAD_MB", 50)
# Long lists (the record search) count this many results at most (records.paging).
ARCHIVE_LIST_COUNT_CAP = env_int("ARCHIVE_LIST_COUNT_CAP", 10_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Stored files and the folders made for them are the server account's alone
# (R-CLIENT, R-ACCESS: files are read through the views that check access).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Background jobs (jobs/): Django's Tasks API with the database backend, so
# the queue is a table of the site's own database and needs no other server;
# `manage.py run_worker` runs them. A job's file waits in JOBS_TMP_DIR while
# it is written, then is kept with the job in the private storage.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_TMP_DIR = VAR_DIR / "job_tmp"
# A job's file is kept this many days, then removed by the worker (the job's
# row stays); a register can be printed again.
ARCHIVE_JOB_FILES_DAYS = env_int("ARCHIVE_JOB_FILES_DAYS", 30)
# Registers up to this many rows are made in the request; longer ones by a
# job with its progress shown (records.register_jobs). A PDF made by a job
# may have up to ARCHIVE_REGISTER_MAX_PDF_ROWS rows (about 25 rows a page).
ARCHIVE_REGISTER_DIRECT_ROWS = {
    "pdf": env_int("ARCHIVE_REGISTER_DIRECT_PDF_ROWS", 300),
    "xlsx": env_int("ARCHIVE_REGISTER_DIRECT_XLSX_ROWS", 5000),
}
ARCHIVE_REGISTER_MAX_PDF_ROWS = env_int("ARCHIVE_REGISTER_MAX_PDF_ROWS", 30_000)
# The worker sends the day's loan reminders at this local time (lending.tasks).
ARCHIVE_REMINDERS_AT = datetime.time.fromisoformat(env_str("ARCHIVE_REMINDERS_AT", "08:00"))

# The CJK font shipped with the project; PDF registers embed it.
PDF_FONT_PATH = BASE_DIR / "static" / "fonts" / "wqy-microhei.ttc"

EMAIL_BACKEND = env_str("ARCHIVE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("ARCHIVE_FROM_EMAIL", "archive@localhost")
EMAIL_HOST = env_str("ARCHIVE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ARCHIVE_EMAIL_PORT", 25)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True  # history is evidence, not an undo button
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Off on purpose: every back-office import/export uses records.resources
# .formats, which keeps formula-like text as text (records.cells). The
# library's own escaping deletes the leading "=" (the title changes, so a
# re-import is refused), writes numbers and dates as text and empty cells as
# "None", and leaves + - @ and tab alone.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# An uploaded file waits for its confirmation here, the server account's
# alone (0700), and is removed after confirm, cancel or a day
# (records.import_files, manage.py clear_import_files).
IMPORT_TMP_DIR = VAR_DIR / "import_tmp"
# A confirmed import of more rows than this is imported by a background job
# (records.admin.import_jobs); its preview is still shown at once.
ARCHIVE_IMPORT_DIRECT_ROWS = env_int("ARCHIVE_IMPORT_DIRECT_ROWS", 1000)
# A back-office export of more rows than this is written by a job with its
# progress shown (records.admin.export_jobs); a shorter one in the request.
ARCHIVE_EXPORT_DIRECT_ROWS = env_int("ARCHIVE_EXPORT_DIRECT_ROWS", 5000)
# Seconds the text recognition (OCR) of one scanned file may take (records.ocr);
# a long scanned book may need more.
ARCHIVE_OCR_TIMEOUT_SECONDS = env_int("ARCHIVE_OCR_TIMEOUT_SECONDS", 900)
IMPORT_EXPORT_TMP_STORAGE_CLASS = "records.import_files.ImportTmpStorage"

# A login lasts at most ARCHIVE_SESSION_SECONDS and ends after
# ARCHIVE_IDLE_TIMEOUT_MINUTES without a request (accounts.middleware.IdleTimeout).
SESSION_COOKIE_AGE = env_int("ARCHIVE_SESSION_SECONDS", 8 * 3600)
ARCHIVE_IDLE_TIMEOUT_MINUTES = env_int("ARCHIVE_IDLE_TIMEOUT_MINUTES", 30)
PASSWORD_RESET_TIMEOUT = env_int("ARCHIVE_PASSWORD_RESET_SECONDS", 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# django-csp: everything from this site only; no inline script or style, no
# plugins, no framing. PDFs and files are served by our own views.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the archive never uses (accounts.middleware.SecurityHeaders).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("ARCHIVE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("ARCHIVE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("ARCHIVE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ARCHIVE_LOG_LEVEL", "WARNING")},
}
