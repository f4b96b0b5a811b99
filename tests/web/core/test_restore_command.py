"""`thidua restore`: a backup put back whole, checked before anything changes, the replaced data kept aside."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from thidua.campaigns.models import Campaign
from thidua.core.models import AuditEvent
from thidua.units.models import Unit, User

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump/pg_restore see what is committed


@pytest.fixture
def dirs(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    return tmp_path


def backup(out: Path) -> Path:
    call_command("backup", out=out, stdout=io.StringIO())
    return next(p for p in out.iterdir() if p.suffix in {".sqlite3", ".dump"})


def restore(path: Path, *args: str) -> str:
    buf = io.StringIO()
    call_command("restore", str(path), *args, stdout=buf)
    return buf.getvalue()


def unit_codes() -> set[str]:
    return set(Unit.objects.values_list("code", flat=True))


def test_a_restore_puts_the_backup_s_data_back_and_keeps_the_replaced_data_aside(dirs):
    Unit.objects.create(code="X-TRUOC", name="Xã Trước", level="commune", group="commune")
    copy = backup(dirs / "sao-luu")
    Unit.objects.filter(code="X-TRUOC").delete()
    later = Unit.objects.create(code="X-SAU", name="Xã Sau", level="commune", group="commune")
    User.objects.create_user(username="x-sau", password="mat-khau-sau-nay", role=User.Role.REPORTER, unit=later)

    out = restore(copy, "--yes")

    assert unit_codes() == {"X-TRUOC"} and not User.objects.filter(username="x-sau").exists()
    assert f"Đã khôi phục cơ sở dữ liệu từ {copy}: 1 đơn vị, 0 tài khoản." in out
    assert "Không có tệp …-tep.tar.gz bên cạnh bản sao lưu: các tệp tải lên giữ nguyên." in out
    safety = next((dirs / "data" / "backups").glob("thidua-*"))  # the data replaced, restorable in its turn
    assert f"Đã sao lưu cơ sở dữ liệu đang dùng trước khi thay: {safety}." in out
    event = AuditEvent.objects.get(action="core.restore")
    assert event.summary.startswith(f"Khôi phục cơ sở dữ liệu từ bản sao lưu «{copy.name}» (")
    assert f"bản trước khi khôi phục: «{safety.name}»" in event.summary
    assert event.after["units"] == 1 and event.after["safety_backup"] == str(safety)

    restore(safety, "--yes", "--no-backup-first")  # undone
    assert unit_codes() == {"X-SAU"} and User.objects.filter(username="x-sau").exists()


def test_campaign_data_versions_move_past_both_databases(dirs):
    """A running server caches results by (campaign, data_version): after the restore no version it has seen
    may come back with other data."""
    from thidua.campaigns.services import campaign_create, campaign_touch
    from thidua.scoring.rubric import plan_211

    campaign = campaign_create(rubric=plan_211())
    copy_version = Campaign.objects.get(pk=campaign.pk).data_version
    copy = backup(dirs / "sao-luu")
    for _ in range(5):
        campaign_touch(campaign=campaign)
    replaced_version = Campaign.objects.get(pk=campaign.pk).data_version
    assert replaced_version == copy_version + 5
    restore(copy, "--yes")
    assert Campaign.objects.get(pk=campaign.pk).data_version == replaced_version + 1


def test_the_uploaded_files_come_back_from_the_archive_beside_the_copy(dirs, settings):
    media = Path(settings.MEDIA_ROOT)
    (media / "evidence/2021/07").mkdir(parents=True)
    (media / "evidence/2021/07/bien-ban.pdf").write_bytes(b"%PDF-1.4 bien ban")
    (media / "plans").mkdir()
    (media / "plans/ke-hoach.pdf").write_bytes(b"%PDF-1.4 ke hoach")
    copy = backup(dirs / "sao-luu")
    (media / "evidence/2021/07/bien-ban.pdf").unlink()
    (media / "plans/ke-hoach.pdf").write_bytes(b"doi sau sao luu")
    (media / "plans/moi.pdf").write_bytes(b"%PDF-1.4 moi")

    assert "Đã khôi phục 0 tệp" not in restore(copy, "--yes", "--no-files")
    assert not (media / "evidence/2021/07/bien-ban.pdf").exists()

    out = restore(copy, "--yes")
    assert "Đã khôi phục 2 tệp tải lên (minh chứng, kế hoạch) từ " in out
    assert (media / "evidence/2021/07/bien-ban.pdf").read_bytes() == b"%PDF-1.4 bien ban"
    assert (media / "plans/ke-hoach.pdf").read_bytes() == b"%PDF-1.4 ke hoach"
    assert (media / "plans/moi.pdf").exists()  # a file the backup did not know stays
    assert AuditEvent.objects.filter(action="core.restore").latest("pk").after["upload_count"] == 2


def _refused(path: Path, match: str, *args: str) -> None:
    before = unit_codes()
    with pytest.raises(CommandError, match=match):
        restore(path, "--yes", *args)
    assert unit_codes() == before
    assert not AuditEvent.objects.filter(action="core.restore").exists()


def test_what_is_not_a_usable_backup_is_refused_before_anything_changes(dirs):
    Unit.objects.create(code="X-CON", name="Xã Còn", level="commune", group="commune")
    _refused(dirs / "khong-co.sqlite3", "Không có tệp .*khong-co.sqlite3")
    _refused(dirs, "là một thư mục; hãy chỉ tệp sao lưu")  # the backups' folder given instead of one of them
    (dirs / "rong.dump").write_bytes(b"")
    _refused(dirs / "rong.dump", r"Tệp rong.dump rỗng \(0 byte\): không phải bản sao lưu")
    (dirs / "ghi-chu.sqlite3").write_text("SELECT 1;", encoding="utf-8")
    _refused(dirs / "ghi-chu.sqlite3", "không phải bản sao lưu do lệnh thidua backup tạo")
    other = dirs / "khac-loai.bak"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        _refused(other, "là bản sao lưu PostgreSQL, còn cơ sở dữ liệu đang dùng .* là SQLite")
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        _refused(other, "là bản sao lưu SQLite, còn cơ sở dữ liệu đang dùng .* là PostgreSQL")

    good = backup(dirs / "sao-luu")
    cut = dirs / f"cat-cut{good.suffix}"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    _refused(cut, "bị cắt cụt")

    stranger = dirs / f"ung-dung-khac{good.suffix}"
    if connection.vendor == "sqlite":
        db = sqlite3.connect(stranger)
        db.execute("CREATE TABLE django_migrations (id integer primary key, app text, name text, applied text)")
        db.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '')")
        db.commit()
        db.close()
        _refused(stranger, "không phải cơ sở dữ liệu của Thi Đua DVC")
    assert not list((dirs / "data" / "backups").glob("*")) if (dirs / "data" / "backups").exists() else True


def test_a_copy_damaged_near_its_end_changes_nothing(dirs):
    """A copy cut short by a few bytes (a disk filled up while it was copied to another server) passes the
    checks that read its beginning; the restore itself stops at the damage and the database keeps its data,
    the users (last in the copy) included: without one transaction, nobody could sign in any more."""
    unit = Unit.objects.create(code="X-SAO-LUU", name="Xã Sao Lưu", level="commune", group="commune")
    User.objects.create_user(username="x-sao-luu", password="mat-khau-sao-luu", role=User.Role.REPORTER, unit=unit)
    good = backup(dirs / "sao-luu")
    damaged = dirs / f"hong{good.suffix}"
    damaged.write_bytes(good.read_bytes()[:-64])
    Unit.objects.create(code="X-SAU", name="Xã Sau", level="commune", group="commune")
    _refused(damaged, "pg_restore báo lỗi, cơ sở dữ liệu giữ nguyên như trước: tệp bị cắt cụt .*end of file"
             if connection.vendor == "postgresql" else "ngắn hơn cỡ ghi trong chính nó: tệp bị cắt cụt")
    assert list(User.objects.values_list("username", flat=True)) == ["x-sao-luu"]
    assert unit_codes() == {"X-SAO-LUU", "X-SAU"}


def test_a_copy_made_by_a_newer_version_is_refused(dirs):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('reports', '9999_tuong_lai', "
                       "CURRENT_TIMESTAMP)")
    newer = backup(dirs / "sao-luu")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE name = '9999_tuong_lai'")
    _refused(newer, r"được tạo bởi phiên bản mới hơn của phần mềm .*reports\.9999_tuong_lai.*hãy cập nhật phần mềm")


def test_a_copy_made_by_an_older_version_is_brought_up_to_date(dirs):
    """A copy from before the last update: its missing migration (here portal 0009, which keys the remembered
    portal names again and can run twice) is applied after the restore."""
    latest = ("portal", "0009_unit_alias_keys_expand_abbreviations")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", latest)
    older = backup(dirs / "sao-luu")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, CURRENT_TIMESTAMP)", latest)
    out = restore(older, "--yes")
    assert "Đã cập nhật dữ liệu theo phiên bản phần mềm này (1 bước chuyển đổi)." in out
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = %s AND name = %s", latest)
        assert cursor.fetchone() == (1,)
    event = AuditEvent.objects.get(action="core.restore")
    assert event.after["migrated"] == ["portal.0009_unit_alias_keys_expand_abbreviations"]
    assert "cập nhật 1 bước chuyển đổi dữ liệu" in event.summary


def test_a_damaged_files_archive_is_found_before_the_database_is_replaced(dirs, settings):
    (Path(settings.MEDIA_ROOT) / "evidence").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "evidence" / "a.pdf").write_bytes(os.urandom(200_000))
    copy = backup(dirs / "sao-luu")
    archive = next((dirs / "sao-luu").glob("*-tep.tar.gz"))
    archive.write_bytes(archive.read_bytes()[:-5000])
    Unit.objects.create(code="X-SAU", name="Xã Sau", level="commune", group="commune")
    _refused(copy, r"-tep.tar.gz \(các tệp tải lên của bản sao lưu\) hỏng hoặc bị cắt cụt.*--no-files")
    assert "X-SAU" in unit_codes()


def test_without_yes_and_no_terminal_it_asks_for_yes(dirs, monkeypatch):
    copy = backup(dirs / "sao-luu")
    Unit.objects.create(code="X-SAU", name="Xã Sau", level="commune", group="commune")
    monkeypatch.setattr(sys, "stdin", io.StringIO("co\n"))
    with pytest.raises(CommandError, match=r"thêm --yes để xác nhận\. Chưa thay đổi gì\."):
        restore(copy)
    assert "X-SAU" in unit_codes()


@pytest.mark.postgres
def test_a_database_still_in_use_fails_cleanly_instead_of_waiting(dirs, monkeypatch):
    """A server or an import holding a table: pg_restore is cancelled after waiting on it, nothing changed."""
    import psycopg

    from thidua.core import restore as restore_module

    monkeypatch.setattr(restore_module, "LOCK_WAIT_SECONDS", 1)
    copy = backup(dirs / "sao-luu")
    Unit.objects.create(code="X-SAU", name="Xã Sau", level="commune", group="commune")
    s = connection.settings_dict
    holding, release = threading.Event(), threading.Event()

    def hold():
        with psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                             password=s["PASSWORD"] or None, dbname=s["NAME"]) as other:
            other.execute(f'SELECT count(*) FROM "{Unit._meta.db_table}"')  # its transaction holds a lock
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        _refused(copy, "Cơ sở dữ liệu đang được dùng .*dừng máy chủ.*giữ nguyên như trước")
    finally:
        release.set()
        thread.join()
    assert "X-SAU" in unit_codes()


def test_the_command_line_restores_a_real_sqlite_file_under_an_open_connection(tmp_path):
    """`thidua backup` and `thidua restore` as typed, on an SQLite file in WAL mode, while another connection
    (a server's) stays open: it reads the restored data, never half of it."""
    env = {**os.environ, "THIDUA_DATA_DIR": str(tmp_path / "data"), "THIDUA_ENV_FILE": os.devnull}
    env.pop("DATABASE_URL", None)
    thidua = [sys.executable, "-m", "thidua.cli"]

    def run(*args, stdin=subprocess.DEVNULL):
        return subprocess.run([*thidua, *args], env=env, capture_output=True, text=True, stdin=stdin, timeout=300)

    assert run("manage", "migrate", "--verbosity", "0").returncode == 0
    database = tmp_path / "data" / "thidua.sqlite3"
    server = sqlite3.connect(database)
    server.execute("INSERT INTO units_unit (code, name, level, \"group\", parent_id, active, head_name, head_title, "
                   "description, sort_order, first_month) "
                   "VALUES ('X-TRUOC', 'Xã Trước', 'commune', 'commune', NULL, 1, '', '', '', 0, '')")
    server.commit()
    made = run("backup", "--out", str(tmp_path / "sao-luu"))
    assert made.returncode == 0, made.stderr
    copy = next((tmp_path / "sao-luu").glob("*.sqlite3"))
    server.execute("UPDATE units_unit SET name = 'Xã Đổi Sau' WHERE code = 'X-TRUOC'")
    server.commit()

    refused = run("restore", str(copy))
    assert refused.returncode == 2 and refused.stderr.startswith("Lỗi: Khôi phục thay toàn bộ dữ liệu đang có")
    done = run("restore", str(copy), "--yes")
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục cơ sở dữ liệu từ" in done.stdout and "Hãy khởi động lại máy chủ" in done.stdout
    assert server.execute("SELECT name FROM units_unit").fetchall() == [("Xã Trước",)]
    assert server.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert server.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    server.close()
    not_a_backup = run("restore", str(database.with_name("khong-co.dump")), "--yes")
    assert not_a_backup.returncode == 1 and "Lỗi: Không có tệp" in not_a_backup.stderr

    with open(database, "r+b") as damaged:  # the database in use damaged beyond opening: why one restores
        damaged.write(b"X" * 100)
    unopenable = run("restore", str(copy), "--yes")
    assert unopenable.returncode == 1 and "Traceback" not in unopenable.stderr
    assert "Không mở được cơ sở dữ liệu đang dùng" in unopenable.stderr and "--no-backup-first" in unopenable.stderr
    replaced = run("restore", str(copy), "--yes", "--no-backup-first")
    assert replaced.returncode == 0, replaced.stderr
    with sqlite3.connect(database) as again:
        assert again.execute("SELECT name FROM units_unit").fetchall() == [("Xã Trước",)]
        assert again.execute("SELECT count(*) FROM core_auditevent WHERE action = 'core.restore'").fetchone() == (1,)

    env["THIDUA_DATA_DIR"] = str(tmp_path / "may-chu-moi")  # a new server: nothing migrated, nothing to keep
    onto_new = run("restore", str(copy), "--yes")
    assert onto_new.returncode == 0, onto_new.stderr
    assert "trước khi thay" not in onto_new.stdout
    with sqlite3.connect(tmp_path / "may-chu-moi" / "thidua.sqlite3") as new:
        assert new.execute("SELECT name FROM units_unit").fetchall() == [("Xã Trước",)]


@pytest.mark.postgres
def test_the_command_line_restores_onto_a_new_empty_postgresql_database(dirs):
    """Another server (or the database lost): a database created empty, then `thidua restore` as typed."""
    import psycopg

    Unit.objects.create(code="X-SAO-LUU", name="Xã Sao Lưu", level="commune", group="commune")
    copy = backup(dirs / "sao-luu")
    s = connection.settings_dict
    name = f"{s['NAME']}_restore_new"
    url = f"postgres://{s['USER'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    admin = psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                            password=s["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            env = {**os.environ, "DATABASE_URL": url + "_chua_tao", "THIDUA_DATA_DIR": str(dirs / "may-chu-moi"),
                   "THIDUA_ENV_FILE": os.devnull}
            not_created = subprocess.run([sys.executable, "-m", "thidua.cli", "restore", str(copy), "--yes"], env=env,
                                         capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
            assert not_created.returncode == 1 and not_created.stderr.startswith(
                f"Lỗi: Không kết nối được cơ sở dữ liệu {name}_chua_tao (DATABASE_URL; trên máy chủ mới, hãy tạo cơ sở "
                "dữ liệu rỗng trước): ")
            env["DATABASE_URL"] = url
            done = subprocess.run([sys.executable, "-m", "thidua.cli", "restore", str(copy), "--yes"], env=env,
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
            assert done.returncode == 0, done.stderr
            assert "Đã khôi phục cơ sở dữ liệu từ" in done.stdout and "trước khi thay" not in done.stdout
            with psycopg.connect(url) as db:
                assert db.execute(f'SELECT code FROM "{Unit._meta.db_table}"').fetchall() == [("X-SAO-LUU",)]
                assert db.execute(f'SELECT count(*) FROM "{AuditEvent._meta.db_table}" '
                                  "WHERE action = 'core.restore'").fetchone() == (1,)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
