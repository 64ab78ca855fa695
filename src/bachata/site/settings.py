"""Django settings, built from :class:`bachata.config.Config` (the one reader of the
environment; its variables are listed in ``bachata.config.ENVIRONMENT``)."""

from __future__ import annotations

from bachata.config import Config
from bachata.database import database_url, django_databases
from bachata.errors import BachataError
from bachata.logs import logging_config

BACHATA = Config.from_env()

DEBUG = BACHATA.debug
SECRET_KEY = BACHATA.secret_key
if not SECRET_KEY:
    if not DEBUG:
        raise BachataError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
ALLOWED_HOSTS = list(BACHATA.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "procrastinate.contrib.django",
    "bachata.choreography",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bachata.site.urls"
WSGI_APPLICATION = "bachata.site.wsgi.application"

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
                "bachata.choreography.web.context.roles",
            ],
        },
    },
]

DATABASES = {"default": django_databases(database_url(BACHATA))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web-history"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "static/"
STATIC_ROOT = BACHATA.data_dir / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Static files without a web server in front, under gunicorn in development too
# (`bachata serve`): from the apps' folders, no collectstatic needed, while DEBUG is on.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if not DEBUG:
    SESSION_COOKIE_SECURE = BACHATA.secure_cookies
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = list(BACHATA.csrf_trusted_origins)

#: Proxies whose X-Forwarded-For entries are believed (see choreography/client_ip.py).
TRUSTED_PROXIES = BACHATA.trusted_proxies
# Rate-limit counters (DRF throttles, login lockout) are shared by every process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bachata_cache",
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "bachata.choreography.api.errors.exception_handler",
    # A JSON API: form encodings cannot say null, an empty list or an absent field
    # apart. Only the song upload takes multipart (its own parser_classes).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {"login": "20/min", "generate": "30/min"},
    "NUM_PROXIES": TRUSTED_PROXIES,
}

# Describe mode: Google Gemini when a key is configured, offline rules otherwise.
GEMINI_API_KEY = BACHATA.gemini_api_key
GEMINI_MODEL = BACHATA.gemini_model

# Render jobs: JOB_BACKEND=local (PostgreSQL queue + worker processes) or cloudrun.
JOB_BACKEND = BACHATA.job_backend
JOB_RETRIES = BACHATA.job_retries
WORKER_CONCURRENCY = BACHATA.worker_concurrency
#: A worker silent (no heartbeat) this long is dead; its renders are requeued.
STALLED_WORKER_SECONDS = BACHATA.stalled_worker_seconds
CLOUD_RUN_JOB = BACHATA.cloud_run_job
#: Blueprints larger than this are not put in the job's environment (loaded by TASK_ID).
JOB_ENV_BLUEPRINT_LIMIT = BACHATA.job_env_limit
#: Delete blueprints (and their tasks) older than this many days; 0 keeps them forever.
BLUEPRINT_RETENTION_DAYS = BACHATA.retention_days
SPECTACULAR_SETTINGS = {
    "TITLE": "Bachata Buddy API",
    "DESCRIPTION": "Turn a song into a bachata choreography video.",
    "VERSION": "0.1.0",
    # Request bodies get components of their own, so an upload is a binary file.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bachata.choreography.api.errors.document_errors",
    ],
}

LOGGING = logging_config(BACHATA.log_format, BACHATA.log_level)
