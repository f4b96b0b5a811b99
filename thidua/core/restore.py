"""Restore a backup made by ``thidua backup``: checked before anything changes, all or nothing.

Before the database is touched: the file is recognised (an SQLite copy or a ``pg_dump`` custom archive,
of the database in use), read whole (``PRAGMA integrity_check``; ``pg_restore --list``), holds this
program's tables, and was not made by a newer version of it (a migration this code does not know); the
uploaded files' archive beside it (``…-tep.tar.gz``) is read to its end too. Then the database in use is
backed up (:func:`thidua.core.backup.backup_database`), so that a restore of the wrong night can itself
be undone.

The database is replaced whole or not at all: on SQLite through the backup API into the live connection
(one write transaction; a server's other connections see the new data, never half of it); on PostgreSQL
by ``pg_restore --clean --single-transaction --exit-on-error``, cancelled when it waits long on a table
another session holds, so that a database still in use fails cleanly instead of waiting. A copy older
than this code is brought up to date by ``migrate``. Every campaign's data_version is moved past both
the copy's and the replaced database's, so that no server process serves a result it cached before the
restore. The restore is audited in the restored database. The uploaded files are extracted last
(``tarfile``'s ``data`` filter, only the evidence and plan folders); files already there that the
archive lacks stay.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import tarfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader

from thidua.core.audit import audit
from thidua.core.backup import (
    DURABLE_UPLOADS,
    FILES_SUFFIX,
    SUFFIX,
    Backup,
    BackupError,
    backup_database,
    pg_env_and_args,
    pg_tool,
    tool_error,
)
from thidua.core.files import written_whole
from thidua.scoring.text import format_mb

KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_MAGIC = {b"SQLite format 3\x00": "sqlite", b"PGDMP": "postgresql"}
LOCK_WAIT_SECONDS = 30  # a database still in use (a server, an import) makes pg_restore fail rather than wait
_COPY_MIGRATIONS = re.compile(r"^COPY [\w.\"]*django_migrations \(([^)]*)\) FROM stdin;$")


class RestoreError(Exception):
    """A restore refused or failed; the message is for the user and says what changed (nothing, unless it
    says otherwise)."""


@dataclass(frozen=True)
class Restored:
    path: Path
    files: Path | None  # the uploaded files' archive restored (None: none beside the copy, or not asked)
    files_count: int
    safety: Backup | None  # the database in use before the restore, backed up (None: it was empty, or not asked)
    migrated: tuple[str, ...]  # migrations applied after the restore (a copy older than this code)
    units: int
    users: int


def backup_kind(path: Path) -> str:
    """"sqlite" or "postgresql": what a backup file holds, from its first bytes (not its name)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        raise RestoreError(f"Không có tệp {path}.") from None
    except IsADirectoryError:
        raise RestoreError(f"{path} là một thư mục; hãy chỉ tệp sao lưu (thidua-….sqlite3 hoặc .dump).") from None
    except OSError as exc:
        raise RestoreError(f"Không đọc được tệp {path}: {exc.strerror}.") from None
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    if not head:
        raise RestoreError(f"Tệp {path.name} rỗng (0 byte): không phải bản sao lưu.")
    raise RestoreError(f"Tệp {path.name} không phải bản sao lưu do lệnh thidua backup tạo (bản sao SQLite hoặc "
                       "tệp pg_dump dạng custom).")


def files_archive_for(path: Path) -> Path:
    """The uploaded files' archive `thidua backup` writes beside a copy: thidua-….sqlite3 -> thidua-…-tep.tar.gz."""
    stem = path.name
    for suffix in SUFFIX.values():
        stem = stem.removesuffix(suffix)
    return path.with_name(stem + FILES_SUFFIX)


