"""Scans and imports that run after the response. Opening the preview of a large upload starts
its dry-run scan in a thread, and the reviewer's confirmation starts the import in another; the
page that follows polls the progress, so a large export never holds a request (or a proxy's
timeout) for a whole pass over the file. A small upload is scanned inside its request.

The progress of a job is a small JSON file beside the uploads, replaced atomically, not a
database row: the import's own transaction would hide a row until the very end, and a second
connection writing it would wait for SQLite's write lock. While a job runs, a heartbeat touches
its file every ``BEAT_SECONDS`` (also through the long silent steps: the database's merge). A job
whose file has not been touched for ``STALE_SECONDS`` (the worker was restarted mid-import) is
shown as interrupted; its transaction was rolled back with the worker, so nothing was written and
the reviewer can retry.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from thidua.portal.models import PendingUpload
from thidua.portal.selectors import file_sha256
from thidua.portal.services import ImportRejected, portal_import, portal_scan, preview_snapshot
from thidua.scoring.text import format_int

logger = logging.getLogger(__name__)

STALE_SECONDS = 120
BEAT_SECONDS = 20
WRITE_EVERY_SECONDS = 0.5
KEEP_SECONDS = 7 * 24 * 3600  # finished job files are kept a week, then cleared

RUNNING, DONE, FAILED, INTERRUPTED = "running", "done", "failed", "interrupted"
SCAN = "scan"  # the "kind" of a preview's scan job; an import job has none
SYSTEM_ERROR = "Lỗi hệ thống khi đọc tệp; chưa có dòng nào được ghi. Vui lòng thử lại hoặc báo quản trị viên."

_TOKEN = re.compile(r"[0-9a-f]{32}")
_threads: dict[str, threading.Thread] = {}  # this process's running jobs (tests join them)


def _jobs_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "portal-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_path(token: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise ValueError("not a job token")
    return _jobs_dir() / f"job-{token}.json"


def _write(token: str, data: dict[str, Any]) -> None:
    path = job_path(token)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def job_state(token: str) -> dict[str, Any] | None:
    """The job ``token`` as last written; None for an unknown (or malformed) token."""
    try:
        path = job_path(token)
        data = json.loads(path.read_text(encoding="utf-8"))
        touched = path.stat().st_mtime
    except (ValueError, OSError):
        return None
    if data.get("state") == RUNNING and time.time() - touched > STALE_SECONDS:
        data["state"] = INTERRUPTED
    return data


def unmatched_names(pending: PendingUpload) -> set[str]:
    """The unit names the upload's latest preview listed as not in the registry (empty before a scan)."""
    state = job_state(pending.scan_job) if pending.scan_job else None
    preview = (state or {}).get("preview") or {}
    return {name for name, _rows, _first_row in preview.get("unmatched", [])}


