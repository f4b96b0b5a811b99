"""Backups of the database, safe while the server runs.

SQLite: the online backup API copies a consistent snapshot page by page (copying the file itself
could catch a write half-done, and would miss what is still in the WAL); the copy is checked with
``PRAGMA integrity_check`` and made self-contained (no WAL file). PostgreSQL: ``pg_dump`` in its
custom format, checked by listing it with ``pg_restore --list``. The copy is written under a
temporary name and renamed only once checked, readable by its owner only (it holds password
hashes), and the backup is audited.

Beside it, ``thidua-…-tep.tar.gz`` holds the uploaded files the database names (evidence and plan
files under MEDIA_ROOT): a database restored without them would name files that are gone. The
uploads waiting for confirmation and the job files in MEDIA_ROOT are not part of it: they live for a
preview, a week at most.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from thidua.core.audit import audit
from thidua.core.files import written_whole
from thidua.scoring.text import format_mb

SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}
FILES_SUFFIX = "-tep.tar.gz"
DURABLE_UPLOADS = ("evidence", "plans")  # MEDIA_ROOT folders of the files reports keep (models' upload_to)
_NAME = re.compile(r"(thidua-\d{8}-\d{6}(?:-\d+)?)(\.sqlite3|\.dump|-tep\.tar\.gz)")


class BackupError(Exception):
    """A backup that could not be made or did not check out; the message is for the user."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    removed: tuple[Path, ...]  # older backups removed to keep the number asked for
    files: Path | None = None  # the uploaded files' archive (None: no uploaded file yet)
    files_count: int = 0


def backup_database(*, out_dir: Path, keep: int | None = None) -> Backup:
    """Back up the default database into ``out_dir`` as ``thidua-YYYYMMDD-HHMMSS.sqlite3`` (or
    ``.dump`` for PostgreSQL); with ``keep``, then remove the oldest backups there beyond that many."""
    vendor = connection.vendor
    if vendor not in SUFFIX:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {vendor}.")
    if keep is not None and keep < 1:
        raise BackupError("Số bản sao lưu giữ lại phải từ 1 trở lên.")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Không tạo được thư mục sao lưu {out_dir}: {exc.strerror}.") from exc
    _check_initialised()
    target = _free_name(out_dir, f"thidua-{timezone.localtime():%Y%m%d-%H%M%S}", SUFFIX[vendor])
    with _written_whole(target, f"Không ghi được tệp sao lưu vào {out_dir}") as partial:
        if vendor == "sqlite":
            _sqlite_copy(partial)
        else:
            _pg_dump(partial)
    size = target.stat().st_size
    files, count = _archive_uploads(target.with_name(target.name.removesuffix(SUFFIX[vendor]) + FILES_SUFFIX))
    removed = _prune(out_dir, keep) if keep else ()
    audit("core.backup", actor=None,
          summary=f"Sao lưu cơ sở dữ liệu vào tệp «{target.name}» ({format_mb(size)})"
                  + (f", {count} tệp tải lên vào «{files.name}»" if files else "")
                  + (f"; xóa {len(removed)} tệp cũ" if removed else ""),
          after={"file": str(target), "size": size, "uploads": str(files) if files else None,
                 "upload_count": count, "removed": [p.name for p in removed]})
    return Backup(target, size, removed, files, count)