def restore_database(path: Path, *, files: bool = True, backup_first: bool = True) -> Restored:
    """Replace the database in use (and, with ``files``, the uploaded files) by a backup's."""
    path = Path(path)
    vendor = connection.vendor
    if vendor not in SUFFIX:
        raise RestoreError(f"Chưa hỗ trợ khôi phục cơ sở dữ liệu loại {vendor}.")
    kind = backup_kind(path)
    if kind != vendor:
        raise RestoreError(f"Tệp {path.name} là bản sao lưu {KINDS[kind]}, còn cơ sở dữ liệu đang dùng (DATABASE_URL) "
                           f"là {KINDS[vendor]}: chỉ khôi phục được bản sao lưu cùng loại. Chưa thay đổi gì.")
    if vendor == "postgresql":
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
            raise RestoreError(f"Không kết nối được cơ sở dữ liệu {connection.settings_dict['NAME']} (DATABASE_URL; "
                               f"trên máy chủ mới, hãy tạo cơ sở dữ liệu rỗng trước): {reason}. "
                               "Chưa thay đổi gì.") from None
    applied = _sqlite_check(path) if kind == "sqlite" else _pg_check(path)
    _check_migrations(path, applied)
    archive = files_archive_for(path) if files else None
    members = _check_archive(archive) if archive is not None and archive.exists() else None
    if members is None:
        archive = None

    versions = _data_versions()
    safety = None
    if backup_first and versions is not None:
        try:
            safety = backup_database(out_dir=Path(settings.DATA_DIR) / "backups")
        except BackupError as exc:
            raise RestoreError(f"Chưa khôi phục: không sao lưu được cơ sở dữ liệu đang dùng trước khi thay nó ({exc}) "
                               "Nếu cơ sở dữ liệu đang dùng đã hỏng và không cần giữ, chạy lại với "
                               "--no-backup-first.") from exc

    if kind == "sqlite":
        _sqlite_restore(path)
    else:
        _pg_restore(path)
    migrated = _migrate(path)
    _move_data_versions_past(versions or {})
    count, files_error = 0, None
    if archive is not None:
        try:
            count = _extract(archive, members)
        except RestoreError as exc:
            files_error = exc
    from thidua.units.models import Unit, User

    units, users = Unit.objects.count(), User.objects.count()
    audit("core.restore", actor=None,
          summary=f"Khôi phục cơ sở dữ liệu từ bản sao lưu «{path.name}» ({format_mb(path.stat().st_size)})"
                  + (f", {count} tệp tải lên từ «{archive.name}»" if archive is not None and not files_error else "")
                  + (f", chưa giải nén hết các tệp tải lên từ «{archive.name}»" if files_error else "")
                  + (f"; bản trước khi khôi phục: «{safety.path.name}»" if safety else "")
                  + (f"; cập nhật {len(migrated)} bước chuyển đổi dữ liệu" if migrated else ""),
          after={"file": str(path), "uploads": str(archive) if archive else None, "upload_count": count,
                 "uploads_error": str(files_error) if files_error else None,
                 "safety_backup": str(safety.path) if safety else None, "migrated": list(migrated),
                 "units": units, "users": users})
    if files_error:
        raise files_error
    return Restored(path, archive, count, safety, migrated, units, users)


# -- checks, before anything changes ----------------------------------------------------------------------

def _sqlite_check(path: Path) -> set[tuple[str, str]]:
    if not _sqlite_whole(path):
        raise RestoreError(f"Bản sao lưu {path.name} ngắn hơn cỡ ghi trong chính nó: tệp bị cắt cụt (chép chưa hết?); "
                           "hãy dùng bản của ngày khác. Chưa thay đổi gì.")
    try:
        with closing(_open_copy(path)) as copy:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            applied = (set(copy.execute("SELECT app, name FROM django_migrations"))
                       if "django_migrations" in tables else set())
    except sqlite3.Error as exc:
        raise RestoreError(f"Không đọc được bản sao lưu {path.name} ({exc}): tệp hỏng hoặc bị cắt cụt; hãy dùng "
                           "bản của ngày khác. Chưa thay đổi gì.") from None
    if problems != ["ok"]:
        raise RestoreError(f"Bản sao lưu {path.name} không qua được kiểm tra toàn vẹn (PRAGMA integrity_check: "
                           f"{'; '.join(problems[:3])}); hãy dùng bản của ngày khác. Chưa thay đổi gì.")
    return applied


