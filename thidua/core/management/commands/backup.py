"""`thidua backup`: a checked copy of the database, safe while the server runs (see thidua.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from thidua.core.backup import BackupError, backup_database
from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.scoring.text import format_mb


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu (SQLite: bản sao nhất quán; PostgreSQL: pg_dump), kiểm tra bản sao "
            "rồi mới giữ lại. Chạy được khi máy chủ đang hoạt động.")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                            help="thư mục chứa bản sao lưu (mặc định: $THIDUA_DATA_DIR/backups)")
        parser.add_argument("--keep", type=int, default=None, metavar="N",
                            help="giữ lại chừng này bản mới nhất trong thư mục, xóa các bản cũ hơn")

    def handle(self, *args, **options):
        out_dir = options["out"] or Path(settings.DATA_DIR) / "backups"
        try:
            done = backup_database(out_dir=out_dir, keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã sao lưu vào {done.path} ({format_mb(done.size)}).")
        if done.files:
            self.stdout.write(f"Các tệp tải lên ({done.files_count} tệp minh chứng, kế hoạch): {done.files} "
                              f"({format_mb(done.files.stat().st_size)}).")
        for old in done.removed:
            self.stdout.write(f"Đã xóa bản cũ {old.name}.")
