"""Files the application writes on the server: there whole, or not at all."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_whole(target: Path, mode: int = 0o600) -> Iterator[Path]:
    """Write ``target`` under a temporary name beside it (yielded), then give it ``mode`` and rename it: a reader
    never sees it half written, and a failure leaves no partial file. OSError goes to the caller."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        yield partial
        partial.chmod(mode)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def disk_reason(exc: OSError) -> str:
    """Why the server could not write a file, in words for the message that names it ("" when no plainer
    reason than the error itself): the disk full, or the folder read-only."""
    if exc.errno == errno.ENOSPC:
        return " (ổ đĩa đã đầy)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return " (thư mục chỉ cho đọc)"
    return ""


def upload_not_kept(name: str, exc: OSError) -> str:
    """The message for an uploaded file (a portal export, a registry file) the server could not keep."""
    return (f"Chưa nhận tệp: máy chủ không lưu được tệp «{name}» vào thư mục tệp tải lên{disk_reason(exc)}. "
            "Hãy báo quản trị hệ thống, rồi tải tệp lên lại.")
