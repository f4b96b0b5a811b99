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


def test_the_bar_follows_the_estimated_total_of_a_csv_as_it_is_read(capsys):
    from thidua.portal.management.commands.import_portal import _Bar

    bar = _Bar("Kiểm tra", True)
    bar(10_000, 40_000)  # a CSV's row count is an estimate from the bytes read so far
    bar(20_000, 38_000)
    assert (bar.bar.n, bar.bar.total) == (20_000, 38_000)
    bar(38_000, 38_000)
    bar.close()
    assert "Kiểm tra" in capsys.readouterr().err
    silent = _Bar("Ghi dữ liệu", False)  # not a terminal, or --no-progress: no bar at all
    silent(10, 20)
    assert silent.bar is None


@pytest.mark.django_db
def test_on_a_terminal_the_command_shows_a_bar_for_the_check_or_the_import(registry, dossier_csv, capsys,
                                                                                monkeypatch):
    import sys

    from thidua.portal.parsing.reader import PROGRESS_EVERY

    path = dossier_csv([dossier(f"HS-{i}") for i in range(PROGRESS_EVERY + 5)])
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    call_command("import_portal", "dossiers", str(path), "--dry-run")
    assert "Kiểm tra:" in capsys.readouterr().err and Dossier.objects.count() == 0
    call_command("import_portal", "dossiers", str(path))
    err = capsys.readouterr().err
    assert "Đọc, kiểm tra và ghi:" in err and " dòng" in err
    assert Dossier.objects.count() == PROGRESS_EVERY + 5


@pytest.mark.django_db(transaction=True)  # the CLI closes the connection on exit (fatal inside a test transaction)
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_unknown_unit_names_come_with_how_to_map_them_and_a_dry_run_says_it_is_one(registry, dossier_csv, capsys,
                                                                                      dry_run):
    from thidua.cli import main

    path = dossier_csv([dossier("HS-1"), dossier("HS-2", unit="Xã Không Có")])
    with pytest.raises(SystemExit) as exc:
        main(["import", "dossiers", str(path), *(["--dry-run"] if dry_run else [])])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Đơn vị «Xã Không Có» chưa có trong danh mục (1 dòng: 5)." in err
    assert ("Cách sửa: chọn đơn vị cho các tên trên một lần ở trang Nhập số liệu Cổng (tải tệp lên; ở trang xem "
            "trước, chọn đơn vị cho từng tên rồi bấm «Ghi nhớ»), sau đó chạy lại lệnh này.") in err
    last = err.strip().splitlines()[-1]
    assert last == ("Lỗi: Chạy thử: tệp còn lỗi, khi nhập thật sẽ không nhập dòng nào." if dry_run
                    else "Lỗi: Không nhập dòng nào: tệp còn lỗi.")
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_row_errors_get_no_hint_about_unit_names(registry, dossier_csv, capsys):
    path = dossier_csv([dossier("HS-1", due="32/13/2021", unit="Xã Không Có")])
    with pytest.raises(CommandError) as excinfo:
        call_command("import_portal", "dossiers", str(path), "--dry-run")
    assert str(excinfo.value) == "Chạy thử: tệp còn lỗi, khi nhập thật sẽ không nhập dòng nào."
    assert "Cách sửa" not in capsys.readouterr().err
