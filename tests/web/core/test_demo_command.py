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
