"""`thidua import dossiers|accounts FILE [--dry-run]`: import a portal export with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.portal.services import ImportRejected, portal_import


class _Bar:
    """Adapts the readers' progress(done, total) callback to a tqdm bar on stderr."""

    def __init__(self, label: str, enabled: bool):
        self.label, self.enabled, self.bar = label, enabled, None

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.label, unit=" dòng", file=sys.stderr, leave=False)
        elif total is not None and total != self.bar.total:
            self.bar.total = total  # a CSV's row count is estimated while it is read
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# The unit names of a portal file are mapped to the registry on the web (the preview), once: they are remembered
UNKNOWN_UNITS_HINT = ("Cách sửa: chọn đơn vị cho các tên trên một lần ở trang Nhập số liệu Cổng (tải tệp lên; ở trang "
                      "xem trước, chọn đơn vị cho từng tên rồi bấm «Ghi nhớ»), sau đó chạy lại lệnh này.")


class Command(BaseCommand):
    help = "Nhập danh sách hồ sơ hoặc tài khoản xuất từ Cổng dịch vụ công (.xlsx, .xls, .csv)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["dossiers", "accounts"], metavar="LOẠI",
                            help="dossiers: hồ sơ; accounts: tài khoản")
        parser.add_argument("file", metavar="TỆP", help="đường dẫn tệp")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và thống kê, không ghi")
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}", returncode=2)
        show = not options["no_progress"] and sys.stderr.isatty()
        # One pass over the file: a dry run checks it; an import checks and stages each row as it reads
        # (the merge into the tables, once the file is valid, follows the full bar).
        bar = _Bar("Kiểm tra" if options["dry_run"] else "Đọc, kiểm tra và ghi", show)
        try:
            outcome = portal_import(path=path, kind=options["kind"], dry_run=options["dry_run"],
                                    progress=bar, scan_progress=bar)
        except ImportRejected as exc:
            bar.close()
            for line in exc.messages:
                self.stderr.write(line)
            result = exc.result
            if result is not None and result.error_count == 0 and result.unmatched_units:
                self.stderr.write(UNKNOWN_UNITS_HINT)
            refused = ("Chạy thử: tệp còn lỗi, khi nhập thật sẽ không nhập dòng nào." if options["dry_run"]
                       else "Không nhập dòng nào: tệp còn lỗi.")
            raise CommandError(refused, returncode=2) from None
        finally:
            bar.close()
        for line in outcome.result.summary():
            self.stdout.write(line)
        if outcome.record is None:
            self.stdout.write("Chạy thử (--dry-run): chưa ghi dữ liệu nào.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Đã nhập: thêm {outcome.created}, cập nhật {outcome.updated}, không đổi {outcome.unchanged}."))
