"""The monthly award: the proposal from the closed month, confirm or override with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.web.awards.conftest import close, report
from tests.web.conftest import at_once
from thidua.awards.models import MonthlyAward
from thidua.awards.selectors import monthly_proposal
from thidua.awards.services import monthly_award_decide
from thidua.core.models import AuditEvent
from thidua.reports.models import Report
from thidua.reports.services import ReportData, report_submit
from thidua.units.models import Unit, User

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
    overview = client.get("/khen-thuong/").content.decode()
    assert ('title="Xã có mô hình tổ hỗ trợ nộp hồ sơ trực tuyến được huyện biểu dương.">chọn khác đề xuất của hệ '
            'thống</span>') in overview


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
    response = client.post("/khen-thuong/hang-thang/2021-06/", {"unit": "TT-MOT-NGAN", "ceremony_date": "01/11/2030"})
    assert ("Ngày trao 01/11/2030 quá xa: không được sau 18/12/2022 (một năm sau khi kết thúc phong trào)."
            in response.content.decode())
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


def test_an_adjustment_keeps_when_and_by_whom_the_award_was_decided(june, personas, django_user_model):
    from django.test import override_settings

    from thidua.awards.services import monthly_award_record_decision

    close(june, "2021-06", personas["reviewer"])
    unit = Unit.objects.get(code="TT-MOT-NGAN")
    with override_settings(THIDUA_NOW="2021-07-01T10:00:00+07:00"):
        monthly_award_decide(campaign=june, month="2021-06", unit=unit, ceremony_date=date(2021, 7, 5),
                             actor=personas["reviewer"])
    decided = MonthlyAward.objects.get()
    with override_settings(THIDUA_NOW="2021-07-20T10:00:00+07:00"):
        award = monthly_award_decide(campaign=june, month="2021-06", unit=unit, ceremony_date=date(2021, 7, 12),
                                     actor=personas["admin"])
        # the Quyết định signed on the day of the decision can still be recorded
        monthly_award_record_decision(award=award, number="105/QĐ-UBND", signed_on=date(2021, 7, 1),
                                      actor=personas["reviewer"])
    award = MonthlyAward.objects.get()
    assert (award.decided_at, award.decided_by) == (decided.decided_at, personas["reviewer"])
    assert (award.ceremony_date, award.decision_number) == (date(2021, 7, 12), "105/QĐ-UBND")
    assert AuditEvent.objects.get(action="monthly_award.changed").actor == personas["admin"]


def test_saving_the_same_decision_again_changes_and_audits_nothing(june, personas):
    close(june, "2021-06", personas["reviewer"])
    unit = Unit.objects.get(code="TT-MOT-NGAN")
    for _ in range(2):
        monthly_award_decide(campaign=june, month="2021-06", unit=unit, ceremony_date=date(2021, 7, 5),
                             actor=personas["reviewer"])
    assert not AuditEvent.objects.filter(action="monthly_award.changed").exists()


def test_a_returned_report_holds_its_unit_back_until_corrected(june, personas, client_for):
    from thidua.reports.models import Report
    from thidua.reports.services import report_return, report_verify

    returned = Report.objects.get(unit__code="TT-MOT-NGAN", month="2021-06")
    report_return(report=returned, actor=personas["reviewer"], reason="Thiếu minh chứng số tài khoản tạo mới.")
    report_verify(report=Report.objects.get(unit__code="X-TAN-HOA", month="2021-06"), actor=personas["reviewer"])
    close(june, "2021-06", personas["reviewer"])
    p = monthly_proposal(june, "2021-06")
    assert p.proposed.code == "X-TAN-HOA" and [c.code for c in p.choices] == ["X-TAN-HOA"]
    assert [c.code for c in p.held_back] == ["TT-MOT-NGAN"] and p.unreviewed == []
    with pytest.raises(ValidationError) as excinfo:
        monthly_award_decide(campaign=june, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                             ceremony_date=date(2021, 7, 5), reason="Đơn vị dẫn đầu về điểm số tháng.",
                             actor=personas["reviewer"])
    assert excinfo.value.messages == ["Báo cáo tháng 6/2021 của Thị trấn Một Ngàn đang bị trả lại để bổ sung: chưa "
                                      "xét khen thưởng cho đến khi đơn vị nộp bản điều chỉnh."]
    page = client_for(personas["reviewer"]).get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert "Chưa xét: Thị trấn Một Ngàn (130 điểm) — báo cáo tháng 6/2021 đang bị trả lại để bổ sung" in page
    assert "chưa được thẩm định" not in page


def test_the_page_says_when_the_proposed_units_report_is_not_yet_verified(june, personas, client_for):
    close(june, "2021-06", personas["reviewer"])
    assert [c.code for c in monthly_proposal(june, "2021-06").unreviewed] == ["TT-MOT-NGAN", "X-TAN-HOA"]
    page = client_for(personas["reviewer"]).get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert ("Báo cáo tháng 6/2021 của Thị trấn Một Ngàn chưa được thẩm định: nên xác nhận báo cáo trước khi quyết "
            "định khen thưởng.") in page
    assert page.count("chờ thẩm định</span>") == 2


@pytest.mark.django_db(transaction=True)
def test_a_unit_correcting_its_report_while_its_award_is_decided_waits_instead_of_failing(june, personas, settings):
    # PostgreSQL: the correction locked the unit's row along with its report (the report's default ordering
    # joins the units), then waited for the campaign the award holds; the award's commit checks its unit
    # reference against that row: «deadlock detected», an error 500 for one of them.
    close(june, "2021-06", personas["reviewer"])
    report(june, "TT-MOT-NGAN", "2021-07")
    settings.THIDUA_NOW = "2021-07-21T09:00:00+07:00"
    unit = Unit.objects.get(code="TT-MOT-NGAN")
    reporter = User.objects.get(username="bob")

    def decide():
        monthly_award_decide(campaign=june, month="2021-06", unit=unit, ceremony_date=date(2021, 7, 5),
                             actor=personas["reviewer"])

    def correct():  # the correction locks its report, then waits for the campaign row the award holds
        report_submit(campaign=june, unit=unit, month="2021-07", actor=reporter, data=ReportData(
            new_accounts=2500, dossiers_online=210, resolved_on_time=40, due=40, dossiers_in_person=50,
            has_plan=True, procedures=("Đăng ký khai sinh",)))

    assert [o for o in at_once(decide, correct) if isinstance(o, Exception)] == []
    assert MonthlyAward.objects.get(month="2021-06").unit == unit
    july = Report.objects.get(unit=unit, month="2021-07")
    assert (july.current.number, july.current.new_accounts) == (2, 2500)
