"""`thidua manage import_units FILE [--dry-run]`: import the unit registry from a .csv/.xlsx file."""

from __future__ import annotations

from pathlib import Path

from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.units.selectors import plan_rows
from thidua.units.services import UnitImportRejected, unit_registry_import

ACTIONS = {"create": "Thêm mới", "update": "Cập nhật"}


class Command(BaseCommand):
    help = ("Nhập danh mục đơn vị từ tệp .xlsx, .xls, .ods hoặc .csv (tạo mới hoặc cập nhật theo mã đơn vị), "
            "toàn bộ hoặc không đơn vị nào.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="TỆP", help="đường dẫn tệp danh mục đơn vị")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và liệt kê thay đổi, không ghi")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}", returncode=2)
        try:
            outcome = unit_registry_import(path=path, dry_run=options["dry_run"])
        except UnitImportRejected as exc:
            for line in exc.messages:
                self.stderr.write(line)
            raise CommandError("Không nhập đơn vị nào: tệp còn lỗi.", returncode=2) from None
        for row in plan_rows(outcome.plan):
            if row.action in ACTIONS:
                details = "; ".join(f"{label}: {after}" if row.action == "create"
                                    else f"{label}: «{before}» → «{after}»" for label, before, after in row.details)
                self.stdout.write(f"Dòng {row.row}: {ACTIONS[row.action]} {row.code} — {row.name}"
                                  + (f" ({details})" if details else ""))
        counts = f"thêm mới {outcome.created}, cập nhật {outcome.updated}, không đổi {outcome.unchanged}"
        if outcome.dry_run:
            self.stdout.write(f"Tệp «{path.name}» hợp lệ: {counts}.")
            self.stdout.write("Chạy thử (--dry-run): chưa ghi dữ liệu nào.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập danh mục đơn vị từ tệp «{path.name}»: {counts}."))
