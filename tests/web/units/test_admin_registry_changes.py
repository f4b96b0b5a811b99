"""Units added, retired, renamed or moved in /quan-tri/ in the middle of a campaign: every page that
reads the standing sees the change at once (the cached scorecards are dropped)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test.utils import override_settings

from tests.web.conftest import submit
from thidua.core.models import AuditEvent
from thidua.reports.selectors import campaign_result
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db

NOW = "2021-09-20T09:00:00+07:00"


def _unit_form(unit: Unit, **changes) -> dict:
    data = {"code": unit.code, "name": unit.name, "level": unit.level, "group": unit.group,
            "parent": unit.parent_id or "", "active": "on" if unit.active else "", "sort_order": unit.sort_order,
            "head_name": unit.head_name, "head_title": unit.head_title, "description": unit.description,
            "first_month": unit.first_month or "",
            "_save": "1"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


@override_settings(THIDUA_NOW=NOW)
def test_a_department_added_in_september_is_in_the_matrix_and_the_rankings_at_once(
        registry, campaign, personas, admin_client, client_for):
    reviewer = client_for(personas["reviewer"])
    assert reviewer.get("/tham-dinh/").status_code == 200  # the standing is computed (and cached) first
    response = admin_client.post("/quan-tri/units/unit/add/", {
        "code": "P-DAN-TOC", "name": "Phòng Dân tộc", "level": "department", "group": "department",
        "parent": "", "active": "on", "sort_order": 50, "head_name": "", "head_title": "", "description": "",
        "first_month": "09/2021", "_save": "1"})
    assert response.status_code == 302, response.content.decode()
    matrix = reviewer.get("/tham-dinh/")
    assert matrix.status_code == 200
    assert "Phòng Dân tộc" in matrix.content.decode()
    assert "Phòng Dân tộc" in reviewer.get("/xep-hang/").content.decode()
    assert reviewer.get("/don-vi/P-DAN-TOC/").status_code == 200
    assert "P-DAN-TOC" in {c.code for c in campaign_result(campaign).scorecards}
    event = AuditEvent.objects.get(action="units.created", unit_code="P-DAN-TOC")
    assert event.summary == "Thêm đơn vị «Phòng Dân tộc» (P-DAN-TOC) trong danh mục"
    assert event.after["first_month"] == "2021-09"


@override_settings(THIDUA_NOW=NOW)
def test_a_commune_retired_renamed_or_moved_in_the_admin_is_scored_as_it_is_now(
        registry, campaign, personas, admin_client):
    submit(campaign, personas["commune_reporter"], "2021-06", date(2021, 6, 20))
    codes = {c.code: c for c in campaign_result(campaign).scorecards}
    assert codes["X-TAN-HOA"].group == "commune" and "X-THANH-XUAN" in codes
    thanh_xuan, tan_hoa = registry["X-THANH-XUAN"], registry["X-TAN-HOA"]
    assert admin_client.post(f"/quan-tri/units/unit/{thanh_xuan.pk}/change/",
                             _unit_form(thanh_xuan, active=False)).status_code == 302
    assert admin_client.post(f"/quan-tri/units/unit/{tan_hoa.pk}/change/",
                             _unit_form(tan_hoa, name="Xã Tân Hòa Mới")).status_code == 302
    cards = {c.code: c for c in campaign_result(campaign).scorecards}
    assert "X-THANH-XUAN" not in cards
    assert cards["X-TAN-HOA"].name == "Xã Tân Hòa Mới"
    renamed = AuditEvent.objects.get(action="units.changed", unit_code="X-TAN-HOA")
    assert (renamed.before, renamed.after) == ({"name": "Xã Tân Hòa"}, {"name": "Xã Tân Hòa Mới"})
    assert AuditEvent.objects.get(action="units.changed", unit_code="X-THANH-XUAN").after == {"active": False}
    assert admin_client.post(f"/quan-tri/units/unit/{tan_hoa.pk}/change/",
                             _unit_form(Unit.objects.get(pk=tan_hoa.pk), group="department")).status_code == 302
    assert {c.code: c for c in campaign_result(campaign).scorecards}["X-TAN-HOA"].group == "department"


@override_settings(THIDUA_NOW=NOW)
def test_a_unit_retired_from_the_admins_list_leaves_the_standing(registry, campaign, admin_client):
    assert "X-THANH-XUAN" in {c.code for c in campaign_result(campaign).scorecards}
    units = list(Unit.objects.order_by("sort_order", "name"))  # the changelist's order (Unit.Meta.ordering)
    data = {"form-TOTAL_FORMS": len(units), "form-INITIAL_FORMS": len(units), "_save": "Lưu"}
    for i, unit in enumerate(units):
        data[f"form-{i}-id"] = unit.pk
        data[f"form-{i}-sort_order"] = unit.sort_order
        if unit.active and unit.code != "X-THANH-XUAN":
            data[f"form-{i}-active"] = "on"
    response = admin_client.post("/quan-tri/units/unit/?all=", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Unit.objects.get(code="X-THANH-XUAN").active
    assert "X-THANH-XUAN" not in {c.code for c in campaign_result(campaign).scorecards}


@override_settings(THIDUA_NOW=NOW)
def test_the_code_of_a_unit_the_campaign_has_recorded_is_kept(registry, campaign, personas, admin_client):
    """Closed months, tie-breaks and the monthly award's choices name units by code: a code changed in the admin
    made a closed month's winner look as if it had sent no report. The name can change, the code stays."""
    from thidua.campaigns.services import month_close

    submit(campaign, personas["commune_reporter"], "2021-08", date(2021, 8, 20))
    with override_settings(THIDUA_NOW="2021-09-02T09:00:00+07:00"):
        month_close(campaign=campaign, actor=personas["reviewer"], month="2021-08")
    tan_hoa, truong_long_tay = registry["X-TAN-HOA"], registry["X-TRUONG-LONG-TAY"]
    page = admin_client.post(f"/quan-tri/units/unit/{tan_hoa.pk}/change/", _unit_form(tan_hoa, code="X-TAN-HOA-2"))
    assert page.status_code == 200
    assert ("Không đổi được mã của đơn vị đã có báo cáo hoặc đã có tên trong kết quả tháng đã chốt, quyết định "
            "phân định bằng điểm (mã «X-TAN-HOA»)") in page.content.decode()
    assert Unit.objects.filter(code="X-TAN-HOA").exists()
    # named in the closed month's standing, without a report of its own
    assert admin_client.post(f"/quan-tri/units/unit/{truong_long_tay.pk}/change/",
                             _unit_form(truong_long_tay, code="X-TLT")).status_code == 200
    assert Unit.objects.get(pk=truong_long_tay.pk).code == "X-TRUONG-LONG-TAY"
    # the name changes freely; a unit nothing names yet can still have its code corrected
    assert admin_client.post(f"/quan-tri/units/unit/{tan_hoa.pk}/change/",
                             _unit_form(tan_hoa, name="Xã Tân Hòa (mới)")).status_code == 302
    new = Unit.objects.create(code="P-DAN-TOC", name="Phòng Dân tộc", level="department", group="department")
    assert admin_client.post(f"/quan-tri/units/unit/{new.pk}/change/",
                             _unit_form(new, code="P-DT")).status_code == 302
    assert Unit.objects.get(pk=new.pk).code == "P-DT"


