"""`thidua units export FILE.xlsx|FILE.csv`: write the unit registry as it is now, to edit and import again."""

from __future__ import annotations

from pathlib import Path

from thidua.core.files import written_whole
from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.units.registry_file import render_registry_file
from thidua.units.selectors import registry_export_units, registry_groups


class Command(BaseCommand):
    help = ("Ghi danh mục đơn vị hiện có ra tệp .xlsx hoặc .csv, đúng mẫu của lệnh units import: sửa tệp rồi "
            "nhập lại, chỉ những gì đã sửa được cập nhật.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="TỆP", help="tệp sẽ ghi, đuôi .xlsx hoặc .csv")

    def handle(self, *args, **options):
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in {"xlsx", "csv"}:
            raise CommandError(f"Tên tệp «{path.name}» phải có đuôi .xlsx hoặc .csv.", returncode=2)
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục {path.parent}.", returncode=2)
        units = registry_export_units()
        content = render_registry_file(fmt, units, registry_groups())
        try:
            with written_whole(path, mode=0o644) as partial:  # a file being replaced is never left half written
                partial.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror or exc}.", returncode=1) from None
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {len(units)} đơn vị vào tệp «{path}»."))
