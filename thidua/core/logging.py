"""Logging filters of our own (settings.LOGGING)."""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (403, 404: the visitor's mistake, not ours) is logged as one line: Django
    attaches the PermissionDenied or Http404 traceback to it, and hundreds of those bury the
    tracebacks of real errors (500), which keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True


class SafeReporterFilter(SafeExceptionReporterFilter):
    """Django's error report (THIDUA_DEBUG's page, any handler that formats a request) with the Authorization
    header hidden too: it carries an API token (Bearer) or a proxy's password (Basic), which Django's own list of
    sensitive names (API, TOKEN, KEY, SECRET, PASS, SIGNATURE, HTTP_COOKIE) does not match."""

    hidden_settings = re.compile("API|AUTHORIZATION|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE", flags=re.I)
