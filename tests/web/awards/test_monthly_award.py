"""The monthly award: the proposal from the closed month, confirm or override with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.web.awards.conftest import close, report
from thidua.awards.models import MonthlyAward
from thidua.awards.selectors import monthly_proposal
from thidua.awards.services import monthly_award_decide
from thidua.core.models import AuditEvent
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def june(campaign, personas):
    report(campaign, "TT-MOT-NGAN", accounts=1800)          # 130, on time
    report(campaign, "X-TAN-HOA", accounts=1700)            # 125, on time
    report(campaign, "TT-CAI-TAC", accounts=1900, day=27)   # 135 − 2 = 133, but late
    return campaign


def test_it_proposes_the_best_eligible_commune_whose_report_was_on_time(june):
    p = monthly_proposal(june, "2021-06")
    assert not p.closed  # provisional until the month is closed
    assert p.proposed.code == "TT-MOT-NGAN"
    assert [c.code for c in p.choices] == ["TT-MOT-NGAN", "X-TAN-HOA"]


def test_it_refuses_to_decide_a_month_that_is_not_closed(june, personas):
    with pytest.raises(ValidationError, match="đã được chốt"):
        monthly_award_decide(campaign=june, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                             ceremony_date=date(2021, 7, 5), actor=personas["reviewer"])


def test_the_proposal_of_a_closed_month_comes_from_its_snapshot(june, personas):
    close(june, "2021-06", personas["reviewer"])
    report(june, "X-TAN-HOA", "2021-07", accounts=3000)  # later figures do not move June
    p = monthly_proposal(june, "2021-06")
    assert p.closed and p.proposed.code == "TT-MOT-NGAN" and p.proposed.total == 130


def test_the_reviewer_confirms_the_proposal_with_the_ceremony_date_and_it_is_audited(june, personas,
                                                                                      client_for):
    close(june, "2021-06", personas["reviewer"])
    client = client_for(personas["reviewer"])
    response = client.post("/khen-thuong/hang-thang/2021-06/",
                           {"unit": "TT-MOT-NGAN", "ceremony_date": "05/07/2021", "reason": ""})
    assert response.status_code == 302
    award = MonthlyAward.objects.get(campaign=june, month="2021-06")
    assert award.unit.code == "TT-MOT-NGAN" and award.ceremony_date == date(2021, 7, 5)
    assert award.prize_vnd == 1_000_000 and award.override_reason == ""
    assert AuditEvent.objects.filter(action="monthly_award.decided", unit_code="TT-MOT-NGAN").exists()
    page = client.get("/khen-thuong/").content.decode()
    assert "Thị trấn Một Ngàn" in page and "05/07/2021" in page


def test_choosing_another_unit_requires_a_written_reason(june, personas, client_for):
    close(june, "2021-06", personas["reviewer"])
    client = client_for(personas["reviewer"])
    response = client.post("/khen-thuong/hang-thang/2021-06/",
                           {"unit": "X-TAN-HOA", "ceremony_date": "05/07/2021", "reason": ""})
    assert response.status_code == 400
    assert "Cần ghi rõ lý do khi chọn đơn vị khác với đề xuất" in response.content.decode()
    assert not MonthlyAward.objects.exists()
    response = client.post("/khen-thuong/hang-thang/2021-06/", {
        "unit": "X-TAN-HOA", "ceremony_date": "05/07/2021",
        "reason": "Xã có mô hình tổ hỗ trợ nộp hồ sơ trực tuyến được huyện biểu dương."})
    assert response.status_code == 302
    award = MonthlyAward.objects.get()
    assert award.unit.code == "X-TAN-HOA" and award.proposed_unit.code == "TT-MOT-NGAN"
    assert "mô hình" in award.override_reason


def test_a_late_unit_cannot_be_chosen(june, personas):
    close(june, "2021-06", personas["reviewer"])
    with pytest.raises(ValidationError, match="không đủ điều kiện"):
        monthly_award_decide(campaign=june, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                             ceremony_date=date(2021, 7, 5), reason="Lý do bất kỳ đủ dài", actor=personas["reviewer"])


def test_the_ceremony_date_must_be_a_real_dd_mm_yyyy_date_after_the_deadline(june, personas, client_for):
    close(june, "2021-06", personas["reviewer"])
    client = client_for(personas["reviewer"])
    response = client.post("/khen-thuong/hang-thang/2021-06/", {"unit": "TT-MOT-NGAN", "ceremony_date": "31/06/2021"})
    assert "Ngày 31/06/2021 không có trên lịch" in response.content.decode()
    response = client.post("/khen-thuong/hang-thang/2021-06/", {"unit": "TT-MOT-NGAN", "ceremony_date": "ngày mai"})
    assert "Nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()
    response = client.post("/khen-thuong/hang-thang/2021-06/", {"unit": "TT-MOT-NGAN", "ceremony_date": "20/06/2021"})
    assert "Ngày trao phải sau hạn báo cáo tháng (25/06/2021)" in response.content.decode()
    assert not MonthlyAward.objects.exists()


def test_there_is_one_award_per_month_and_a_change_is_audited(june, personas):
    close(june, "2021-06", personas["reviewer"])
    unit = Unit.objects.get(code="TT-MOT-NGAN")
    monthly_award_decide(campaign=june, month="2021-06", unit=unit, ceremony_date=date(2021, 7, 5),
                         actor=personas["reviewer"])
    monthly_award_decide(campaign=june, month="2021-06", unit=unit, ceremony_date=date(2021, 7, 12),
                         actor=personas["reviewer"])
    assert MonthlyAward.objects.get().ceremony_date == date(2021, 7, 12)
    assert AuditEvent.objects.filter(action="monthly_award.changed").count() == 1


def test_without_an_eligible_commune_the_on_time_ones_are_offered_and_a_reason_is_required(campaign, personas):
    report(campaign, "TT-MOT-NGAN", accounts=300, dossiers=40)  # 50 points in June
    close(campaign, "2021-06", personas["reviewer"])
    p = monthly_proposal(campaign, "2021-06")
    assert not p.eligible and p.proposed is None and [c.code for c in p.choices] == ["TT-MOT-NGAN"]
    with pytest.raises(ValidationError, match="lý do"):
        monthly_award_decide(campaign=campaign, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                             ceremony_date=date(2021, 7, 5), actor=personas["reviewer"])