def _sqlite_whole(path: Path) -> bool:
    """The file is as long as its header says (page size × page count): a copy cut short at a page
    SQLite does not read on the way (a free page at the end) would pass the integrity check."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    size = path.stat().st_size
    if size % page_size:
        return False
    size_valid = header[24:28] == header[92:96]  # the header's page count is current (SQLite 3.7.0 and later)
    return not size_valid or size == int.from_bytes(header[28:32], "big") * page_size


def _pg_check(path: Path) -> set[tuple[str, str]]:
    listing = subprocess.run([_restore_tool(), "--list", str(path)], capture_output=True, text=True, check=False)
    if listing.returncode != 0 or "TABLE DATA" not in listing.stdout:
        raise RestoreError(f"Không đọc được bản sao lưu {path.name} bằng pg_restore ({tool_error(listing.stderr)}): "
                           "tệp hỏng hoặc bị cắt cụt; hãy dùng bản của ngày khác. Chưa thay đổi gì.")
    if " django_migrations " not in listing.stdout:
        return set()
    rows = subprocess.run([_restore_tool(), "--data-only", "--table=django_migrations", "--file=-", str(path)],
                          capture_output=True, text=True, check=False)
    if rows.returncode != 0:
        raise RestoreError(f"Không đọc được bản sao lưu {path.name} bằng pg_restore ({tool_error(rows.stderr)}). "
                           "Chưa thay đổi gì.")
    applied, columns = set(), None
    for line in rows.stdout.splitlines():
        if columns is None:
            if found := _COPY_MIGRATIONS.match(line):
                columns = [c.strip().strip('"') for c in found[1].split(",")]
        elif line == "\\.":
            break
        else:
            values = dict(zip(columns, line.split("\t"), strict=False))
            applied.add((values.get("app", ""), values.get("name", "")))
    return applied


def _restore_tool() -> str:
    try:
        return pg_tool("pg_restore")
    except BackupError as exc:
        raise RestoreError(str(exc)) from None


def _check_migrations(path: Path, applied: set[tuple[str, str]]) -> None:
    """The copy is this program's database, and no newer than this code."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {app for app, _ in loader.disk_migrations if app in {"units", "campaigns", "reports"}}
    if not ours & {app for app, _ in applied}:
        raise RestoreError(f"Bản sao lưu {path.name} không phải cơ sở dữ liệu của Thi Đua DVC (không có bảng đơn vị, "
                           "phong trào, báo cáo). Chưa thay đổi gì.")
    known_apps = {app for app, _ in loader.disk_migrations}
    unknown = sorted(m for m in applied if m[0] in known_apps and m not in loader.disk_migrations)
    if unknown:
        named = ", ".join(f"{app}.{name}" for app, name in unknown[:3]) + (" …" if len(unknown) > 3 else "")
        raise RestoreError(f"Bản sao lưu {path.name} được tạo bởi phiên bản mới hơn của phần mềm (có bước chuyển đổi "
                           f"dữ liệu mà phiên bản này không có: {named}); hãy cập nhật phần mềm rồi khôi phục. "
                           "Chưa thay đổi gì.")


