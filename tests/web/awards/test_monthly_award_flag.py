"""A later untruthful finding on the awarded unit's report for that month flags the award."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.awards.conftest import close, report
from thidua.awards.models import MonthlyAward
from thidua.awards.services import monthly_award_decide
from thidua.core.models import AuditEvent
from thidua.reports.services import report_mark_untruthful
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(campaign, personas):
    june = report(campaign, "TT-MOT-NGAN", accounts=1800)
    other = report(campaign, "X-TAN-HOA", accounts=1700)
    july = report(campaign, "TT-MOT-NGAN", "2021-07", accounts=100)
    close(campaign, "2021-06", personas["reviewer"])
    monthly_award_decide(campaign=campaign, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                         ceremony_date=date(2021, 7, 5), actor=personas["reviewer"])
    return {"june": june, "other": other, "july": july}


def test_an_untruthful_finding_on_the_awarded_report_flags_the_award_for_the_head_of_home_affairs(
        awarded, personas, client_for):
    report_mark_untruthful(report=awarded["june"], actor=personas["reviewer"],
                           reason="Phúc tra: số tài khoản tháng 6 cao hơn danh sách trên Cổng.")
    award = MonthlyAward.objects.get()
    assert award.flagged and award.flagged_at is not None
    assert award.flag_reason == ("Phúc tra kết luận báo cáo tháng 6/2021 của Thị trấn Một Ngàn không trung thực: "
                                 "số tài khoản tháng 6 cao hơn danh sách trên Cổng.")  # «Phúc tra» once, one period
    assert AuditEvent.objects.filter(action="monthly_award.flagged", unit_code="TT-MOT-NGAN").exists()
    client = client_for(personas["reviewer"])
    for url in ("/khen-thuong/", "/khen-thuong/hang-thang/2021-06/"):
        page = client.get(url).content.decode()
        assert "Cần Trưởng phòng Nội vụ xem xét" in page and 'role="alert"' in page
        assert page.count("Cần Trưởng phòng Nội vụ xem xét") == 1 and page.count("Phúc tra") == 1


def test_a_flag_stored_by_an_earlier_version_is_shown_without_its_repetitions(awarded, personas, client_for):
    """Flags written before kept «Phúc tra:» of the finding and ended with the heading's sentence."""
    MonthlyAward.objects.update(flagged=True, flag_reason=(
        "Phúc tra kết luận báo cáo tháng 6/2021 của Thị trấn Một Ngàn không trung thực: Phúc tra: số tài khoản "
        "tháng 6 cao hơn danh sách trên Cổng. Cần Trưởng phòng Nội vụ xem xét."))
    page = client_for(personas["reviewer"]).get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert ("<p>Phúc tra kết luận báo cáo tháng 6/2021 của Thị trấn Một Ngàn không trung thực: số tài khoản "
            "tháng 6 cao hơn danh sách trên Cổng.</p>") in page
    assert page.count("Cần Trưởng phòng Nội vụ xem xét") == 1 and page.count("Phúc tra") == 1


def test_a_finding_on_another_units_report_does_not_flag_the_award(awarded, personas):
    report_mark_untruthful(report=awarded["other"], actor=personas["reviewer"],
                           reason="Phúc tra: số hồ sơ không khớp với Cổng dịch vụ công.")
    assert not MonthlyAward.objects.get().flagged


def test_a_finding_on_the_same_units_report_for_another_month_does_not_flag_the_award(awarded, personas):
    report_mark_untruthful(report=awarded["july"], actor=personas["reviewer"],
                           reason="Phúc tra: số hồ sơ tháng 7 không khớp với Cổng.")
    assert not MonthlyAward.objects.get().flagged
    assert not AuditEvent.objects.filter(action="monthly_award.flagged").exists()


# The answer to a flag: the Head of the Home Affairs Office keeps the award or revokes it.

