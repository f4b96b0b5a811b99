"""`thidua campaign list|create|activate`: the first campaign of an installation from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.campaigns.models import Campaign
from thidua.core.models import AuditEvent
from thidua.scoring import plan_211


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("campaign", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("campaign", *args, stdout=StringIO(), stderr=err)
    assert info.value.returncode == 2
    return str(info.value), err.getvalue()


def test_list_on_a_new_installation_says_how_to_create_one(db):
    out, _ = run("list")
    assert "Chưa có phong trào nào. Tạo bằng: thidua campaign create" in out


def test_create_from_plan_211_for_a_new_year_then_list(registry):
    out, _ = run("create", "--code", "dvc-2026", "--name", "Thi đua DVC năm 2026", "--start", "12/01/2026",
                 "--end", "18/12/2026")
    assert "Đã tạo phong trào dvc-2026 (đang áp dụng): Thi đua DVC năm 2026" in out
    assert "tháng báo cáo: 01/2026, 02/2026" in out and "11/2026." in out  # as --months takes them
    campaign = Campaign.objects.get()
    assert campaign.active and campaign.rubric.groups == plan_211().groups
    assert AuditEvent.objects.filter(action="campaign.created", actor=None).count() == 1
    out, _ = run("list")
    assert "* dvc-2026  Thi đua DVC năm 2026" in out
    assert "12/01/2026 – 18/12/2026, tháng 1/2026 – tháng 11/2026 (11 tháng)" in out
    assert "Xã, thị trấn: 10" in out


def test_create_with_the_campaigns_own_words_for_the_online_services(db):
    out, _ = run("create", "--code", "dvc-2026", "--name", "DVC 2026", "--start", "12/01/2026", "--end", "18/12/2026",
                 "--online-wording", "  trực tuyến   toàn trình, một phần ")
    assert "Hồ sơ được tính: Hồ sơ trực tuyến toàn trình, một phần." in out
    campaign = Campaign.objects.get()
    assert campaign.online_wording == "trực tuyến toàn trình, một phần"
    event = AuditEvent.objects.get(action="campaign.created")
    assert event.after["online_wording"] == "trực tuyến toàn trình, một phần"
    assert event.summary.endswith("hồ sơ trực tuyến toàn trình, một phần")
    out, _ = run("create", "--code", "dvc-2027", "--name", "DVC 2027", "--start", "11/01/2027", "--end", "17/12/2027")
    assert "Hồ sơ được tính: Hồ sơ trực tuyến toàn trình, một phần." in out  # blank, after Decree 42/2022: its words
    out, _ = run("create", "--code", "dvc-2022", "--name", "DVC 2022", "--start", "10/01/2022", "--end", "31/07/2022")
    assert "Hồ sơ được tính: Hồ sơ trực tuyến mức độ 3, 4." in out  # blank, before the decree: Plan 211's words
    text, err = refused("create", "--code", "dvc-2028", "--name", "DVC 2028", "--online-wording", "x" * 81)
    assert text == "Chưa tạo phong trào."
    assert "Cách gọi dịch vụ công trực tuyến dài tối đa 80 ký tự (hiện có 81 ký tự)." in err
    assert Campaign.objects.count() == 3


def test_activate_switches_the_campaign_applied(db):
    run("create", "--code", "dvc-2026", "--name", "DVC 2026", "--start", "12/01/2026", "--end", "18/12/2026")
    run("create", "--code", "dvc-2027", "--name", "DVC 2027", "--start", "11/01/2027", "--end", "17/12/2027",
        "--no-activate")
    assert list(Campaign.objects.filter(active=True).values_list("code", flat=True)) == ["dvc-2026"]
    out, _ = run("activate", "dvc-2027")
    assert "Đang áp dụng:" in out
    assert list(Campaign.objects.filter(active=True).values_list("code", flat=True)) == ["dvc-2027"]
    message, _ = refused("activate", "khong-co")
    assert "Không có phong trào mang mã «khong-co»." in message


def test_create_from_a_rubric_file(db, tmp_path):
    data = plan_211().to_data()
    data["code"], data["name"] = "tu-soan", "Phong trào tự soạn"
    path = tmp_path / "tieu-chi.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out, _ = run("create", "--from", str(path), "--code", "tu-soan-2026", "--months", "2021-07,2021-08")
    assert "Đã tạo phong trào tu-soan-2026 (đang áp dụng): Phong trào tự soạn" in out
    assert Campaign.objects.get().rubric.reports.months == ["2021-07", "2021-08"]


@pytest.mark.parametrize(("args", "message"), [
    (("--code", "dvc-2026", "--start", "2026-01-12"), "Ngày «2026-01-12» không đúng dạng dd/mm/yyyy"),
    (("--code", "dvc-2026",), "Chưa tạo phong trào."),  # a new campaign on Plan 211's rubric needs its own name
    (("--code", "dvc-2026", "--months", "2026/01"), "«2026/01» không phải là tháng hợp lệ"),
    (("--code", "dvc-2026", "--start", "12/01/2026", "--months", "13/2026"), "ví dụ 01/2026."),  # its own year
    (("--code", "dvc-2026", "--from", "khong-co.json"), "không phải mã tiêu chí mẫu (chau-thanh-a-2021)"),
])
def test_wrong_arguments_exit_2_and_create_nothing(db, args, message):
    text, _ = refused("create", *args)
    assert message in text
    assert Campaign.objects.count() == 0


def test_a_window_without_reporting_month_is_refused_with_the_reason(db):
    text, err = refused("create", "--code", "ngan", "--name", "Ngắn", "--start", "26/03/2026", "--end", "24/04/2026")
    assert text == "Chưa tạo phong trào."
    assert "Không tháng nào có hạn báo cáo (ngày 25) trong thời gian thi đua" in err
    assert Campaign.objects.count() == 0


def test_a_broken_rubric_file_is_refused(db, tmp_path):
    path = tmp_path / "hong.json"
    path.write_text("{\"code\": ", encoding="utf-8")
    text, _ = refused("create", "--from", str(path), "--code", "x")
    assert "Tệp tiêu chí không phải JSON hợp lệ (dòng 1, cột 10)." in text
