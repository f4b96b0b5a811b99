"""`thidua manage create_reporters --out FILE.csv`: a reporter account for each competing unit without one."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.units.accounts import accounts_csv, reporter_accounts_create, units_without_reporter


class Command(BaseCommand):
    help = ("Tạo tài khoản cán bộ báo cáo cho các đơn vị thi đua chưa có; ghi tên đăng nhập và mật khẩu ban đầu "
            "ra tệp CSV.")

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="TỆP",
                            help="tệp CSV nhận danh sách tài khoản và mật khẩu ban đầu (bắt buộc, trừ khi --dry-run)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê các đơn vị chưa có tài khoản")

    def handle(self, *args, **options):
        if options["dry_run"]:
            units = units_without_reporter()
            for unit in units:
                self.stdout.write(f"{unit.code}  {unit.name}")
            self.stdout.write(f"{len(units)} đơn vị chưa có tài khoản báo cáo.")
            return
        if not options["out"]:
            raise CommandError("thiếu tham số bắt buộc: --out TỆP.csv (tệp nhận mật khẩu ban đầu); "
                               "thêm --dry-run để chỉ xem các đơn vị chưa có tài khoản.", returncode=2)
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"Tệp {out} đã có; hãy chọn tên khác (danh sách mật khẩu không được ghi đè).",
                               returncode=2)
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục {out.parent}.", returncode=2)
        with transaction.atomic():  # a list that cannot be written leaves no account behind
            accounts = reporter_accounts_create(actor=None)
            if not accounts:
                self.stdout.write("Mọi đơn vị thi đua đã có tài khoản báo cáo; không tạo thêm.")
                return
            try:
                out.touch(mode=0o600, exist_ok=False)
                out.write_bytes(accounts_csv(accounts))
            except OSError as exc:
                raise CommandError(f"Không ghi được tệp {out}: {exc.strerror}; không tạo tài khoản nào.",
                                   returncode=2) from None
        self.stdout.write(f"Đã tạo {len(accounts)} tài khoản; tên đăng nhập và mật khẩu ban đầu ở {out} "
                          "(chỉ người quản trị đọc được). Hãy giao cho từng đơn vị và đề nghị đổi mật khẩu "
                          "ngay lần đăng nhập đầu.")