FINDING = "Phúc tra: số tài khoản tháng 6 cao hơn danh sách trên Cổng."
ANSWER_URL = "/khen-thuong/hang-thang/2021-06/xem-xet/"


@pytest.fixture
def flagged(awarded, personas):
    report_mark_untruthful(report=awarded["june"], actor=personas["reviewer"], reason=FINDING)
    return MonthlyAward.objects.get()


def test_the_reviewer_keeps_a_flagged_award_with_a_written_conclusion(flagged, personas, client_for):
    client = client_for(personas["reviewer"])
    page = client.get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert f'action="{ANSWER_URL}"' in page and "Giữ nguyên khen thưởng" in page
    response = client.post(ANSWER_URL, {"outcome": "keep",
                                        "conclusion": "Sai lệch nhỏ, không ảnh hưởng kết quả xét tháng 6."})
    assert response.status_code == 302
    award = MonthlyAward.objects.get()
    assert not award.flagged and award.revoked_at is None
    assert award.flag_conclusion == "Sai lệch nhỏ, không ảnh hưởng kết quả xét tháng 6."
    assert award.flag_cleared_by == personas["reviewer"] and award.flag_cleared_at is not None
    event = AuditEvent.objects.get(action="monthly_award.flag_cleared")
    assert event.before["flagged"] is True and event.after["flagged"] is False
    page = client.get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert "Giữ nguyên: Sai lệch nhỏ" in page and "Cần Trưởng phòng Nội vụ xem xét" not in page
    home = client.get("/khen-thuong/").content.decode()
    assert "Cần Trưởng phòng Nội vụ xem xét" not in home and "Thị trấn Một Ngàn" in home


def test_a_revoked_award_stays_on_record_and_the_month_is_decided_again(flagged, personas, client_for, campaign):
    client = client_for(personas["reviewer"])
    response = client.post(ANSWER_URL, {"outcome": "revoke",
                                        "conclusion": "Báo cáo không trung thực: thu hồi Giấy khen tháng 6."})
    assert response.status_code == 302
    revoked = MonthlyAward.objects.get()
    assert revoked.revoked_at is not None and revoked.revoked_by == personas["reviewer"] and not revoked.flagged
    assert AuditEvent.objects.filter(action="monthly_award.revoked", unit_code="TT-MOT-NGAN").exists()
    page = client.get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert "Đã thu hồi" in page and "thu hồi Giấy khen tháng 6" in page
    assert "Xác nhận khen thưởng" in page  # the month can be decided again
    # the documents of the revoked decision are gone with it
    assert client.get("/khen-thuong/van-ban/quyet-dinh/2021-06.docx").status_code == 404
    # the unit found untruthful is no longer a choice; another eligible one is awarded
    assert "Thị trấn Một Ngàn —" not in page
    monthly_award_decide(campaign=campaign, month="2021-06", unit=Unit.objects.get(code="X-TAN-HOA"),
                         ceremony_date=date(2021, 8, 2), actor=personas["reviewer"])
    assert [(a.unit.code, a.revoked_at is None) for a in MonthlyAward.objects.order_by("pk")] == [
        ("TT-MOT-NGAN", False), ("X-TAN-HOA", True)]
    assert MonthlyAward.objects.in_force().get().unit.code == "X-TAN-HOA"


def test_an_answer_without_a_conclusion_or_an_outcome_is_refused_and_changes_nothing(flagged, personas, client_for):
    client = client_for(personas["reviewer"])
    for data, message in (({"outcome": "keep", "conclusion": "ok"}, "ít nhất 10 ký tự"),
                          ({"outcome": "", "conclusion": "Kết luận đầy đủ của phòng."}, "giữ nguyên hoặc thu hồi"),
                          ({"outcome": "xoa", "conclusion": "Kết luận đầy đủ của phòng."}, "giữ nguyên hoặc thu hồi"),
                          ({"outcome": "keep"}, "Cần ghi rõ kết luận")):
        response = client.post(ANSWER_URL, data)
        assert response.status_code == 400 and message in response.content.decode()
    award = MonthlyAward.objects.get()
    assert award.flagged and award.revoked_at is None and not award.flag_conclusion
    assert not AuditEvent.objects.filter(action__in=["monthly_award.flag_cleared", "monthly_award.revoked"]).exists()


