"""`thidua demo`: create and migrate the embedded database, load the Châu Thành A demo, serve it."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command

from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError


class Command(BaseCommand):
    help = (
        "Tạo cơ sở dữ liệu mẫu huyện Châu Thành A (Kế hoạch 211) và chạy máy chủ web. "
        "Chạy lại nhiều lần vẫn an toàn."
    )
    requires_migrated_database = False  # it migrates the database itself

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Chỉ tạo dữ liệu, không chạy máy chủ.")
        parser.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                            help="địa chỉ máy chủ nhận kết nối (mặc định: 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, metavar="CỔNG", help="cổng (mặc định: 8000)")

    def handle(self, *args, **options):
        from thidua.demo import demo_logins, foreign_users, seed_demo

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if found := foreign_users():
            raise CommandError(
                f"Cơ sở dữ liệu {settings.DATABASES['default']['NAME']} đã có tài khoản không phải của dữ liệu mẫu "
                f"({', '.join(found)}): đây là dữ liệu thật, lệnh demo không ghi dữ liệu mẫu (tài khoản mật khẩu "
                "công khai) vào đó. Chạy demo với cơ sở dữ liệu riêng, ví dụ THIDUA_DATA_DIR=/tmp/thidua-demo "
                "và không đặt DATABASE_URL.", returncode=2)
        campaign = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Dữ liệu mẫu đã sẵn sàng: {campaign.name}"))
        from thidua.portal.demo_exports import write_demo_exports

        exports = write_demo_exports(campaign, settings.DATA_DIR / "demo-exports")
        self.stdout.write("Tệp xuất từ Cổng DVC để thử chức năng nhập (Nhập số liệu Cổng):")
        for path in exports:
            self.stdout.write(f"  {path}")
        self.stdout.write(f"Cơ sở dữ liệu: {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"\nĐịa chỉ: http://{options['host']}:{options['port']}/\n\nTài khoản dùng thử:")
        for role, username, password in demo_logins():
            self.stdout.write(f"  {role:<58} {username:<16} {password}")
        if not options["no_serve"]:
            from thidua.core.management.commands.serve import default_workers, run_gunicorn

            call_command("collectstatic", interactive=False, verbosity=0)
            run_gunicorn(host=options["host"], port=options["port"], workers=default_workers(), threads=1)
