"""One reporter account per competing unit without one, the initial passwords handed over once."""

from __future__ import annotations

import csv
import io
from io import StringIO

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.web.conftest import make_user
from thidua.core.models import AuditEvent
from thidua.units.accounts import accounts_csv, initial_password, reporter_accounts_create, units_without_reporter
from thidua.units.models import Unit, User


def test_initial_passwords_pass_the_password_rules_and_differ():
    passwords = {initial_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in list(passwords)[:20]:
        password_validation.validate_password(password)
        assert len(password) == 14 and password.count("-") == 2
        assert not set(password) & set("0O1lI")


def test_every_competing_unit_without_an_account_gets_one(registry):
    make_user("alice", User.Role.REPORTER, registry["X-TAN-HOA"])
    make_user("x-thanh-xuan", User.Role.LEADER)  # the user name a unit would take is already used
    retired = registry["P-Y-TE"]
    retired.active = False
    retired.save()
    competing = Unit.objects.filter(active=True).exclude(group="").count()
    accounts = reporter_accounts_create(actor=None)
    assert len(accounts) == competing - 1  # Tân Hòa has alice
    by_unit = {a.unit_code: a for a in accounts}
    assert "X-TAN-HOA" not in by_unit and "P-Y-TE" not in by_unit and "HAU-GIANG" not in by_unit
    assert by_unit["TT-MOT-NGAN"].username == "tt-mot-ngan"
    assert by_unit["X-THANH-XUAN"].username == "x-thanh-xuan-2"
    user = User.objects.get(username="tt-mot-ngan")
    assert user.role == User.Role.REPORTER and user.unit.code == "TT-MOT-NGAN"
    assert user.check_password(by_unit["TT-MOT-NGAN"].password)
    event = AuditEvent.objects.get(action="users.reporters_created")
    assert by_unit["TT-MOT-NGAN"].password not in str(event.after) + event.summary
    assert {"unit": "TT-MOT-NGAN", "username": "tt-mot-ngan"} in event.after["accounts"]
    assert units_without_reporter() == []
    assert reporter_accounts_create(actor=None) == []  # a second run creates nothing
    assert AuditEvent.objects.filter(action="users.reporters_created").count() == 1


def test_the_list_opens_in_excel_with_its_diacritics(registry):
    accounts = reporter_accounts_create(actor=None)
    text = accounts_csv(accounts).decode("utf-8")
    assert text.startswith("\ufeffMã đơn vị,Đơn vị,Tên đăng nhập,Mật khẩu ban đầu")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(accounts) + 1
    assert ["X-TAN-HOA", "Xã Tân Hòa", "x-tan-hoa"] == rows[[r[0] for r in rows].index("X-TAN-HOA")][:3]


def test_the_command_writes_the_list_once_and_only_for_the_administrator(registry, tmp_path):
    out = tmp_path / "tai-khoan.csv"
    dry = StringIO()
    call_command("create_reporters", "--out", str(out), "--dry-run", stdout=dry)
    assert "22 đơn vị chưa có tài khoản báo cáo." in dry.getvalue() and not out.exists()
    assert User.objects.count() == 0
    stdout = StringIO()
    call_command("create_reporters", "--out", str(out), stdout=stdout)
    assert "Đã tạo 22 tài khoản" in stdout.getvalue()
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8-sig").count("\n") == 23
    with pytest.raises(CommandError) as info:  # never overwrite a list of passwords
        call_command("create_reporters", "--out", str(out), stdout=StringIO())
    assert info.value.returncode == 2 and "đã có" in str(info.value)


def test_a_list_that_cannot_be_written_leaves_no_account(registry, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("create_reporters", "--out", str(tmp_path / "khong-co" / "x.csv"), stdout=StringIO())
    assert "Không có thư mục" in str(info.value)
    assert User.objects.count() == 0
