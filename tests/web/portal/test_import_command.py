"""`thidua import dossiers|accounts FILE [--dry-run]`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.web.portal.conftest import dossier
from thidua.portal.models import Dossier


@pytest.mark.django_db
def test_the_command_imports_and_a_dry_run_does_not(registry, dossier_csv, capsys):
    path = dossier_csv([dossier("HS-1"), dossier("HS-2")])
    call_command("import_portal", "dossiers", str(path), "--dry-run")
    assert "chưa ghi dữ liệu nào" in capsys.readouterr().out
    assert Dossier.objects.count() == 0
    call_command("import_portal", "dossiers", str(path))
    assert "thêm 2" in capsys.readouterr().out
    assert Dossier.objects.count() == 2


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_with_status_2(registry, dossier_csv, capsys):
    path = dossier_csv([dossier("HS-1", due="32/13/2021")])
    with pytest.raises(CommandError) as excinfo:
        call_command("import_portal", "dossiers", str(path))
    assert excinfo.value.returncode == 2
    assert "Dòng 4" in capsys.readouterr().err
    assert Dossier.objects.count() == 0
