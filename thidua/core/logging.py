"""Logging filters of our own (settings.LOGGING)."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (403, 404: the visitor's mistake, not ours) is logged as one line: Django
    attaches the PermissionDenied or Http404 traceback to it, and hundreds of those bury the
    tracebacks of real errors (500), which keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True
