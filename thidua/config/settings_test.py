"""Fast settings for the test suite; DATABASE_URL still selects PostgreSQL."""

import tempfile

from thidua.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="thidua-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="thidua-test-static-")
STORAGES = {
    "default": {"BACKEND": "thidua.core.storage.WholeFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "thidua-test"}}
SECRET_KEY = "thidua-test-secret-key-not-for-production-0123456789"
