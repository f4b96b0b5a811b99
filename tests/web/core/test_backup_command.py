"""`thidua backup`: a checked copy of the database that restores to the same data."""

from __future__ import annotations

import io
import sqlite3
import stat
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from thidua.core.models import AuditEvent
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed


def backup(out, **options) -> str:
    buf = io.StringIO()
    call_command("backup", out=out, stdout=buf, **options)
    return buf.getvalue()


def restored_unit_names(path) -> set[str]:
    """The unit names in a backup, read back the way an administrator restores it."""
    table = Unit._meta.db_table
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as db:
            return {name for (name,) in db.execute(f'SELECT name FROM "{table}"')}
    import psycopg

    s = connection.settings_dict
    admin = psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                            password=s["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with admin:
        admin.execute("DROP DATABASE IF EXISTS thidua_restore_check")
        admin.execute("CREATE DATABASE thidua_restore_check")
        try:
            args = ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", "thidua_restore_check"]
            for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
                if s[key]:
                    args += [flag, str(s[key])]
            subprocess.run([*args, str(path)], check=True, capture_output=True)
            with psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                                 password=s["PASSWORD"] or None, dbname="thidua_restore_check") as db:
                return {name for (name,) in db.execute(f'SELECT name FROM "{table}"')}
        finally:
            admin.execute("DROP DATABASE IF EXISTS thidua_restore_check")


def test_a_backup_restores_to_the_same_data_and_is_audited(tmp_path):
    Unit.objects.create(code="X-SAO-LUU", name="Xã Sao Lưu", level="commune", group="commune")
    out = backup(tmp_path / "sao-luu")
    files = [p for p in (tmp_path / "sao-luu").iterdir() if not p.name.endswith("-tep.tar.gz")]
    assert len(files) == 1, files  # no partial file left behind
    copy = files[0]
    assert copy.suffix == (".sqlite3" if connection.vendor == "sqlite" else ".dump")
    assert copy.name.startswith("thidua-") and f"Đã sao lưu vào {copy}" in out
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # it holds password hashes
    assert "Xã Sao Lưu" in restored_unit_names(copy)
    event = AuditEvent.objects.get(action="core.backup")
    assert copy.name in event.summary and event.after["size"] == copy.stat().st_size


def test_the_uploaded_files_are_archived_beside_the_database_and_extract_in_place(tmp_path, settings):
    import tarfile

    settings.MEDIA_ROOT = tmp_path / "media"
    for relative, content in (("evidence/2021/07/bien-ban.pdf", b"%PDF-1.4 bien ban"),
                              ("plans/2021/06/ke-hoach.pdf", b"%PDF-1.4 ke hoach"),
                              ("portal-uploads/20211120-1.bin", b"tam thoi")):
        (settings.MEDIA_ROOT / relative).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / relative).write_bytes(content)
    out = backup(tmp_path / "sao-luu")
    archive = next((tmp_path / "sao-luu").glob("thidua-*-tep.tar.gz"))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert f"Các tệp tải lên (2 tệp minh chứng, kế hoạch): {archive}" in out
    restored = tmp_path / "khoi-phuc"
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["evidence/2021/07/bien-ban.pdf", "plans/2021/06/ke-hoach.pdf"]
        tar.extractall(restored, filter="data")
    assert (restored / "evidence/2021/07/bien-ban.pdf").read_bytes() == b"%PDF-1.4 bien ban"
    assert AuditEvent.objects.get(action="core.backup").after["upload_count"] == 2


def test_keep_removes_the_oldest_of_its_own_backups_only(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "a.pdf").write_bytes(b"%PDF")
    out_dir = tmp_path / "sao-luu"
    out_dir.mkdir()
    (out_dir / "ghi-chu.txt").write_text("không phải bản sao lưu")
    for _ in range(3):
        out = backup(out_dir, keep=2)
    ours = sorted(p.name for p in out_dir.iterdir() if p.name.startswith("thidua-"))
    assert len(ours) == 4 and (out_dir / "ghi-chu.txt").exists()  # two backups, each a database and its files
    assert len({name.removesuffix("-tep.tar.gz").rsplit(".", 1)[0] for name in ours}) == 2
    assert "Đã xóa bản cũ thidua-" in out


def test_bad_options_and_an_unusable_folder_get_a_vietnamese_message(tmp_path):
    with pytest.raises(CommandError, match="Số bản sao lưu giữ lại phải từ 1 trở lên"):
        backup(tmp_path, keep=0)
    blocker = tmp_path / "la-tep"
    blocker.write_text("")
    with pytest.raises(CommandError, match="Không tạo được thư mục sao lưu"):
        backup(blocker / "con")
    assert not AuditEvent.objects.filter(action="core.backup").exists()


def test_without_the_postgresql_client_tools(tmp_path, monkeypatch):
    """PostgreSQL needs pg_dump on the PATH and says so; SQLite needs no program."""
    monkeypatch.setenv("PATH", str(tmp_path / "bin-rong"))
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError, match="Không tìm thấy lệnh pg_dump; hãy cài gói postgresql-client"):
            backup(tmp_path / "out")
        assert not list((tmp_path / "out").iterdir())
    else:
        assert "Đã sao lưu vào" in backup(tmp_path / "out")


@pytest.mark.postgres
def test_pg_dump_s_errors_are_said_in_vietnamese_with_its_own_line_after(tmp_path, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "khong_co_csdl_nay")
    with pytest.raises(CommandError) as refused:
        backup(tmp_path / "out")
    assert str(refused.value).startswith("pg_dump báo lỗi: không có cơ sở dữ liệu hoặc người dùng này trên máy chủ "
                                         "PostgreSQL (DATABASE_URL) (pg_dump: error: ")
    assert 'database "khong_co_csdl_nay" does not exist' in str(refused.value)
    assert not list((tmp_path / "out").iterdir())


def test_a_full_disk_is_named_as_such():
    from thidua.core.backup import tool_error

    stderr = "pg_dump: error: could not write to output file: No space left on device\n"
    assert tool_error(stderr) == ("ổ đĩa đã đầy (pg_dump: error: could not write to output file: No space left on "
                                  "device)")
    assert tool_error("pg_restore: error: something new\n") == "pg_restore: error: something new"
    assert tool_error("") == "không rõ lỗi"


def test_a_database_never_set_up_is_said_so_and_no_backup_is_left(tmp_path):
    """`thidua backup` typed on a new server before anything was set up, or with DATABASE_URL naming the wrong
    database: PostgreSQL's copy of an empty database said «Bản sao lưu không đọc lại được bằng pg_restore: không rõ
    lỗi»; SQLite's was kept (an empty file named like a backup) before the audit failed."""
    import os
    import sys

    env = {**os.environ, "THIDUA_DATA_DIR": str(tmp_path / "data"), "THIDUA_ENV_FILE": os.devnull}
    env.pop("DATABASE_URL", None)
    admin, name = None, None
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        name = f"{s['NAME']}_chua_khoi_tao"
        admin = psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                                password=s["PASSWORD"] or None, dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://{s['USER'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    try:
        done = subprocess.run([sys.executable, "-m", "thidua.cli", "backup", "--out", str(tmp_path / "sao-luu")],
                              env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Lỗi: Cơ sở dữ liệu ") and "Traceback" not in done.stderr
    assert "chưa được khởi tạo (chưa có bảng nào của Thi Đua DVC): không có gì để sao lưu." in done.stderr
    assert "`thidua manage migrate`" in done.stderr
    assert not (tmp_path / "sao-luu").exists() or not any((tmp_path / "sao-luu").iterdir())