def job_percent(data: dict[str, Any]) -> int | None:
    total, done = data.get("total"), data.get("done", 0)
    if not total:
        return None
    return min(100, done * 100 // total)


def job_progress_text(data: dict[str, Any]) -> str:
    """The progress line of a job, for its page and for the page's polling alike."""
    done, percent = data.get("done", 0), job_percent(data)
    if data.get("state") == DONE:
        return f"Đã {'đọc' if data.get('kind') == SCAN else 'nhập'} xong {format_int(done)} dòng."
    if data.get("state") != RUNNING:
        return "Chưa nhập dòng nào."
    if data.get("writing"):
        return f"Đã đọc xong {format_int(done)} dòng; đang ghi vào cơ sở dữ liệu…"
    if done:
        share = f" ({percent}%)" if percent is not None else ""
        return f"Đang đọc và kiểm tra: {format_int(done)} dòng{share}…"
    return "Đang bắt đầu…"


def job_of_pending(pk: int, user_pk: int) -> str | None:
    """The token of the latest job that imported the (since deleted) pending upload ``pk`` for
    user ``user_pk``, while its file is kept; None if there is none."""
    found: tuple[float, str] | None = None
    for path in _jobs_dir().glob("job-*.json"):
        token = path.stem.removeprefix("job-")
        data = job_state(token)
        if data is None or data.get("kind") == SCAN or data.get("pending") != pk or data.get("user") != user_pk:
            continue
        try:
            touched = path.stat().st_mtime
        except OSError:  # cleared meanwhile
            continue
        if found is None or touched > found[0]:
            found = (touched, token)
    return found[1] if found else None


def _clear_old_jobs() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in _jobs_dir().glob("job-*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def import_start(*, pending: PendingUpload, actor, background: bool | None = None) -> tuple[str, bool]:
    """Start importing ``pending`` (in a thread unless ``background`` is False). Returns the job's
    token and whether it was started now; an import of it already running or finished is not
    started again (a second click, a second tab), its token is returned instead."""
    if background is None:
        background = settings.THIDUA_IMPORT_IN_BACKGROUND
    with transaction.atomic():
        locked = PendingUpload.objects.select_for_update().get(pk=pending.pk)
        current = job_state(locked.job) if locked.job else None
        if current is not None and current["state"] in (RUNNING, DONE):
            return locked.job, False
        token = uuid.uuid4().hex
        _write(token, {"state": RUNNING, "user": actor.pk, "pending": locked.pk, "name": locked.original_name,
                       "done": 0, "total": None, "writing": False})
        locked.job = token
        locked.save(update_fields=["job"])
    _clear_old_jobs()
    if not background:
        _run(token, _import, pending.pk, actor)
        return token, True
    _start_thread(token, _import, pending.pk, actor)
    return token, True


def scan_start(*, pending: PendingUpload, actor, mapping: dict[str, str] | None, key: str, as_of) -> str:
    """The token of the dry-run scan of ``pending`` under ``key`` (see services.portal_scan_key):
    the one kept or running, else a new one, run in a thread for an upload larger than
    THIDUA_PREVIEW_INLINE_BYTES, inside this request otherwise. ``mapping`` is the columns to read."""
    background = settings.THIDUA_IMPORT_IN_BACKGROUND and pending.size > settings.THIDUA_PREVIEW_INLINE_BYTES
    with transaction.atomic():
        locked = PendingUpload.objects.select_for_update().get(pk=pending.pk)
        current = job_state(locked.scan_job) if locked.scan_job else None
        if current is not None and locked.scan_key == key and current["state"] in (RUNNING, DONE):
            return locked.scan_job
        token = uuid.uuid4().hex
        _write(token, {"kind": SCAN, "state": RUNNING, "user": actor.pk, "pending": locked.pk,
                       "name": locked.original_name, "done": 0, "total": None, "writing": False})
        locked.scan_job, locked.scan_key = token, key
        locked.save(update_fields=["scan_job", "scan_key"])
    _clear_old_jobs()
    if background:
        _start_thread(token, _scan, pending.pk, actor, mapping, as_of)
    else:
        _run(token, _scan, pending.pk, actor, mapping, as_of)
    return token


def _start_thread(token: str, work, *args) -> None:
    thread = threading.Thread(target=_run_in_thread, args=(token, work, *args), name=f"thidua-job-{token}")
    _threads[token] = thread
    thread.start()


def wait_for(token: str, timeout: float | None = None) -> None:
    """Wait for this process's thread of job ``token`` (tests)."""
    thread = _threads.get(token)
    if thread is not None:
        thread.join(timeout)


def _run_in_thread(token: str, work, *args) -> None:
    close_old_connections()
    try:
        _run(token, work, *args)
    finally:
        connection.close()  # this thread's own connection
        _threads.pop(token, None)


def _heartbeat(token: str, stop: threading.Event) -> None:
    while not stop.wait(BEAT_SECONDS):
        try:
            os.utime(job_path(token))
        except OSError:
            return


def _run(token: str, work, *args) -> None:
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(token, stop), name=f"thidua-job-beat-{token}", daemon=True)
    beat.start()
    try:
        work(token, *args)
    finally:
        stop.set()
        beat.join()


def _progress_writer(token: str, base: dict[str, Any], *, writes: bool):
    """A reader's progress callback that writes the job file at most every WRITE_EVERY_SECONDS
    (and at the end of the read, which starts the write of an import)."""
    last = 0.0

    def progress(done: int, total: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        finished = total is not None and done >= total
        if finished or now - last >= WRITE_EVERY_SECONDS:
            last = now
            _write(token, {**base, "state": RUNNING, "done": done, "total": total, "writing": writes and finished})

    return progress


def _scan(token: str, pk: int, actor, mapping: dict[str, str] | None, as_of) -> None:
    base: dict[str, Any] = {"kind": SCAN, "user": actor.pk, "pending": pk}
    try:
        pending = PendingUpload.objects.get(pk=pk)
        base["name"] = pending.original_name
        result = portal_scan(path=Path(pending.file.path), kind=pending.kind, original_name=pending.original_name,
                             mapping=mapping, as_of=as_of, progress=_progress_writer(token, base, writes=False))
    except ImportRejected as exc:  # the file itself is unreadable: that is the preview
        _write(token, {**base, "state": DONE, "problems": exc.messages[:20]})
        return
    except Exception:
        logger.exception("portal scan of upload %s failed", pk)
        _write(token, {**base, "state": FAILED, "messages": [SYSTEM_ERROR]})
        return
    # hashed once here, beside the scan, for the preview's "already imported" notice (not on every page view)
    sha256, _size = file_sha256(Path(pending.file.path))
    _write(token, {**base, "state": DONE, "done": result.rows_read, "total": result.rows_read, "writing": False,
                   "preview": preview_snapshot(result), "sha256": sha256})


def _import(token: str, pk: int, actor) -> None:
    base: dict[str, Any] = {"user": actor.pk, "pending": pk}
    try:
        pending = PendingUpload.objects.get(pk=pk)
        base["name"] = pending.original_name
        progress = _progress_writer(token, base, writes=True)
        outcome = portal_import(path=Path(pending.file.path), kind=pending.kind, actor=actor,
                                original_name=pending.original_name, progress=progress)
    except ImportRejected as exc:
        _write(token, {**base, "state": FAILED, "messages": exc.messages[:20]})
        return
    except Exception:
        logger.exception("portal import of upload %s failed", pk)
        _write(token, {**base, "state": FAILED, "messages": [SYSTEM_ERROR]})
        return
    _write(token, {**base, "state": DONE, "done": outcome.result.rows_read, "total": outcome.result.rows_read,
                   "writing": False, "import": outcome.record.pk, "created": outcome.created,
                   "updated": outcome.updated, "unchanged": outcome.unchanged})
    pending.file.delete(save=False)
    pending.delete()
