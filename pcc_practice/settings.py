"""Settings for PCC Practice, driven by the environment.

Production needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and usually DATABASE_URL;
everything else has a safe default. See README.md, "Deploying".
"""

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_flag(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else value == "1"


DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("dev-insecure-key" if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development)."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "pcc_practice.cache",
    # The library's models and rules, then the features built on them (each depends only on
    # those above it: tests/test_structure.py).
    "themes",
    "casestudies",
    "website",
    "opendata",
    "api",
    "alerts",
    "workbench",
]

# The library's models are shown on the public site's pages: their addresses are the public
# site's, wired here so that the library itself names no page.
def site_page(name):
    return lambda obj: reverse(f"website:{name}", kwargs={"slug": obj.slug})


ABSOLUTE_URL_OVERRIDES = {
    "casestudies.initiative": site_page("initiative-detail"),
    "casestudies.area": site_page("area-detail"),
    "casestudies.approach": site_page("approach-detail"),
    "themes.theme": site_page("theme-detail"),
}

MIDDLEWARE = [
    # First, so that a page served from the cache passes through nothing else: it is kept with
    # the headers the middleware below gave it (security headers and CSP included, none of them
    # different from one request to the next), and http and https pages are kept apart, so a
    # plain-http request still reaches the HTTPS redirect.
    "pcc_practice.cache.pages.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "pcc_practice.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the conditional GET and everything else, so that every answer under /api/ (a
    # 304, a 404 from the resolver, the outage 503) gets its CORS headers and problem form.
    "api.middleware.ApiHeadersMiddleware",
    # After WhiteNoise, which serves static files already compressed; pages and exports are
    # compressed for browsers that accept gzip (with Django's guard against BREACH).
    "django.middleware.gzip.GZipMiddleware",
    # Inside GZip, so that a page's ETag is that of its plain content (GZip makes it weak):
    # every copy of a page has the same one, however often and wherever it was compressed.
    "django.middleware.http.ConditionalGetMiddleware",
    "pcc_practice.middleware.DatabaseUnavailableMiddleware",
    # Before anything reads a form's body (the CSRF check does).
    "pcc_practice.middleware.UnreadableFormMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an address is locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "pcc_practice.urls"
WSGI_APPLICATION = "pcc_practice.wsgi.application"

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
                "django.template.context_processors.csp",
                "pcc_practice.cache.version.fragments",
            ],
            "libraries": {"site": "pcc_practice.templatetags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Lets several gunicorn workers share the file without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"



def code_folders(base):
    """Every folder whose files can change what a cached page holds: each package of the
    site (its apps and pcc_practice), the templates and the static files."""
    packages = [path for path in base.iterdir() if (path / "__init__.py").is_file()]
    return sorted([*packages, base / "templates", base / "static", base / "scss"])


def release_id():
    """Names this release in every cache key, so that nothing cached outlives a deploy of new
    code, templates or styles: PCC_RELEASE if set, else a digest of them."""
    if os.environ.get("PCC_RELEASE"):
        return os.environ["PCC_RELEASE"]
    digest = hashlib.sha256()
    for folder in code_folders(BASE_DIR):
        for path in sorted(folder.rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".csv", ".css", ".scss", ".js", ".svg"}
RELEASE = release_id()
# Cache: in-process memory by default; Redis, shared by all workers, when REDIS_URL is set
# (while Redis cannot be reached, pages are built without it rather than failing). Whole pages
# have a cache of their own, capped at PAGE_CACHE_MAX_ENTRIES pages of at most
# PAGE_CACHE_MAX_BYTES each, so that no run of new addresses can fill a worker's memory (with
# Redis, set its maxmemory and an LRU policy).
PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("PCC_PAGE_CACHE_MAX_ENTRIES", "300"))
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PCC_PAGE_CACHE_MAX_BYTES", str(256 * 1024)))
# Board-pack PDFs, each some tens of kB, are kept by shortlist and content version in a cache
# of their own: files in a folder that every worker on the machine shares (Redis with
# REDIS_URL), at most this many.
BOARD_PACK_CACHE_ENTRIES = int(os.environ.get("PCC_BOARD_PACK_CACHE_ENTRIES", "100"))
BOARD_PACK_CACHE_DIR = os.environ.get("PCC_BOARD_PACK_CACHE_DIR") or str(
    Path(tempfile.gettempdir()) / "pcc-practice-board-packs")
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {"BACKEND": "pcc_practice.cache.redis.DegradingRedisCache",
                "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": f"{RELEASE}:{alias}"}
        for alias in ("default", "pages", "boardpacks")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "KEY_PREFIX": RELEASE, "OPTIONS": {"MAX_ENTRIES": 2000}},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                  "LOCATION": "pages", "KEY_PREFIX": RELEASE,
                  "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES}},
        "boardpacks": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                       "LOCATION": BOARD_PACK_CACHE_DIR, "KEY_PREFIX": RELEASE,
                       "OPTIONS": {"MAX_ENTRIES": BOARD_PACK_CACHE_ENTRIES}},
    }