def _check_archive(archive: Path) -> list[tarfile.TarInfo]:
    """The archive's files, read to its end (a copy cut short is found before the database is replaced)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                if member.isfile():
                    tar.extractfile(member).read()  # the gzip stream's checksum is checked at its end
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise RestoreError(f"Tệp {archive.name} (các tệp tải lên của bản sao lưu) hỏng hoặc bị cắt cụt ({exc}); hãy "
                           "dùng bản của ngày khác, hoặc khôi phục riêng cơ sở dữ liệu với --no-files. "
                           "Chưa thay đổi gì.") from None
    return [m for m in members if m.isfile() and Path(m.name).parts[0] in DURABLE_UPLOADS]


def _data_versions() -> dict[int, int] | None:
    """{campaign pk: data_version} of the database in use; None when it has no tables yet (a new server)."""
    from thidua.campaigns.models import Campaign

    try:
        tables = connection.introspection.table_names()
    except DatabaseError:  # an SQLite file damaged beyond reading: nothing to keep, nothing cached to outrun
        return {}
    if "django_migrations" not in tables:
        return None
    if Campaign._meta.db_table not in tables:
        return {}
    return dict(Campaign.objects.values_list("pk", "data_version"))


# -- the replacement -------------------------------------------------------------------------------------

def _sqlite_restore(path: Path) -> None:
    try:
        connection.ensure_connection()
    except DatabaseError:  # the file in use is damaged beyond opening: nobody can be using it
        _sqlite_replace_file(path)
        return
    try:
        with closing(_open_copy(path)) as copy:
            copy.backup(connection.connection)
    except sqlite3.Error as exc:
        raise RestoreError(f"SQLite báo lỗi khi khôi phục ({exc}); cơ sở dữ liệu giữ nguyên như trước. Nếu lỗi là "
                           "«database is locked», hãy dừng máy chủ (systemctl stop thidua) rồi chạy lại.") from None


def _sqlite_replace_file(path: Path) -> None:
    """Put the copy in place of a database file SQLite cannot open (its WAL files go with it)."""
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    try:
        with written_whole(target) as fresh:
            with closing(_open_copy(path)) as copy, closing(sqlite3.connect(fresh)) as dest:
                copy.backup(dest)
            for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
                leftover.unlink(missing_ok=True)
    except (sqlite3.Error, OSError) as exc:
        raise RestoreError(f"Không thay được tệp cơ sở dữ liệu {target} ({exc}); tệp cũ giữ nguyên.") from None


def _open_copy(path: Path) -> sqlite3.Connection:
    """The SQLite copy, read only: checking or restoring it never writes to it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _pg_restore(path: Path) -> None:
    env, args = pg_env_and_args()
    env["PGAPPNAME"] = app_name = f"thidua restore {os.getpid()}"
    connection.close()  # our own connection holds nothing pg_restore's DROP TABLE has to wait for
    process = subprocess.Popen([_restore_tool(), *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                "--exit-on-error", "--dbname", str(connection.settings_dict["NAME"]), str(path)],
                               env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    cancelled, blocked_since = False, None
    while True:
        try:
            _, stderr = process.communicate(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            pass
        # The dump sets lock_timeout to 0 itself, so a session still holding a table (a server's request, an
        # import) is watched for here: pg_restore waiting on it longer than LOCK_WAIT_SECONDS is cancelled.
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s "
                               "AND wait_event_type = 'Lock'", [app_name])
                waiting = [pid for (pid,) in cursor.fetchall()]
                if not waiting:
                    blocked_since = None
                elif blocked_since is None:
                    blocked_since = time.monotonic()
                elif time.monotonic() - blocked_since > LOCK_WAIT_SECONDS:
                    cursor.execute("SELECT pg_cancel_backend(pid) FROM unnest(%s::int[]) AS pid", [waiting])
                    cancelled = True
        except DatabaseError:  # the server unreachable: pg_restore fails too, and says why
            connection.close()
    connection.close()
    if process.returncode == 0:
        return
    if cancelled:
        raise RestoreError("Cơ sở dữ liệu đang được dùng (máy chủ hoặc một lệnh khác còn chạy): hãy dừng máy chủ "
                           "(systemctl stop thidua) rồi chạy lại. Cơ sở dữ liệu giữ nguyên như trước.")
    raise RestoreError(f"pg_restore báo lỗi, cơ sở dữ liệu giữ nguyên như trước: {tool_error(stderr)}")


def _migrate(path: Path) -> tuple[str, ...]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return ()
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except Exception as exc:
        raise RestoreError(f"Đã khôi phục {path.name} nhưng không cập nhật được dữ liệu theo phiên bản phần mềm này "
                           f"({exc}); hãy chạy `thidua manage migrate`.") from exc
    return tuple(f"{migration.app_label}.{migration.name}" for migration, _ in plan)


def _move_data_versions_past(before: dict[int, int]) -> None:
    """Every campaign's data_version past what the copy had and what the replaced database had, so that the
    results a running server cached, keyed by it, are never taken for the restored data's."""
    from thidua.campaigns.models import Campaign

    for pk, version in Campaign.objects.values_list("pk", "data_version"):
        Campaign.objects.filter(pk=pk).update(data_version=max(version, before.get(pk, 0)) + 1)


def _extract(archive: Path, members: list[tarfile.TarInfo]) -> int:
    media = Path(settings.MEDIA_ROOT)
    try:
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(media, members=members, filter="data")
    except (OSError, tarfile.TarError) as exc:
        raise RestoreError(f"Đã khôi phục cơ sở dữ liệu nhưng chưa giải nén hết các tệp tải lên vào {media} "
                           f"({getattr(exc, 'strerror', None) or exc}); khắc phục rồi chạy lại lệnh.") from None
    return len(members)
