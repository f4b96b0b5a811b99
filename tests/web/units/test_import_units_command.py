"""`thidua manage import_units FILE [--dry-run]`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.web.units.conftest import PROVINCE_ROWS, unit
from thidua.core.models import AuditEvent
from thidua.units.models import Unit


@pytest.mark.django_db
def test_a_dry_run_lists_the_changes_and_writes_nothing_then_the_import_writes(registry_csv, capsys):
    path = registry_csv(PROVINCE_ROWS, name="can-tho.csv")
    call_command("import_units", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Dòng 4: Thêm mới CAN-THO — Thành phố Cần Thơ" in out
    assert "Tệp «can-tho.csv» hợp lệ: thêm mới 7, cập nhật 0, không đổi 0." in out
    assert "Chạy thử (--dry-run): chưa ghi dữ liệu nào." in out
    assert not Unit.objects.exists() and not AuditEvent.objects.exists()
    call_command("import_units", str(path))
    assert "Đã nhập danh mục đơn vị từ tệp «can-tho.csv»: thêm mới 7, cập nhật 0, không đổi 0." in (
        capsys.readouterr().out)
    assert Unit.objects.count() == 7 and AuditEvent.objects.get().actor is None
    call_command("import_units", str(path))
    assert "thêm mới 0, cập nhật 0, không đổi 7" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_update_is_shown_field_by_field(registry, registry_csv, capsys):
    header = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Nhóm thi đua"]
    call_command("import_units", str(registry_csv([["P-Y-TE", "Phòng Y tế", "Phòng", ""]], header=header)))
    out = capsys.readouterr().out
    assert ("Dòng 4: Cập nhật P-Y-TE — Phòng Y tế (Nhóm thi đua: «Khối phòng, sở, ban, ngành (department)» → "
            "«(không thi đua)»)") in out
    assert Unit.objects.get(code="P-Y-TE").group == ""


@pytest.mark.django_db
def test_a_rejected_file_exits_with_status_2_and_its_errors_on_stderr(registry, registry_csv, capsys):
    path = registry_csv([unit("X-A", "Xã A", parent="KHONG-CO"), unit("X-A", "Xã A lần hai")])
    with pytest.raises(CommandError) as excinfo:
        call_command("import_units", str(path))
    assert excinfo.value.returncode == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "Dòng 4: mã đơn vị cấp trên «KHONG-CO» không có trong tệp hay danh mục.",
        "Dòng 5: mã đơn vị «X-A» trùng với dòng 4.",
    ]
    assert captured.out == "" and str(excinfo.value) == "Không nhập đơn vị nào: tệp còn lỗi."
    assert not Unit.objects.filter(code="X-A").exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_exits_with_status_2(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_units", str(tmp_path / "khong-co.csv"))
    assert excinfo.value.returncode == 2 and "Không tìm thấy tệp" in str(excinfo.value)
