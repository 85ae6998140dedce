"""Django settings; every tunable value comes from gisioc.config (GISIOC_* variables)."""

from datetime import timedelta

from gisioc.config import BASE_DIR, Config, demo_patient_keys, demo_secret_key
from gisioc.replicas.hosts import databases as replica_databases
from gisioc.systems import system_apps

CONFIG = Config()

SECRET_KEY = (
    CONFIG.secret_key.get_secret_value() if CONFIG.secret_key else demo_secret_key(CONFIG.var_dir)
)
# Keys of the patient pseudonym (health): required outside the demo once health data arrive.
GISIOC_PATIENT_KEYS = (
    CONFIG.patient_keys.get_secret_value()
    if CONFIG.patient_keys
    else demo_patient_keys(CONFIG.var_dir)
    if CONFIG.demo
    else ""
)
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "axes",  # sign-in lockout and the sign-in audit (settings below)
    "gisioc.geo",
    "gisioc.ingest",
    # Every folder gisioc/<system>/ with a system.py (the system kit, gisioc/systems.py).
    *(app for app in system_apps() if app != "gisioc.geo"),
    "gisioc.live",
    "gisioc.incidents",
    "gisioc.alerts",
    "gisioc.wall",
    "gisioc.rasters",  # raster layers and the offline basemap
    "gisioc.web",
    "layers",
    "tiles",
    *CONFIG.extra_apps,
    "gisioc",  # last: discovers the systems' modules once every app is ready
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tiles.cors.PublicCorsMiddleware",  # outside the error middleware: errors are readable too
    "gisioc.errors.ErrorMiddleware",  # request ids, JSON errors under /api/ /tiles/, 5xx logged
    "gisioc.edge.EdgeMiddleware",  # NUL / non-UTF-8 query strings, undeclared API parameters
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gisioc.limits.LimitMiddleware",  # before sessions: a refusal costs little
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into its answer
]

ROOT_URLCONF = "gisioc.urls"
WSGI_APPLICATION = "gisioc.wsgi.application"

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
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "HOST": CONFIG.db_host,
        "PORT": CONFIG.db_port,
        "NAME": CONFIG.db_name,
        "USER": CONFIG.db_user,
        "PASSWORD": CONFIG.db_password.get_secret_value(),
        "OPTIONS": {"options": CONFIG.db_options},
        # Keep connections: a new one pays tens of ms on its first coordinate transform.
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": True,
    }
}
# Streaming replicas (GISIOC_REPLICAS): reads of requests that only read; none: as before.
DATABASES |= replica_databases(DATABASES["default"], CONFIG.replicas)
DATABASE_ROUTERS = ["gisioc.replicas.router.ReplicaRouter"] if CONFIG.replicas else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process of a few threads (gisioc serve): its own memory is the fastest shared cache.
# Several processes each keep their own, still keyed by data version (NOTES.md).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "answers": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "answers",
        "OPTIONS": {"MAX_ENTRIES": CONFIG.answer_cache_entries},
    },
}

LANGUAGE_CODE = CONFIG.language
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Vietnam days everywhere, not a setting: gisioc.periods.VIETNAM and the SQL views use it too.
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.var_dir / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise scans it at start-up
STATICFILES_DIRS = (
    [BASE_DIR / "frontend" / "dist"] if (BASE_DIR / "frontend" / "dist").exists() else []
)
# Uploaded files (citizen reports' photos and videos): never under STATIC_ROOT, never served
# by WhiteNoise; gisioc/feedback/media_views.py serves them one by one, checking who asks.
GISIOC_MEDIA_DIR = CONFIG.media_dir or CONFIG.var_dir / "media"
MEDIA_ROOT = GISIOC_MEDIA_DIR

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Every sign-in (the app's page, the admin's) passes django-axes first: failures within the
# cool-off lock a username from one address, or the address across usernames (a try during a
# lockout counts, so the cool-off runs from the last one); a success clears that username's
# count. Successes and failures are kept for the admin (Access logs, Access failures);
# passwords never are.
AUTHENTICATION_BACKENDS = [
    "gisioc.web.signin.SignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "gisioc.web.signin.SignInHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = CONFIG.signin_failures
AXES_COOLOFF_TIME = timedelta(minutes=CONFIG.signin_cooloff_minutes)
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]  # and the password, always
AXES_CLIENT_IP_CALLABLE = "gisioc.proxy.client_ip"
AXES_LOCKOUT_CALLABLE = "gisioc.web.signin.lockout_response"
AXES_VERBOSE = False  # no banner on every command; failures and lockouts are still logged

# HTTPS (GISIOC_HTTPS: on outside the demo, off in it so `make run` serves plain http).
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = CONFIG.https
SECURE_HSTS_SECONDS = CONFIG.hsts_seconds if CONFIG.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.hsts_subdomains
SECURE_HSTS_PRELOAD = CONFIG.hsts_preload
# Behind trusted proxies the scheme is the one the client used, as the nearest proxy says.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if CONFIG.proxy_count else None

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Sessions only (signed in through the lockout above); the push API takes its source's
    # key (gisioc.ingest.api.ApiKeyAuthentication). No HTTP Basic: a second way in.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PAGINATION_CLASS": "gisioc.pagination.LimitOffset",
    "PAGE_SIZE": 500,
    "EXCEPTION_HANDLER": "gisioc.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gisioc API",
    "DESCRIPTION": "Trung tâm điều hành thông minh — Intelligent Operations Center API",
    "VERSION": "0.1.0",
    # The error body on every operation; GeoJSON features as they are (gisioc/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gisioc.schema.errors_documented",
        "gisioc.schema.features_complete",
    ],
    "PATH_CONVERTER_OVERRIDES": {"slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}},
    "ENUM_NAME_OVERRIDES": {"RasterKindEnum": "gisioc.rasters.models.Raster.Kind"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Debian 12's GDAL 3.6 cannot block file access in Django's own SRS parsing; files are read
# through pyogrio's bundled GDAL instead, so the hint does not apply to our inputs.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
