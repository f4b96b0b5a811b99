"""`thidua demo --no-serve`: the README's run command up to the point where it starts the server."""

import pytest
from django.core.management import call_command

from thidua.reports.models import Report


@pytest.mark.django_db(transaction=True)
def test_the_demo_command_seeds_prints_logins_and_writes_portal_exports(settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "Dữ liệu mẫu đã sẵn sàng" in out
    assert "noivu" in out and "x-tan-hoa" in out and "ThiDua@2021" in out
    assert (tmp_path / "demo-exports" / "ho-so-truc-tuyen-chau-thanh-a-2021.xlsx").stat().st_size > 0
    assert (tmp_path / "demo-exports" / "tai-khoan-chau-thanh-a-2021.csv").stat().st_size > 0
    reports = Report.objects.count()
    call_command("demo", "--no-serve")  # a second run changes nothing
    assert Report.objects.count() == reports


@pytest.mark.django_db(transaction=True)
def test_the_demo_refuses_a_database_holding_real_accounts(settings, tmp_path):
    """Run against a production database (DATABASE_URL set), the demo would seed Châu Thành A's units and
    accounts whose password is published: it refuses, naming the accounts, and writes nothing."""
    from django.core.management.base import CommandError

    from thidua.units.models import Unit, User

    settings.DATA_DIR = tmp_path
    User.objects.create_superuser("admin-tinh", password="mat-khau-thu-nghiem")
    with pytest.raises(CommandError, match=r"đã có tài khoản không phải của dữ liệu mẫu \(admin-tinh\)"):
        call_command("demo", "--no-serve")
    assert not Unit.objects.exists() and User.objects.count() == 1
