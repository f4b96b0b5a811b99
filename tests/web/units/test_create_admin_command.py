"""`thidua admin`: the administrator account created in Vietnamese (Django's createsuperuser asks in English)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.core.models import AuditEvent
from thidua.units.models import User

pytestmark = pytest.mark.django_db


def test_without_questions_the_password_comes_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("THIDUA_ADMIN_PASSWORD", "Quan-Tri@Tinh-2026")
    call_command("create_admin", "--no-input", "--username", "quantri", "--name", "Nguyễn Văn An",
                 "--email", "quantri@example.gov.vn")
    assert "Đã tạo tài khoản quản trị hệ thống «quantri»." in capsys.readouterr().out
    admin = User.objects.get()
    assert admin.is_superuser and admin.is_staff and admin.is_admin_role and admin.check_password("Quan-Tri@Tinh-2026")
    assert (admin.first_name, admin.email) == ("Nguyễn Văn An", "quantri@example.gov.vn")
    assert AuditEvent.objects.get().action == "users.admin_created"


@pytest.mark.parametrize(("password", "message"), [
    ("", "cần đặt mật khẩu trong biến môi trường THIDUA_ADMIN_PASSWORD"),
    ("12345678", "Mật khẩu chưa đạt:"),
])
def test_without_questions_a_missing_or_weak_password_is_refused(monkeypatch, password, message):
    monkeypatch.setenv("THIDUA_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_admin", "--no-input", "--username", "quantri")
    assert not User.objects.exists()


def test_a_user_name_already_taken_is_refused(monkeypatch):
    User.objects.create_user("quantri", password="x")
    monkeypatch.setenv("THIDUA_ADMIN_PASSWORD", "Quan-Tri@Tinh-2026")
    with pytest.raises(CommandError, match="Tên đăng nhập «QuanTri» đã có"):
        call_command("create_admin", "--no-input", "--username", "QuanTri")


def test_asked_at_the_terminal_it_asks_again_until_the_answers_hold(monkeypatch, capsys):
    """The terminal's answers, in order: a taken name, then a free one; passwords that differ, then a weak
    one, then a good one twice."""
    from thidua.units.management.commands import create_admin

    User.objects.create_user("quantri", password="x")
    answers = iter(["quantri", "quantri-tinh", "Trần Thị Bình", ""])
    passwords = iter(["Mat-Khau@2026", "Khac@2026", "12345678", "12345678", "Mat-Khau@2026", "Mat-Khau@2026"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr(create_admin.getpass, "getpass", lambda prompt: next(passwords))
    call_command("create_admin")
    err = capsys.readouterr().err
    assert "Tên đăng nhập «quantri» đã có; chọn tên khác." in err
    assert "Hai lần nhập mật khẩu không khớp; nhập lại." in err
    assert "Mật khẩu chưa đạt:" in err
    admin = User.objects.get(username="quantri-tinh")
    assert admin.is_superuser and admin.first_name == "Trần Thị Bình" and admin.check_password("Mat-Khau@2026")


@pytest.mark.parametrize("stop", [EOFError, KeyboardInterrupt])
def test_ending_the_questions_with_ctrl_d_or_ctrl_c_says_so_in_vietnamese_and_creates_nobody(monkeypatch, stop):
    """Ctrl-D (the end of the terminal's input) or Ctrl-C at a question: one Vietnamese line, not a traceback."""
    from thidua.units.management.commands import create_admin

    answers = iter(["quantri", "Trần Thị Bình", ""])

    def ask(prompt):
        raise stop

    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr(create_admin.getpass, "getpass", ask)
    with pytest.raises(CommandError, match=r"^Đã hủy: chưa tạo tài khoản quản trị nào\.$"):
        call_command("create_admin")
    monkeypatch.setattr("builtins.input", ask)
    with pytest.raises(CommandError, match=r"^Đã hủy: chưa tạo tài khoản quản trị nào\.$"):
        call_command("create_admin")
    assert not User.objects.filter(username="quantri").exists()
