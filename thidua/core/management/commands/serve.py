"""Serve the application with gunicorn, the production WSGI server (never runserver)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


def run_gunicorn(*, host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    from thidua.config.wsgi import application

    class _App(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", None)
            self.cfg.set("timeout", 60)

        def load(self):
            return application

    _App().run()


class Command(BaseCommand):
    help = "Chạy máy chủ web Thi Đua DVC bằng gunicorn (máy chủ WSGI dùng cho vận hành thật)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Đang phục vụ tại http://{options['host']}:{options['port']}/ (Ctrl+C để dừng)")
        run_gunicorn(host=options["host"], port=options["port"], workers=options["workers"],
                     threads=options["threads"])
