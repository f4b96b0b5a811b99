"""`thidua restore`: put back a backup made by `thidua backup`, checked first (see thidua.core.restore)."""

from __future__ import annotations

import sys
from pathlib import Path

from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.core.restore import RestoreError, restore_database


class Command(BaseCommand):
    help = ("Khôi phục cơ sở dữ liệu và các tệp tải lên từ một bản sao lưu của lệnh thidua backup. Bản sao lưu được "
            "kiểm tra trước; cơ sở dữ liệu đang dùng được sao lưu trước khi bị thay. Hãy dừng máy chủ trước.")
    requires_migrated_database = False  # a new server restores onto an empty database

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, metavar="TỆP",
                            help="bản sao lưu: thidua-YYYYMMDD-HHMMSS.sqlite3 (SQLite) hoặc .dump (PostgreSQL); "
                                 "tệp …-tep.tar.gz bên cạnh nó (các tệp tải lên) được khôi phục cùng")
        parser.add_argument("--yes", action="store_true",
                            help="không hỏi lại (cron, kịch bản); khôi phục thay toàn bộ dữ liệu đang có")
        parser.add_argument("--no-files", action="store_true",
                            help="chỉ khôi phục cơ sở dữ liệu, giữ nguyên các tệp tải lên")
        parser.add_argument("--no-backup-first", action="store_true",
                            help="không sao lưu cơ sở dữ liệu đang dùng trước khi thay (khi nó đã hỏng)")

    def handle(self, *args, **options):
        path = options["path"]
        if not options["yes"]:
            self._confirm(path)
        try:
            done = restore_database(path, files=not options["no_files"], backup_first=not options["no_backup_first"])
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        if done.safety:
            self.stdout.write(f"Đã sao lưu cơ sở dữ liệu đang dùng trước khi thay: {done.safety.path}.")
        self.stdout.write(f"Đã khôi phục cơ sở dữ liệu từ {done.path}: {done.units} đơn vị, {done.users} tài khoản.")
        if done.migrated:
            self.stdout.write(f"Đã cập nhật dữ liệu theo phiên bản phần mềm này ({len(done.migrated)} bước chuyển "
                              "đổi).")
        if done.files:
            self.stdout.write(f"Đã khôi phục {done.files_count} tệp tải lên (minh chứng, kế hoạch) từ {done.files}.")
        elif not options["no_files"]:
            self.stdout.write("Không có tệp …-tep.tar.gz bên cạnh bản sao lưu: các tệp tải lên giữ nguyên.")
        self.stdout.write("Hãy khởi động lại máy chủ (systemctl start thidua) rồi kiểm tra.")

    def _confirm(self, path: Path) -> None:
        stdin = sys.stdin
        if not (stdin and stdin.isatty()):
            raise CommandError("Khôi phục thay toàn bộ dữ liệu đang có bằng dữ liệu của bản sao lưu; thêm --yes để xác "
                               "nhận. Chưa thay đổi gì.", returncode=2)
        self.stdout.write(f"Khôi phục thay toàn bộ dữ liệu đang có bằng dữ liệu của {path.name} (máy chủ cần được "
                          "dừng trước).")
        answer = input("Gõ «co» để tiếp tục: ").strip().lower()
        if answer not in {"co", "có"}:
            raise CommandError("Đã hủy; chưa thay đổi gì.", returncode=1)
