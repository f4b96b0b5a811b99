"""«Tải danh mục hiện có» and `thidua units export`: the registry as it is now, in the import's own format —
imported again unedited it changes nothing; edited, only the edits are applied."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.web.conftest import make_user
from thidua.units.models import Unit, User
from thidua.units.selectors import plan_rows, unit_registry_plan
from thidua.units.services import unit_registry_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_registry(registry):
    """The demo registry with what a round trip could lose: a month joined, texts a spreadsheet could take
    for a formula, a description over several lines, a retired unit."""
    Unit.objects.filter(code="X-TAN-HOA").update(first_month="2021-09", description="- Tiếp nhận hồ sơ\n- Trả kết quả")
    Unit.objects.filter(code="P-TU-PHAP").update(head_title="=Trưởng phòng", active=False)
    return registry


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_downloaded_registry_imported_again_changes_nothing(odd_registry, admin_client, tmp_path, fmt):
    response = admin_client.get(reverse("units-export", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="danh-muc-don-vi-')
    path = tmp_path / f"danh-muc.{fmt}"
    path.write_bytes(response.content)
    plan = unit_registry_plan(path=path)
    assert not plan.errors
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, Unit.objects.count())


def test_an_edited_download_updates_only_what_was_edited(odd_registry, admin_client, tmp_path):
    text = admin_client.get(reverse("units-export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert [r[0] for r in rows[1:3]] == ["HAU-GIANG", "CHAU-THANH-A"]  # parents first
    tan_hoa = next(r for r in rows if r[0] == "X-TAN-HOA")
    assert tan_hoa[header.index("Tham gia thi đua từ tháng")] == "09/2021"
    tan_hoa[header.index("Thủ trưởng")] = "Nguyễn Văn Mới"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "da-sua.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    outcome = unit_registry_import(path=path)
    assert (outcome.created, outcome.updated) == (0, 1)
    unit = Unit.objects.get(code="X-TAN-HOA")
    assert (unit.head_name, unit.first_month, unit.description) == (
        "Nguyễn Văn Mới", "2021-09", "- Tiếp nhận hồ sơ\n- Trả kết quả")
    assert Unit.objects.get(code="P-TU-PHAP").head_title == "=Trưởng phòng"


def test_only_an_administrator_downloads_the_registry_and_only_as_xlsx_or_csv(registry, client, admin_client):
    client.force_login(make_user("rita", User.Role.REVIEWER, registry["P-NOI-VU"]))
    assert client.get(reverse("units-export", args=["xlsx"])).status_code == 403
    response = admin_client.get(reverse("units-export", args=["pdf"]))
    assert response.status_code == 404 and "Chỉ tải được danh mục dạng .xlsx hoặc .csv." in response.content.decode()


def test_the_command_writes_the_registry_to_a_file(odd_registry, tmp_path, capsys):
    path = tmp_path / "danh-muc.xlsx"
    call_command("export_units", str(path))
    assert f"Đã ghi {Unit.objects.count()} đơn vị vào tệp «{path}»." in capsys.readouterr().out
    assert unit_registry_plan(path=path).unchanged == Unit.objects.count()
    with pytest.raises(CommandError, match=r"phải có đuôi \.xlsx hoặc \.csv"):
        call_command("export_units", str(tmp_path / "danh-muc.pdf"))
    with pytest.raises(CommandError, match="Không có thư mục"):
        call_command("export_units", str(tmp_path / "khong-co" / "danh-muc.csv"))


def test_the_downloaded_registry_names_the_groups_as_the_active_campaign_does(registry, campaign, admin_client,
                                                                             tmp_path):
    """A province's campaign names its groups «Xã, phường, đặc khu» and «Sở, ban, ngành tỉnh»: its registry file
    (and the import's preview of it) writes those names, not «Khối xã, phường, thị trấn», and imports unchanged."""
    data = campaign.rubric_data
    data["groups"]["commune"]["label"] = "Xã, phường, đặc khu"
    data["groups"]["department"]["label"] = "Sở, ban, ngành tỉnh"
    campaign.rubric_data = data
    campaign.save()
    text = admin_client.get(reverse("units-export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    group = rows[0].index("Nhóm thi đua")
    by_code = {r[0]: r[group] for r in rows[1:]}
    assert (by_code["X-TAN-HOA"], by_code["P-TU-PHAP"], by_code["HAU-GIANG"]) == (
        "Xã, phường, đặc khu", "Sở, ban, ngành tỉnh", "")
    assert "thị trấn" not in text.replace("Thị trấn", "")  # unit names keep theirs; no group says thị trấn
    path = tmp_path / "danh-muc.csv"
    path.write_text(text, encoding="utf-8-sig")
    plan = unit_registry_plan(path=path)
    assert not plan.errors and plan.unchanged == Unit.objects.count()
    Unit.objects.filter(code="X-TAN-HOA").update(group="")
    rows = plan_rows(unit_registry_plan(path=path))
    assert [d for r in rows if r.code == "X-TAN-HOA" for d in r.details] == [
        ("Nhóm thi đua", "(không thi đua)", "Xã, phường, đặc khu (commune)")]