def _check_initialised() -> None:
    """Refuse a database this program has never set up (no migration applied: a new server's empty database, a
    wrong DATABASE_URL or THIDUA_DATA_DIR): its copy would restore nothing, and PostgreSQL's would not even
    list. A database of an earlier version, its newer migrations not yet applied, is backed up: that is the
    copy to make before upgrading."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    try:
        initialised = recorder.has_table() and recorder.migration_qs.exists()
    except DatabaseError:
        return  # unreachable or unreadable: the copy itself says why (_sqlite_copy, _pg_dump)
    if not initialised:
        raise BackupError(f"Cơ sở dữ liệu {connection.settings_dict['NAME']} chưa được khởi tạo (chưa có bảng nào "
                          "của Thi Đua DVC): không có gì để sao lưu. Kiểm tra DATABASE_URL, THIDUA_DATA_DIR; trên máy "
                          "chủ mới, hãy chạy `thidua manage migrate`, hoặc khôi phục một bản sao lưu bằng "
                          "`thidua restore`.")


def _archive_uploads(target: Path) -> tuple[Path | None, int]:
    """The durable uploaded files as a .tar.gz (paths relative to MEDIA_ROOT, so it extracts there)."""
    media = Path(settings.MEDIA_ROOT)
    folders = [media / name for name in DURABLE_UPLOADS if (media / name).is_dir()]
    if not folders:
        return None, 0
    count = 0
    with (_written_whole(target, f"Không ghi được tệp sao lưu các tệp tải lên vào {target.parent}") as partial,
          tarfile.open(partial, "w:gz") as archive):
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media)), recursive=False)
                    count += 1
    return target, count


@contextmanager
def _written_whole(target: Path, failure: str):
    """A backup file written whole or not at all (core.files.written_whole), readable by its owner only; an
    OSError becomes a BackupError."""
    try:
        with written_whole(target) as partial:
            yield partial
    except OSError as exc:
        raise BackupError(f"{failure}: {exc.strerror}.") from exc


def _free_name(out_dir: Path, stem: str, suffix: str) -> Path:
    target, n = out_dir / f"{stem}{suffix}", 1
    while target.exists():  # two backups in the same second
        target, n = out_dir / f"{stem}-{n}{suffix}", n + 1
    return target


def _sqlite_copy(dest_path: Path) -> None:
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(f"Không mở được cơ sở dữ liệu đang dùng ({connection.settings_dict['NAME']}): "
                          f"{exc}.") from exc
    dest = sqlite3.connect(dest_path)
    try:
        connection.connection.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        problems = [row[0] for row in dest.execute("PRAGMA integrity_check")]
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite báo lỗi khi sao lưu: {exc}.") from exc
    finally:
        dest.close()
    if problems != ["ok"]:
        raise BackupError("Bản sao lưu không qua được kiểm tra toàn vẹn (PRAGMA integrity_check): "
                          + "; ".join(problems[:5]))


def pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    if (s.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(s["OPTIONS"]["sslmode"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    return env, args


def pg_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise BackupError(f"Không tìm thấy lệnh {name}; hãy cài gói postgresql-client cùng phiên bản với máy chủ "
                          "PostgreSQL.")
    return exe


# What pg_dump's and pg_restore's most common errors mean, in Vietnamese; their own line follows it for a search.
_PG_REASONS = (
    ("No space left on device", "ổ đĩa đã đầy"),
    ("password authentication failed", "sai tên hoặc mật khẩu đăng nhập cơ sở dữ liệu (DATABASE_URL)"),
    ("does not exist", "không có cơ sở dữ liệu hoặc người dùng này trên máy chủ PostgreSQL (DATABASE_URL)"),
    ("Connection refused", "không kết nối được máy chủ PostgreSQL (máy chủ chưa chạy, hoặc sai địa chỉ, cổng)"),
    ("could not translate host name", "không tìm thấy máy chủ PostgreSQL theo tên trong DATABASE_URL"),
    ("server version mismatch", "pg_dump khác phiên bản máy chủ PostgreSQL; hãy cài postgresql-client cùng phiên bản"),
    ("Permission denied", "không có quyền ghi hoặc đọc tệp, thư mục"),
    ("permission denied", "người dùng cơ sở dữ liệu không đủ quyền"),
    ("end of file", "tệp bị cắt cụt (chép chưa hết?)"),
    ("did not find magic string", "không phải tệp pg_dump dạng custom"),
)


def tool_error(text: str) -> str:
    """The tool's last line of error, after what it means in Vietnamese when it is a known one."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "không rõ lỗi"
    reason = next((meaning for needle, meaning in _PG_REASONS if needle in text), None)
    return f"{reason} ({lines[-1]})" if reason else lines[-1]


def _pg_dump(dest_path: Path) -> None:
    env, args = pg_env_and_args()
    dump = subprocess.run([pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(dest_path),
                           "--dbname", str(connection.settings_dict["NAME"])],
                          env=env, capture_output=True, text=True, check=False)
    if dump.returncode != 0:
        raise BackupError(f"pg_dump báo lỗi: {tool_error(dump.stderr)}")
    listing = subprocess.run([pg_tool("pg_restore"), "--list", str(dest_path)],
                             capture_output=True, text=True, check=False)
    if listing.returncode != 0 or "TABLE DATA" not in listing.stdout:
        raise BackupError(f"Bản sao lưu không đọc lại được bằng pg_restore: {tool_error(listing.stderr)}")


def _prune(out_dir: Path, keep: int) -> tuple[Path, ...]:
    """Remove the oldest of this program's backups in ``out_dir`` beyond ``keep`` (other files stay); a
    backup is its database copy and its uploaded files' archive, removed together."""
    backups: dict[str, list[Path]] = {}
    for p in out_dir.iterdir():
        if (found := _NAME.fullmatch(p.name)) and p.is_file():
            backups.setdefault(found[1], []).append(p)
    order = sorted(backups, key=lambda stem: (max(p.stat().st_mtime_ns for p in backups[stem]), stem))
    old = tuple(sorted(p for stem in order[:-keep] for p in backups[stem]))
    for p in old:
        p.unlink(missing_ok=True)
    return old