# Anonymous pages are cached until content changes (0 turns the page cache off). In
# development (DJANGO_DEBUG=1, as under `make run`) nothing is kept unless asked for, so that an
# edited template or view shows at once.
CACHE_SECONDS_DEFAULT = "0" if DEBUG else "600"
PAGE_CACHE_SECONDS = int(os.environ.get("PCC_PAGE_CACHE_SECONDS", CACHE_SECONDS_DEFAULT))
# Facet counts and page fragments are kept until content changes (0: not kept).
FRAGMENT_CACHE_SECONDS = int(os.environ.get("PCC_FRAGMENT_CACHE_SECONDS",
                                            CACHE_SECONDS_DEFAULT))
# How long a worker trusts its copy of the content version before reading it again.
CONTENT_VERSION_CHECK_SECONDS = float(os.environ.get("PCC_CONTENT_VERSION_CHECK_SECONDS", "1"))
PAGE_CACHE_EXCLUDE = ["/admin", "/" + os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/"),
                      "/healthz", "/suggest", "/static/", "/alerts/", "/contact",
                      "/confirm-entry/",
                      # The API counts every request against its rate limit and sets its own
                      # cache headers; its data is kept until content changes (api/api.py).
                      "/api/v1/"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The site is written in British English alone, and Django's en-GB catalogues change none of
# its words, so translation is off: it cost 1 to 3 ms a page. Dates and numbers still take
# their en-GB formats from LANGUAGE_CODE (editors type dates as 01/02/2026 for 1 February).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "assets",
    ("govuk/assets", BASE_DIR / "node_modules/govuk-frontend/dist/govuk/assets"),
]
STATICFILES_DIRS = [
    entry
    for entry in STATICFILES_DIRS
    if Path(entry[1] if isinstance(entry, tuple) else entry).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "admin:login"
# A refused form (an old page, cookies off) gets a page in the site's design that says why.
CSRF_FAILURE_VIEW = "pcc_practice.views.csrf_failure"

# --- Security ---
# Production is HTTPS-only by default; DJANGO_HTTPS=0 serves plain HTTP (local `make serve`).
HTTPS = env_flag("DJANGO_HTTPS", default=not DEBUG)
if env_flag("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    # Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check over plain HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# A strict Content-Security-Policy: nothing inline, scripts only with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Admin sign-in: lock a username from an address out after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "pcc_practice.ratelimit.client_address"  # as rate limits count

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Each line of a request's log names its client (pcc_practice/ratelimit.py).
    "filters": {"client": {"()": "pcc_practice.logs.ClientAddressFilter"}},
    "formatters": {"client": {"format": "%(levelname)s %(name)s [%(client)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client"],
                             "formatter": "client"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

# Public forms (suggestions, problem reports): submissions allowed per address, per window.
FORM_RATE_LIMIT = (
    int(os.environ.get("PCC_FORM_RATE_LIMIT", "5")),
    int(os.environ.get("PCC_FORM_RATE_WINDOW_SECONDS", "3600")),
)
# Email: SMTP to EMAIL_HOST when it is set; in development (make run) otherwise written to the
# console, so nothing leaves the machine; in production otherwise the local mail server.
EMAIL_SMTP_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_SMTP_HOST or not DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": EMAIL_SMTP_HOST or "localhost",
        "port": int(os.environ.get("EMAIL_PORT", "587" if EMAIL_SMTP_HOST else "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_flag("EMAIL_USE_TLS", default=bool(EMAIL_SMTP_HOST)),
        "timeout": 30,
    }}}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PCC Practice <alerts@localhost>")
# The site's own address, for links in emails sent by `manage.py send_alerts`.
SITE_URL = os.environ.get("PCC_SITE_URL", "http://127.0.0.1:8000")
# A confirmation link works for this long; unconfirmed subscriptions are then deleted.
ALERTS_CONFIRM_SECONDS = int(os.environ.get("PCC_ALERTS_CONFIRM_SECONDS", str(3 * 24 * 3600)))
# Alert sign-up: confirmation emails one address may be sent in a window of seconds (besides
# the form's own limit per sender's address); none while one for the same search is pending.
ALERTS_RECIPIENT_LIMIT = (
    int(os.environ.get("PCC_ALERTS_RECIPIENT_LIMIT", "3")),
    int(os.environ.get("PCC_ALERTS_RECIPIENT_WINDOW_SECONDS", str(24 * 3600))),
)
# Spreadsheet import in admin: all rows in one transaction (nothing saved while any row has
# an error); importing needs the permission to add initiatives, exporting to view them.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The largest spreadsheet one import takes, in bytes and in rows of initiatives, refused
# before any row is read (about 9 ms a row: the transaction holds SQLite's write lock).
IMPORT_MAX_BYTES = int(os.environ.get("PCC_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("PCC_IMPORT_MAX_ROWS", "200"))
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# How long a link asking an area to confirm its entry works (it works once, in any case).
VERIFY_LINK_DAYS = int(os.environ.get("PCC_VERIFY_LINK_DAYS", "28"))
# At most this many digests a run of send_alerts.
ALERTS_MAX_PER_RUN = int(os.environ.get("PCC_ALERTS_MAX_PER_RUN", "500"))
# Board-pack PDFs (WeasyPrint, seconds each): at most this many are made at once across all
# workers, so that the others stay free for pages and health checks (past it the PDF
# answers 503 "busy" with Retry-After at once, never waiting); and each address may have this
# many made in a window of seconds (a PDF already made is served without counting).
BOARD_PACK_RENDERS = int(os.environ.get("PCC_BOARD_PACK_RENDERS", "1"))
BOARD_PACK_RATE_LIMIT = (
    int(os.environ.get("PCC_BOARD_PACK_RATE_LIMIT", "10")),
    int(os.environ.get("PCC_BOARD_PACK_RATE_WINDOW_SECONDS", "600")),
)
# Requests an address may make to the API in a window of seconds.
API_RATE_LIMIT = (
    int(os.environ.get("PCC_API_RATE_LIMIT", "600")),
    int(os.environ.get("PCC_API_RATE_WINDOW_SECONDS", "60")),
)
# How many proxies stand in front of the site, each adding the address it was reached from to
# X-Forwarded-For: the client is then the entry that many places from the right, for rate
# limits, sign-in lockouts and logs (pcc_practice/ratelimit.py). 0: REMOTE_ADDR. Set it only
# when the site cannot be reached except through those proxies. DJANGO_TRUST_X_FORWARDED_FOR=1,
# the older setting, means one proxy.
TRUSTED_PROXIES = int(os.environ.get("PCC_TRUSTED_PROXIES")
                      or ("1" if env_flag("DJANGO_TRUST_X_FORWARDED_FOR", default=False) else "0"))
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("PCC_TRUSTED_PROXIES is a number of proxies: 0 or more.")
# Shown on the accessibility statement as the address for reporting problems.
CONTACT_EMAIL = os.environ.get("PCC_CONTACT_EMAIL", "")
# Named in the privacy notices as the data controller: the organisation that runs this copy.
DATA_CONTROLLER = os.environ.get("PCC_DATA_CONTROLLER", "")