def test_a_renamed_unit_keeps_matching_portal_exports_that_write_its_former_name(registry, campaign, admin_client):
    """A commune become a ward in /quan-tri/: the portal writes «UBND xã Tân Hòa» for a while yet, and its rows
    still count for the unit (the former name remembered, audited), unless another unit now bears that name."""
    from thidua.portal.models import UnitAlias
    from thidua.portal.parsing import UnitMatcher

    tan_hoa = registry["X-TAN-HOA"]
    response = admin_client.post(f"/quan-tri/units/unit/{tan_hoa.pk}/change/",
                                 _unit_form(tan_hoa, name="Phường Tân Hòa"))
    assert response.status_code == 302, response.content.decode()
    alias = UnitAlias.objects.get()
    assert (alias.raw_name, alias.unit_id) == ("Xã Tân Hòa", tan_hoa.pk)
    assert AuditEvent.objects.filter(action="portal.unit_alias",
                                     summary="Ghi nhớ tên «Xã Tân Hòa» trong tệp Cổng là Phường Tân Hòa").exists()
    matcher = UnitMatcher(Unit.objects.values_list("code", "name"), {alias.raw_name: "X-TAN-HOA"})
    assert matcher.match("UBND xã Tân Hòa") == "X-TAN-HOA"

    # two units swap names (a name given to another unit): the registry's names decide
    mot_ngan, bay_ngan = registry["TT-MOT-NGAN"], registry["TT-BAY-NGAN"]
    admin_client.post(f"/quan-tri/units/unit/{mot_ngan.pk}/change/", _unit_form(mot_ngan, name="Thị trấn Tạm"))
    assert UnitAlias.objects.get(raw_name="Thị trấn Một Ngàn").unit_id == mot_ngan.pk
    admin_client.post(f"/quan-tri/units/unit/{bay_ngan.pk}/change/", _unit_form(bay_ngan, name="Thị trấn Một Ngàn"))
    assert not UnitAlias.objects.filter(raw_name="Thị trấn Một Ngàn").exists()  # now Bảy Ngàn's own name
    assert AuditEvent.objects.filter(action="portal.unit_alias_forgotten").count() == 1
    assert UnitAlias.objects.get(raw_name="Thị trấn Bảy Ngàn").unit_id == bay_ngan.pk
    mot_ngan.refresh_from_db()
    admin_client.post(f"/quan-tri/units/unit/{mot_ngan.pk}/change/", _unit_form(mot_ngan, name="Thị trấn Bảy Ngàn"))
    assert not UnitAlias.objects.filter(raw_name="Thị trấn Bảy Ngàn").exists()
    assert UnitAlias.objects.get(raw_name="Thị trấn Tạm").unit_id == mot_ngan.pk  # its former name, as any
    units = {u.code: u.name for u in Unit.objects.all()}
    matcher = UnitMatcher(units.items(), {a.raw_name: a.unit.code for a in UnitAlias.objects.select_related("unit")})
    assert (matcher.match("Thị trấn Một Ngàn"), matcher.match("TT Bảy Ngàn")) == ("TT-BAY-NGAN", "TT-MOT-NGAN")
