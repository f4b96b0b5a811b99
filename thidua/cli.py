"""The `thidua` console script: score a file, run the demo, import portal data, or any Django command."""

from __future__ import annotations

import os
import sys

USAGE = """Cách dùng / usage:
  thidua score TỆP.json [--format json|table]   chấm điểm từ tệp số liệu (không cần cơ sở dữ liệu)
  thidua demo [--no-serve] [--port 8000]         tạo dữ liệu mẫu Châu Thành A và chạy máy chủ
  thidua serve [--port 8000]                     chạy máy chủ (gunicorn) với cơ sở dữ liệu hiện có
  thidua import dossiers|accounts TỆP [--dry-run] nhập danh sách hồ sơ / tài khoản từ Cổng DVC
  thidua units import TỆP [--dry-run]            nhập danh mục đơn vị (.xlsx, .csv) — toàn bộ hoặc không dòng nào
  thidua units export TỆP.xlsx|TỆP.csv           ghi danh mục đơn vị hiện có ra tệp (sửa rồi nhập lại bằng units import)
  thidua units accounts --out TỆP.csv            tạo tài khoản báo cáo cho các đơn vị chưa có, ghi mật khẩu ban đầu
  thidua campaign list|create|activate ...       xem, tạo (theo mẫu Kế hoạch 211 hoặc tệp .json), áp dụng phong trào
  thidua backup [--out THƯ_MỤC] [--keep N]       sao lưu cơ sở dữ liệu (chạy được khi máy chủ đang hoạt động)
  thidua remind [--month 11/2021] [--within N] [--dry-run]  gửi email nhắc các đơn vị chưa nộp báo cáo tháng
  thidua manage LỆNH ...                         lệnh quản trị Django (migrate, createsuperuser, ...)
"""

UNITS_COMMANDS = {"import": "import_units", "export": "export_units", "accounts": "create_reporters"}
# Django's name of a command -> how it is typed after `thidua` (its usage line and messages say so).
PUBLIC_NAMES = {"import_portal": "import", **{django: f"units {name}" for name, django in UNITS_COMMANDS.items()}}


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thidua", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "score":
        from thidua.scoring.cli import main as score_main

        return score_main(rest)
    if command == "demo":
        return _django(["demo", *rest])
    if command == "serve":
        return _django(["serve", *rest])
    if command == "import":
        return _django(["import_portal", *rest])
    if command == "campaign":
        return _django(["campaign", *rest])
    if command == "units" and rest and rest[0] in UNITS_COMMANDS:
        return _django([UNITS_COMMANDS[rest[0]], *rest[1:]])
    if command in {"backup", "remind"}:
        return _django([command, *rest])
    if command == "manage":
        return _django(rest)
    print(f"Lệnh không hợp lệ: {command}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
