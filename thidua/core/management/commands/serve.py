"""Serve the application with gunicorn, the production WSGI server (never runserver)."""

from __future__ import annotations

import errno
import os
import socket

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError


def run_gunicorn(*, host: str, port: int, workers: int, threads: int) -> None:
    # gunicorn forks its workers from this process: a database connection left open here (the migration
    # check, the demo's seeding) would be one socket shared by every worker, their queries interleaved
    # ("lost synchronization with server" on PostgreSQL; SQLite forbids it, the file may be damaged)
    connections.close_all()
    from gunicorn.app.base import BaseApplication

    from thidua.config.wsgi import application

    class _App(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", None)
            # A province-size portal import (a million rows) runs in its request for about a minute.
            self.cfg.set("timeout", 600)
            # gunicorn answers a longer request line with its own English page; its maximum lets an
            # address of a few kilobytes (a long pasted query) reach the app's Vietnamese pages.
            self.cfg.set("limit_request_line", 8190)
            # gunicorn 24+ opens an admin socket in $HOME/.gunicorn (shared by every server the account runs,
            # and an English warning when the service account's home cannot be written); the app needs none.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return application

    _App().run()


def check_address(host: str, port: int) -> None:
    """Bind the address once before gunicorn does: gunicorn retries a port in use for five seconds with
    English errors, then exits; this names the problem in one Vietnamese line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise CommandError(f"Không dùng được địa chỉ «{host}» (--host): không tìm thấy máy có tên, địa chỉ này "
                           f"({getattr(exc, 'strerror', None) or exc}).", returncode=2) from exc
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn: a just-stopped server's port
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = (f"Cổng {port} trên {host} đang được một chương trình khác dùng (có thể là máy chủ Thi Đua "
                           "DVC đang chạy: dừng nó trước, ví dụ «systemctl stop thidua»), hoặc chọn cổng khác bằng "
                           "--port.")
            elif exc.errno == errno.EACCES:
                message = (f"Không được dùng cổng {port}: cổng dưới 1024 cần quyền quản trị; hãy chạy máy chủ ở "
                           "cổng từ 1024 trở lên (mặc định 8000), sau nginx.")
            elif exc.errno == errno.EADDRNOTAVAIL:
                message = f"Địa chỉ {host} không thuộc máy này (--host): dùng 127.0.0.1 khi có nginx phía trước."
            else:
                message = f"Không mở được địa chỉ {host}:{port}: {exc.strerror or exc}."
            raise CommandError(message, returncode=2) from exc


def default_workers() -> int:
    return max(2, os.cpu_count() or 2)


class Command(BaseCommand):
    help = "Chạy máy chủ web Thi Đua DVC bằng gunicorn (máy chủ WSGI dùng cho vận hành thật)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                            help="địa chỉ máy chủ nhận kết nối (mặc định: 127.0.0.1, chỉ máy này)")
        parser.add_argument("--port", type=int, default=8000, metavar="CỔNG", help="cổng (mặc định: 8000)")
        # Scoring and page rendering are CPU-bound: one synchronous worker per core gave the best
        # throughput and tail latency in bench/bench_web.py. Put a buffering reverse proxy (nginx) in
        # front in production so slow clients do not hold a worker.
        parser.add_argument("--workers", type=int, default=default_workers(), metavar="SỐ",
                            help="số tiến trình xử lý (mặc định: số lõi CPU, ít nhất 2)")
        parser.add_argument("--threads", type=int, default=1, metavar="SỐ",
                            help="số luồng mỗi tiến trình (mặc định: 1)")

    def handle(self, *args, **options):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "Cơ sở dữ liệu chưa được cập nhật theo phiên bản phần mềm này; hãy chạy "
                "`thidua manage migrate` trước khi chạy máy chủ.", returncode=2)
        check_address(options["host"], options["port"])
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Đang phục vụ tại http://{options['host']}:{options['port']}/ (Ctrl+C để dừng)")
        run_gunicorn(host=options["host"], port=options["port"], workers=options["workers"],
                     threads=options["threads"])
