"""The cache every process of one installation shares: Django's file cache under $THIDUA_DATA_DIR/cache.

gunicorn runs one worker process per core, and an office's server usually has no Redis: Django's in-process
cache (LocMemCache) counted the «Quên mật khẩu» and password-change limits once per worker, from zero at every
restart, and each worker counted the portal's figures again. Files in the data folder are seen by every worker,
outlive a restart, and need no other service (REDIS_URL still replaces them, settings.CACHES).
"""

from __future__ import annotations

import logging
import os
import pickle
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

logger = logging.getLogger(__name__)


class SharedFileCache(FileBasedCache):
    """Django's FileBasedCache, with the two calls a limit counts with made safe across processes.

    Django's ``incr`` reads, then writes the value back with the default timeout (300 s): a count kept for an hour
    would be forgotten five minutes after each request, and two workers incrementing at once would both write the
    same number. Here ``add`` and ``incr`` hold one lock file of the folder (an exclusive ``flock``, as Django's own
    ``touch`` does per file), and ``incr`` keeps the key's expiry."""

    lock_name = "counters.lock"  # not a ".djcache" file: clear() and the cull leave it alone

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except OSError:
            raise
        except Exception:  # a damaged file (cut short, overwritten, of a class since renamed): as if absent
            self._delete(self._key_to_file(key, version))
            return default

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except OSError:
            raise
        except Exception:
            self._delete(self._key_to_file(key, version))
            return False

    @contextmanager
    def _counters_locked(self):
        self._createdir()  # the folder can be removed at any time
        with open(os.path.join(self._dir, self.lock_name), "ab") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def _cull(self):
        """Past MAX_ENTRIES, the expired entries go first (Django's cull removes a third at random, live counts
        with them; an expired entry that nobody reads again stays on disk until then)."""
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        now = time.time()
        for fname in files:
            try:
                with open(fname, "rb") as handle:
                    expiry = pickle.load(handle)
            except FileNotFoundError:
                continue
            except OSError:
                raise
            except Exception:  # damaged
                expiry = 0
            if expiry is not None and expiry < now:
                self._delete(fname)
        super()._cull()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._counters_locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._counters_locked():
            fname = self._key_to_file(key, version)
            try:
                with open(fname, "rb") as handle:
                    try:
                        expiry = pickle.load(handle)
                    except EOFError:
                        expiry = 0  # an empty file has expired, as FileBasedCache reads it
                    left = None if expiry is None else expiry - time.time()
                    value = pickle.loads(zlib.decompress(handle.read())) if left is None or left > 0 else None
            except FileNotFoundError:
                value = None
            except OSError:
                raise
            except Exception:  # damaged: counted afresh
                self._delete(fname)
                value = None
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self.set(key, value, left, version)  # the same expiry, not the default timeout
            return value


def count_in_window(key: str, seconds: int = 3600) -> int | None:
    """One more request counted under `key`, for an hour (or `seconds`) from the first: the count so far, or None
    when the cache cannot keep it (its folder unwritable, the disk full, a damaged file, Redis down). That is logged
    and the caller then applies no limit: a limit that cannot be counted must not turn «Quên mật khẩu» (or the API's
    answer to a wrong token) into an error page."""
    from django.core.cache import cache

    try:
        cache.add(key, 0, timeout=seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired, or removed since add (the folder emptied by hand)
            cache.set(key, 1, timeout=seconds)
            return 1
    except Exception as exc:
        logger.error("Bộ nhớ đệm (cache) không đếm được «%s» (%s: %s): giới hạn số lần không được áp dụng.", key,
                     type(exc).__name__, exc)
        return None


def count_so_far(key: str) -> int:
    """What count_in_window has counted under `key` in its window; 0 when the cache cannot be read (logged)."""
    from django.core.cache import cache

    try:
        return cache.get(key) or 0
    except Exception as exc:
        logger.error("Bộ nhớ đệm (cache) không đọc được «%s» (%s: %s): giới hạn số lần không được áp dụng.", key,
                     type(exc).__name__, exc)
        return 0
