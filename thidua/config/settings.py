"""Django settings for Thi Đua DVC, read from environment variables (see .env.example)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from thidua.config.env import database_from_url, env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("THIDUA_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("THIDUA_DEBUG", False)
SECRET_KEY = env_secret("THIDUA_SECRET_KEY", fallback_file=DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("THIDUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("THIDUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not from a CDN
    "axes",
    "thidua.core",
    "thidua.units",
    "thidua.campaigns",
    "thidua.reports",
    "thidua.api",
    "thidua.portal",
    "thidua.awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "thidua.core.middleware.ContentSecurityPolicyMiddleware",  # only the app's own script runs
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "thidua.core.middleware.PrintableFormInputMiddleware",  # no invisible control characters in form input
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thidua.core.middleware.ControlCharacterPathMiddleware",  # a path with %00 is a 404 (PostgreSQL refuses NUL)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "thidua.core.middleware.MethodNotAllowedPageMiddleware",  # a Vietnamese 405 page, JSON under /api/
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

# Repeated wrong passwords (django-axes): after THIDUA_LOGIN_FAILURE_LIMIT failures in a row for one
# user name from one address, that pair is refused for THIDUA_LOGIN_LOCK_MINUTES, even with the right
# password (any new failure restarts the wait); a sign-in that succeeds clears the count. By pair, so
# that a commune office behind one address is not locked out by one colleague, and a name typed
# wrong from elsewhere does not lock its owner. Behind a reverse proxy every request has the proxy's
# address, and the lock then holds for the user name alone. The administrator lifts a lock early on
# /quan-tri/ (Đăng nhập sai). Each lockout is in the audit log.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("THIDUA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("THIDUA_LOGIN_LOCK_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False  # its pages are in English; thidua.core.admin lists the attempts in Vietnamese
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins: User.last_login is enough
AXES_VERBOSE = False
# Wrong API tokens (Authorization: Bearer) from one address before it is refused (429) for AXES_COOLOFF_TIME;
# counted in the cache (per process without REDIS_URL). See thidua.api.tokens.
THIDUA_API_TOKEN_FAILURE_LIMIT = env_int("THIDUA_API_TOKEN_FAILURE_LIMIT", 20, minimum=1)

ROOT_URLCONF = "thidua.config.urls"
CSRF_FAILURE_VIEW = "thidua.core.views.csrf_failure"  # a stale form: what to do, in Vietnamese
WSGI_APPLICATION = "thidua.config.wsgi.application"

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
                "thidua.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'thidua.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers proceed while a report is written; IMMEDIATE avoids lock upgrades mid-transaction.
    # Keep each worker thread's connection (and its PRAGMAs) instead of reopening it per request.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("THIDUA_DB_CONN_MAX_AGE", 600, minimum=0)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "public-leaderboard"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "thidua.core.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # Django's own messages its Vietnamese catalog lacks or words oddly
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("THIDUA_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "thidua.core.storage.WholeFileStorage"},  # no half-written file on a full disk
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Shared by every worker process of the installation and kept across a restart: the hourly limits of «Quên mật
# khẩu» and of the password typed to change one's email, and the portal's figures per unit × month (counted once
# per import, not once per worker). Files in the data folder need no other service; with several servers, or if
# the office runs Redis, REDIS_URL. Not the database: on SQLite a request's count would wait on (or break) a long
# portal import's write, and Django's DatabaseCache, like its FileBasedCache, would reset an hourly count's expiry
# to five minutes at each increment (thidua.core.cache keeps it).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL", ""),
         # a Redis that does not answer is given up in seconds (the limits then go uncounted, the figures counted),
         # rather than holding the request until the system's TCP timeout
         "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
        if env_str("REDIS_URL", "")
        else {"BACKEND": "thidua.core.cache.SharedFileCache", "LOCATION": str(DATA_DIR / "cache"),
              # a live hourly count is not culled to make room (Django's default 300 entries)
              "OPTIONS": {"MAX_ENTRIES": 5000}}
    )
}

# Uploads: evidence attachments and portal exports.
THIDUA_MAX_ATTACHMENT_BYTES = env_int("THIDUA_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024, minimum=1024)
THIDUA_MAX_IMPORT_BYTES = env_int("THIDUA_MAX_IMPORT_BYTES", 200 * 1024 * 1024, minimum=1024)
# A confirmed portal import runs in a thread after the response and its page shows the progress;
# False runs it inside the confirming request (the tests' client, single-threaded servers).
THIDUA_IMPORT_IN_BACKGROUND = env_bool("THIDUA_IMPORT_IN_BACKGROUND", True)
# «Quên mật khẩu» sends its email in a thread once the page has answered: a known address would otherwise answer
# later than an unknown one (the time the mail server takes), telling who has an account. False: in the request.
THIDUA_RESET_EMAIL_AFTER_RESPONSE = env_bool("THIDUA_RESET_EMAIL_AFTER_RESPONSE", True)
# The preview's dry-run scan of an upload larger than this runs in a thread too (its page shows the
# progress); a smaller one is scanned inside the request (about 10,000 rows a megabyte).
THIDUA_PREVIEW_INLINE_BYTES = env_int("THIDUA_PREVIEW_INLINE_BYTES", 2 * 1024 * 1024, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads name people and figures: readable by the server's account only (Django's default is 0644).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Email: deadline reminders to the reporters (thidua remind, Tình hình báo cáo → Nhắc nộp báo cáo) and
# Quên mật khẩu (a one-time link to the account's address).
# Off until THIDUA_EMAIL_HOST names the office's mail server (SMTP); THIDUA_SITE_URL is the address the
# reminders link to, e.g. https://thidua.example.gov.vn.
EMAIL_HOST = env_str("THIDUA_EMAIL_HOST", "")
THIDUA_EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_PORT = env_int("THIDUA_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("THIDUA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("THIDUA_EMAIL_PASSWORD", "")
_email_security = env_choice("THIDUA_EMAIL_SECURITY", "starttls", ("starttls", "ssl", "none"))
EMAIL_USE_TLS, EMAIL_USE_SSL = _email_security == "starttls", _email_security == "ssl"
EMAIL_TIMEOUT = env_int("THIDUA_EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("THIDUA_EMAIL_FROM", "thidua@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
THIDUA_SITE_URL = env_str("THIDUA_SITE_URL", "").rstrip("/")

# "Today" for training environments: an ISO date-time; empty means the real clock.
THIDUA_NOW = env_str("THIDUA_NOW", "")

SESSION_COOKIE_HTTPONLY = True
# Signed out this long after signing in: a shared office computer left signed in does not stay open for Django's
# default two weeks. Twelve hours cover a working day, so nobody is signed out in the middle of a form. A fixed
# lifetime rather than an idle one: that would write the session on every request, which on SQLite waits on (or
# breaks) a long portal import's write.
SESSION_COOKIE_AGE = env_int("THIDUA_SESSION_HOURS", 12, minimum=1) * 60 * 60
SESSION_COOKIE_SECURE = env_bool("THIDUA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # Served over HTTPS by the reverse proxy, which says so in X-Forwarded-Proto (nginx:
    # proxy_set_header X-Forwarded-Proto $scheme;) and must not pass on a client's own.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("THIDUA_SSL_REDIRECT", False)  # usually the proxy redirects
    SECURE_REDIRECT_EXEMPT = [r"^suc-khoe/$"]  # health checks from the machine itself
    # Once the whole domain is HTTPS for good (browsers then refuse plain HTTP for this long).
    SECURE_HSTS_SECONDS = env_int("THIDUA_HSTS_SECONDS", 0, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # names under the app's own host name, e.g. *.thidua.example.gov.vn
    # Browsers' preload list is the domain owner's choice, made on hstspreload.org, not this app's.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

DEFAULT_EXCEPTION_REPORTER_FILTER = "thidua.core.logging.SafeReporterFilter"  # no Authorization header in reports
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "thidua.core.logging.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": env_str("THIDUA_LOG_LEVEL", "WARNING")},
}