def test_only_a_reviewer_answers_a_flag_and_only_a_flagged_award(awarded, personas, client_for):
    data = {"outcome": "revoke", "conclusion": "Kết luận đầy đủ của phòng."}
    for persona in ("leader", "commune_reporter"):
        assert client_for(personas[persona]).post(ANSWER_URL, data).status_code == 403
    reviewer = client_for(personas["reviewer"])
    response = reviewer.post(ANSWER_URL, data)  # not flagged: nothing to answer
    assert response.status_code == 400 and "không có gì cần xem xét" in response.content.decode()
    assert reviewer.post("/khen-thuong/hang-thang/2021-07/xem-xet/", data).status_code == 404  # no award yet
    assert reviewer.post("/khen-thuong/hang-thang/2030-01/xem-xet/", data).status_code == 404
    assert reviewer.get(ANSWER_URL).status_code == 405
    assert MonthlyAward.objects.in_force().count() == 1


def test_a_new_finding_after_a_kept_award_flags_it_again(flagged, personas, awarded):
    from thidua.awards.services import monthly_award_flag_resolve

    monthly_award_flag_resolve(award=flagged, outcome="keep", conclusion="Sai lệch nhỏ, giữ nguyên.",
                               actor=personas["reviewer"])
    from thidua.awards.services import monthly_award_flag

    assert monthly_award_flag(report=awarded["june"], actor=personas["reviewer"]) is not None
    award = MonthlyAward.objects.get()
    assert award.flagged and award.flag_conclusion == "" and award.flag_cleared_at is None


WITHDRAWAL = "Đối chiếu lại: danh sách trên Cổng thiếu tài khoản tạo tại bộ phận một cửa; báo cáo đúng."


def test_a_withdrawn_finding_clears_the_flag_it_raised(flagged, awarded, personas, client_for):
    """The finding that flagged the award was made in error: the Head of the Home Affairs Office has nothing to
    answer any more, and the award's page says why."""
    from thidua.reports.services import report_untruthful_withdraw

    report_untruthful_withdraw(report=awarded["june"], actor=personas["reviewer"], reason=WITHDRAWAL)
    award = MonthlyAward.objects.get()
    assert not award.flagged and award.revoked_at is None
    assert award.flag_conclusion == f"Kết luận báo cáo tháng 6/2021 không trung thực đã được hủy: {WITHDRAWAL}"
    assert award.flag_cleared_by == personas["reviewer"]
    event = AuditEvent.objects.get(action="monthly_award.flag_cleared")
    assert event.summary.startswith("Khen thưởng tháng 6/2021 của Thị trấn Một Ngàn không còn cần xem xét: ")
    page = client_for(personas["reviewer"]).get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert "Cần Trưởng phòng Nội vụ xem xét" not in page and "đã được hủy" in page


def test_a_withdrawn_finding_leaves_a_revoked_award_revoked(flagged, awarded, personas, client_for):
    from thidua.reports.services import report_untruthful_withdraw

    client_for(personas["reviewer"]).post(ANSWER_URL, {"outcome": "revoke",
                                                       "conclusion": "Báo cáo không trung thực: thu hồi Giấy khen."})
    report_untruthful_withdraw(report=awarded["june"], actor=personas["reviewer"], reason=WITHDRAWAL)
    award = MonthlyAward.objects.get()
    assert award.revoked_at is not None and not award.flagged and not award.flag_conclusion
    assert not AuditEvent.objects.filter(action="monthly_award.flag_cleared").exists()
