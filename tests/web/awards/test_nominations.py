"""Units nominate individuals within their quota until the proposal list is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.awards.models import Nomination
from thidua.awards.selectors import quota_for
from thidua.awards.services import NominationData, nomination_create, year_end_list_record
from thidua.core.models import AuditEvent
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


def person(i: int) -> dict:
    return {"full_name": f"Nguyễn Văn Số {i}", "position": "Công chức Văn phòng - Thống kê",
            "achievement": "Hướng dẫn người dân tạo tài khoản trên Cổng dịch vụ công.",
            "birth_date": "05/01/1990", "gender": "Nam"}


def test_a_commune_nominates_within_its_place_quota_and_the_next_one_is_refused_in_vietnamese(
        standing, personas, client_for):
    client = client_for(personas["commune_reporter"])  # Xã Tân Hòa, 3rd place: 3 individuals
    page = client.get("/khen-thuong/de-cu/").content.decode()
    assert "Hạng Ba: 3 cá nhân" in page and "còn lại <strong>3</strong>" in page
    assert '<option value="" selected>— Không ghi —</option>' in page and "---------" not in page
    impossible = client.post("/khen-thuong/de-cu/", {**person(9), "birth_date": "31/02/1990"}).content.decode()
    assert "Ngày 31/02/1990 không có trên lịch; hãy kiểm tra lại ngày và tháng." in impossible
    for i in range(3):
        assert client.post("/khen-thuong/de-cu/", person(i)).status_code == 302
    response = client.post("/khen-thuong/de-cu/", person(4))
    assert response.status_code == 400
    assert "Đã đủ số lượng cá nhân được đề nghị (Hạng Ba: 3 cá nhân)" in response.content.decode()
    assert Nomination.objects.filter(unit__code="X-TAN-HOA").count() == 3
    assert AuditEvent.objects.filter(action="nomination.created").count() == 3


def test_departments_share_fifteen_individuals_and_the_remaining_number_is_shown(standing, personas, client_for):
    tu_phap, mot_cua = Unit.objects.get(code="P-TU-PHAP"), Unit.objects.get(code="BP-MOT-CUA")
    for i in range(10):
        nomination_create(campaign=standing, unit=mot_cua, actor=personas["reviewer"],
                          data=NominationData(full_name=f"Cán bộ {i}", position="Chuyên viên",
                                              achievement="Giải quyết hồ sơ trực tuyến đúng hạn."))
    quota = quota_for(standing, tu_phap)
    assert (quota.limit, quota.used, quota.remaining) == (15, 10, 5)
    page = client_for(personas["department_reporter"]).get("/khen-thuong/de-cu/").content.decode()
    assert "15 cá nhân cho cả khối" in page and "còn lại <strong>5</strong>" in page


def test_a_unit_outside_the_proposal_list_cannot_nominate(standing, personas):
    unit = Unit.objects.get(code="TT-BAY-NGAN")  # 4th commune
    with pytest.raises(ValidationError, match="không thuộc danh sách"):
        nomination_create(campaign=standing, unit=unit, actor=personas["reviewer"],
                          data=NominationData(full_name="A", position="B", achievement="Thành tích đủ dài."))


def test_a_reporter_nominates_only_for_their_own_unit(standing, personas, client_for):
    with pytest.raises(PermissionDenied):
        nomination_create(campaign=standing, unit=Unit.objects.get(code="TT-CAI-TAC"),
                          actor=personas["commune_reporter"],
                          data=NominationData(full_name="A", position="B", achievement="Thành tích đủ dài."))
    other = nomination_create(campaign=standing, unit=Unit.objects.get(code="TT-MOT-NGAN"),
                              actor=personas["other_commune_reporter"],
                              data=NominationData(full_name="Bình", position="Công chức",
                                                  achievement="Thành tích đủ dài."))
    client = client_for(personas["commune_reporter"])
    assert client.post(f"/khen-thuong/de-cu/{other.pk}/sua/", person(1)).status_code == 403
    assert client.post(f"/khen-thuong/de-cu/{other.pk}/xoa/").status_code == 403
    # A reporter posting another unit's code still nominates for their own unit only.
    client.post("/khen-thuong/de-cu/", {**person(2), "don_vi": "TT-CAI-TAC"})
    assert not Nomination.objects.filter(unit__code="TT-CAI-TAC").exists()
    assert Nomination.objects.filter(unit__code="X-TAN-HOA").count() == 1


def test_nominations_can_be_edited_until_the_list_is_recorded(standing, personas, client_for):
    client = client_for(personas["commune_reporter"])
    client.post("/khen-thuong/de-cu/", person(1))
    n = Nomination.objects.get()
    response = client.post(f"/khen-thuong/de-cu/{n.pk}/sua/", {**person(1), "position": "Phó Chủ tịch UBND xã"})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.position == "Phó Chủ tịch UBND xã"
    year_end_list_record(campaign=standing, actor=personas["reviewer"])
    response = client.post(f"/khen-thuong/de-cu/{n.pk}/sua/", {**person(1), "position": "Khác"})
    assert "Danh sách đề nghị đã chốt" in response.content.decode()
    n.refresh_from_db()
    assert n.position == "Phó Chủ tịch UBND xã"
    assert client.post("/khen-thuong/de-cu/", person(2)).status_code == 403


def test_recording_the_list_is_refused_when_a_unit_is_over_its_quota(standing, personas):
    from thidua.awards.models import Nomination as N
    from thidua.core import clock

    unit = Unit.objects.get(code="X-TAN-HOA")
    for i in range(4):  # e.g. nominated while the unit stood higher
        N.objects.create(campaign=standing, unit=unit, full_name=f"P{i}", position="x", achievement="y" * 12,
                         created_by=personas["reviewer"], created_at=clock.now(), updated_at=clock.now())
    with pytest.raises(ValidationError, match="Xã Tân Hòa đề cử 4 cá nhân, vượt số lượng 3 của hạng Ba"):
        year_end_list_record(campaign=standing, actor=personas["reviewer"])
