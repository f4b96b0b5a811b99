"""`thidua admin`: create the administrator account (a superuser), asking in Vietnamese.

Django's `createsuperuser` asks "Password:" and answers "Superuser created successfully." in English, whatever
the language; this asks the same things in Vietnamese and checks the password with the same validators."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from thidua.core.audit import audit
from thidua.core.management.base import BaseCommand
from thidua.core.management.errors import CommandError
from thidua.units.models import User

PASSWORD_ENV = "THIDUA_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = ("Tạo tài khoản quản trị hệ thống (toàn quyền, vào được trang /quan-tri/). Hỏi tên đăng nhập, họ tên, "
            f"email và mật khẩu; với --no-input, mật khẩu lấy từ biến môi trường {PASSWORD_ENV}.")

    def add_arguments(self, parser):
        parser.add_argument("--username", metavar="TÊN", help="tên đăng nhập")
        parser.add_argument("--name", default="", metavar="HỌ_TÊN", help="họ và tên")
        parser.add_argument("--email", default="", metavar="EMAIL", help="email (không bắt buộc)")
        parser.add_argument("--no-input", action="store_true",
                            help=f"không hỏi gì: cần --username và biến môi trường {PASSWORD_ENV}")

    def handle(self, *args, **options):
        try:
            self._create(options)
        except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C at a question
            self.stderr.write("")
            raise CommandError("Đã hủy: chưa tạo tài khoản quản trị nào.") from None

    def _create(self, options):
        interactive = not options["no_input"]
        username = (options["username"] or "").strip()
        if not interactive and not username:
            raise CommandError("Với --no-input cần cho biết --username.", returncode=2)
        while not username or self._taken(username, interactive):
            if not interactive:
                raise CommandError(f"Tên đăng nhập «{username}» đã có.", returncode=2)
            username = input("Tên đăng nhập: ").strip()
        name = options["name"].strip() or (input("Họ và tên: ").strip() if interactive else "")
        email = options["email"].strip() or (input("Email (không bắt buộc): ").strip() if interactive else "")
        user = User(username=username, first_name=name, email=email, role=User.Role.ADMIN,
                    is_staff=True, is_superuser=True)
        password = self._password(user, interactive)
        user.set_password(password)
        user.save()
        audit("users.admin_created", actor=None, obj=user,
              summary=f"Tạo tài khoản quản trị hệ thống {username} bằng lệnh thidua admin")
        self.stdout.write(self.style.SUCCESS(f"Đã tạo tài khoản quản trị hệ thống «{username}»."))

    def _taken(self, username: str, interactive: bool) -> bool:
        if User.objects.filter(username__iexact=username).exists():
            if interactive:
                self.stderr.write(f"Tên đăng nhập «{username}» đã có; chọn tên khác.")
            return True
        return False

    def _password(self, user: User, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"Với --no-input cần đặt mật khẩu trong biến môi trường {PASSWORD_ENV}.",
                                   returncode=2)
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("Mật khẩu chưa đạt: " + " ".join(exc.messages), returncode=2) from None
            return password
        while True:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                self.stderr.write("Hai lần nhập mật khẩu không khớp; nhập lại.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write("Mật khẩu chưa đạt: " + " ".join(exc.messages))
                continue
            return password
