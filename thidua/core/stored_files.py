"""Uploaded files read back from the media folder: a missing one is a Vietnamese 404, never a 500."""

from __future__ import annotations

import logging

from django.http import Http404

logger = logging.getLogger(__name__)


class StoredFileMissing(Http404):
    """The database names an uploaded file that is not in the media folder (restored without it)."""


def open_stored(field_file, what: str):
    """``field_file`` opened for reading; raises StoredFileMissing (logged for the administrator)."""
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        logger.error("Stored file missing from the media folder: %s", field_file.name)
        raise StoredFileMissing(f"Tệp {what} không còn trên máy chủ (có thể thư mục tệp tải lên chưa được khôi "
                                "phục cùng bản sao lưu cơ sở dữ liệu); hãy báo quản trị viên.") from None
