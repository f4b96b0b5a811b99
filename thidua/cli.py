"""The `thidua` console script: score a file, run the demo, import portal data, or any Django command."""

from __future__ import annotations

import os
import sys

USAGE = """Cách dùng / usage:
  thidua score TỆP.json [--format json|table]   chấm điểm từ tệp số liệu (không cần cơ sở dữ liệu)
  thidua demo [--no-serve] [--port 8000]         tạo dữ liệu mẫu Châu Thành A và chạy máy chủ
  thidua serve [--port 8000]                     chạy máy chủ (gunicorn) với cơ sở dữ liệu hiện có
  thidua import dossiers|accounts TỆP [--dry-run] nhập danh sách hồ sơ / tài khoản từ Cổng DVC
  thidua admin                                   tạo tài khoản quản trị hệ thống (hỏi tên, mật khẩu)
  thidua units import TỆP [--dry-run]            nhập danh mục đơn vị (.xlsx, .csv) — toàn bộ hoặc không dòng nào
  thidua units export TỆP.xlsx|TỆP.csv           ghi danh mục đơn vị hiện có ra tệp (sửa rồi nhập lại bằng units import)
  thidua units accounts --out TỆP.csv            tạo tài khoản báo cáo cho các đơn vị chưa có, ghi mật khẩu ban đầu
  thidua campaign list|create|activate ...       xem, tạo (theo mẫu Kế hoạch 211 hoặc tệp .json), áp dụng phong trào
  thidua backup [--out THƯ_MỤC] [--keep N]       sao lưu cơ sở dữ liệu (chạy được khi máy chủ đang hoạt động)
  thidua restore TỆP [--yes]                     khôi phục từ bản sao lưu (kiểm tra trước; dừng máy chủ trước)
  thidua remind [--month 11/2021] [--within N] [--dry-run]  gửi email nhắc các đơn vị chưa nộp báo cáo tháng
  thidua manage LỆNH ...                         lệnh quản trị Django (migrate, createsuperuser, ...)

Cấu hình: biến môi trường, hoặc tệp .env trong thư mục cài đặt (xem .env.example; THIDUA_ENV_FILE chỉ tệp khác).
"""

UNITS_COMMANDS = {"import": "import_units", "export": "export_units", "accounts": "create_reporters"}
# Django's name of a command -> how it is typed after `thidua` (its usage line and messages say so).
PUBLIC_NAMES = {"import_portal": "import", "create_admin": "admin",
                **{django: f"units {name}" for name, django in UNITS_COMMANDS.items()}}


class EnvFileError(Exception):
    pass


def installation_env_file() -> str | None:
    """`.env` beside the virtualenv this command runs from (/srv/thidua/.env for /srv/thidua/.venv)."""
    if sys.prefix == sys.base_prefix:
        return None
    return os.path.join(os.path.dirname(sys.prefix), ".env")


def load_env_file(path: str | None = None) -> str | None:
    """Read the KEY=VALUE lines of the configuration file into os.environ; a variable already set wins.

    The file is $THIDUA_ENV_FILE, else `.env` in the current directory, else `.env` in the installation's
    directory (the one holding .venv), so that a command typed elsewhere (cron, another folder) reads it too.
    python-dotenv reads it as a shell would (comments, `export`, quotes, a comment after a value); a line
    it cannot read is refused with its number rather than skipped. Returns the file read, or None."""
    from dotenv.parser import parse_stream

    path = path or os.environ.get("THIDUA_ENV_FILE") or None
    if path is None:
        found = [p for p in (".env", installation_env_file()) if p and os.path.isfile(p)]
        if not found:
            return None
        path = found[0]
    try:
        with open(path, encoding="utf-8-sig") as handle:
            bindings = list(parse_stream(handle))
    except OSError as exc:
        raise EnvFileError(f"Không đọc được tệp cấu hình {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise EnvFileError(f"Tệp cấu hình {path} không phải văn bản UTF-8.") from None
    values: dict[str, str] = {}
    for binding in bindings:
        if binding.error or (binding.key is not None and not binding.key.isidentifier()):
            line = binding.original.string.strip()
            raise EnvFileError(f"Tệp cấu hình {path}, dòng {binding.original.line}: cần dạng TÊN=GIÁ_TRỊ, "
                               f"gặp {line!r}.")
        if binding.key is not None:
            values[binding.key] = binding.value or ""
    for key, value in values.items():
        os.environ.setdefault(key, value)
    return path


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["thidua", *argv])
    except ImproperlyConfigured as exc:  # a bad value in .env: one line, not a traceback
        print(f"Lỗi: cấu hình chưa đúng (tệp .env hoặc biến môi trường): {exc}.", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    from_command_line = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    # typed on the command line (or cron, systemd): read the installation's .env — but not for the demo, which
    # seeds Châu Thành A's units and accounts with a published password into the database it is given
    if from_command_line and argv[:1] != ["demo"]:
        try:
            load_env_file()
        except EnvFileError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 2
    if not argv or argv[0] in {"-h", "--help", "help"}:
        try:
            print(USAGE, flush=True)
        except BrokenPipeError:  # `thidua --help | head`: the reader has gone; nothing more to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
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
    if command == "admin":
        return _django(["create_admin", *rest])
    if command in {"backup", "restore", "remind"}:
        return _django([command, *rest])
    if command == "manage":
        return _django(rest)
    print(f"Lệnh không hợp lệ: {command}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
