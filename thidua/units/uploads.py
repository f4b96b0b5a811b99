"""Registry files between the preview and the confirmation, kept under MEDIA_ROOT/unit-imports by a
random token with the uploader's id: nothing reaches the registry before the administrator confirms."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from thidua.core.files import upload_not_kept, written_whole

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class PendingFile:
    token: str
    path: Path
    original_name: str
    size: int


def _dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "unit-imports"


def pending_save(upload, *, user) -> str:
    """Store an uploaded file (a Django UploadedFile); returns its token. Both its files are written whole;
    one the server cannot write (the disk full, the folder read-only) is a Vietnamese ValidationError and
    leaves neither behind."""
    folder = _dir()
    token = secrets.token_hex(16)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _prune(folder)
        with written_whole(folder / f"{token}.bin") as partial, open(partial, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        meta = {"user": user.pk, "name": upload.name[:255], "size": upload.size, "saved": time.time()}
        with written_whole(folder / f"{token}.json") as partial:
            partial.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        pending_discard(token)
        raise ValidationError(upload_not_kept(upload.name, exc)) from exc
    return token


def pending_get(token: str, *, user) -> PendingFile | None:
    """The user's own upload under this token, or None (unknown, another user's, expired, malformed)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _dir()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = folder / f"{token}.bin"
    if meta.get("user") != user.pk or not path.is_file() or time.time() - meta.get("saved", 0) > MAX_AGE_SECONDS:
        return None
    return PendingFile(token, path, str(meta.get("name") or path.name), int(meta.get("size") or 0))


def pending_discard(token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        for suffix in (".bin", ".json"):
            try:
                (_dir() / f"{token}{suffix}").unlink(missing_ok=True)
            except OSError:  # the folder itself unusable: nothing of it was written
                continue


def _prune(folder: Path) -> None:
    """Forget uploads never confirmed after a day."""
    limit = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
