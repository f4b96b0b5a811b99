"""The Thông báo of a closed month: the Home Affairs Office tells the units (and the district radio, which Plan 211
asks to make the leading units known) how the month's reports came in, the standing as closed and the award."""

from __future__ import annotations

from datetime import date

import pytest
from django.test.utils import override_settings

from tests.web.awards.conftest import close, docx_text, pdf_text, report
from thidua.reports.models import Report
from thidua.reports.selectors import competing_units
from thidua.reports.services import report_mark_untruthful
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def june(campaign, personas):
    """June 2021: Cái Tắc and Một Ngàn on time, Tân Hòa two days late, Phòng Tư pháp on time but found untruthful
    before the month is closed; every other unit sent nothing. Cái Tắc gets the month's award."""
    from thidua.awards.services import monthly_award_decide

    reviewer = personas["reviewer"]
    report(campaign, "TT-CAI-TAC", accounts=2000)
    report(campaign, "TT-MOT-NGAN", accounts=1900)
    report(campaign, "X-TAN-HOA", day=27, accounts=1800)
    tu_phap = report(campaign, "P-TU-PHAP", accounts=1700, dossiers=200)
    with override_settings(THIDUA_NOW="2021-07-02T09:00:00+07:00"):
        report_mark_untruthful(report=Report.objects.get(pk=tu_phap.pk), actor=reviewer,
                               reason="Số tài khoản báo cáo cao hơn số liệu trên Cổng.")
        close(campaign, "2021-06", reviewer)
        monthly_award_decide(campaign=campaign, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                             ceremony_date=date(2021, 7, 5), actor=reviewer)
    return campaign


def test_a_closed_months_notice_says_how_the_reports_came_in_the_standing_and_the_award(june, personas, client_for):
    client = client_for(personas["reviewer"])
    with override_settings(THIDUA_NOW="2021-07-05T09:00:00+07:00"):
        page = client.get("/xep-hang/?thang=2021-06").content.decode()
        assert "/khen-thuong/van-ban/thong-bao/2021-06.docx" in page
        docx = client.get("/khen-thuong/van-ban/thong-bao/2021-06.docx")
        pdf = client.get("/khen-thuong/van-ban/thong-bao/2021-06.pdf")
    assert docx.status_code == 200 and "thong-bao-ket-qua-2021-06.docx" in docx["Content-Disposition"]
    text = flat(docx_text(docx.content))
    owed = len(competing_units(june))
    for words in ["UBND HUYỆN CHÂU THÀNH A", "PHÒNG NỘI VỤ", "Số: /TB-PNV", "THÔNG BÁO",
                  "Kết quả chấm điểm, xếp hạng tháng 6/2021 phong trào thi đua",
                  "Hạn báo cáo tháng 6/2021: ngày 25/06/2021. "
                  f"Có 3/{owed} cơ quan, đơn vị báo cáo đúng hạn.",
                  "Báo cáo trễ hạn: Xã Tân Hòa (trễ 2 ngày).",
                  "Báo cáo không trung thực: Phòng Tư pháp.",
                  "Mức trừ điểm theo Kế hoạch: trễ 1–3 ngày trừ 2 điểm; trễ từ 4 ngày trở lên trừ 5 điểm; không nộp "
                  "trừ 5 điểm; báo cáo không trung thực trừ 2 điểm.",
                  "Khối xã, thị trấn", "Khối phòng, ban, ngành huyện", "Thị trấn Cái Tắc",
                  "III. KHEN THƯỞNG THÁNG 6/2021",
                  "Phòng Nội vụ huyện đề nghị Chủ tịch Ủy ban nhân dân huyện tặng Giấy khen kèm tiền thưởng "
                  "1.000.000 đ cho Thị trấn Cái Tắc, là tập thể tiêu biểu nhất tháng 6/2021.",
                  "IV. ĐỀ NGHỊ", "Đài Truyền thanh huyện", "TRƯỞNG PHÒNG"]:
        assert words in text, words
    missing = text.split("Không báo cáo: ", 1)[1].split(".", 1)[0].split("; ")
    assert "Thị trấn Bảy Ngàn" in missing and "Phòng Y tế" in missing and "Xã Tân Hòa" not in missing
    assert len(missing) == owed - 4
    assert pdf.status_code == 200
    assert "Báo cáo không trung thực: Phòng Tư pháp." in flat(pdf_text(pdf.content))


def test_the_notice_follows_the_standing_as_closed_and_the_signed_decision(june, personas, client_for):
    """A finding made after the month was closed shows among the recalculations, not in the closed month's notice
    (nor does its −2 in the notice's table); the Quyết định's number once recorded replaces the proposal."""
    from thidua.awards.models import MonthlyAward
    from thidua.awards.services import monthly_award_record_decision

    reviewer = personas["reviewer"]
    with override_settings(THIDUA_NOW="2021-07-10T09:00:00+07:00"):
        report_mark_untruthful(report=Report.objects.get(unit__code="TT-MOT-NGAN"), actor=reviewer,
                               reason="Phúc tra: số hồ sơ trực tuyến không khớp Cổng.")
        monthly_award_record_decision(award=MonthlyAward.objects.get(), number="1234/QĐ-UBND",
                                      signed_on=date(2021, 7, 3), actor=reviewer)
        text = flat(docx_text(client_for(reviewer).get("/khen-thuong/van-ban/thong-bao/2021-06.docx").content))
    assert "Báo cáo không trung thực: Phòng Tư pháp." in text
    assert "Thị trấn Một Ngàn." not in text and "Thị trấn Một Ngàn;" not in text
    assert ("Thị trấn Cái Tắc được Chủ tịch Ủy ban nhân dân huyện tặng Giấy khen kèm tiền thưởng 1.000.000 đ "
            "(Quyết định số 1234/QĐ-UBND ngày 03/07/2021), là tập thể tiêu biểu nhất tháng 6/2021.") in text


def test_a_month_not_closed_is_sent_to_the_ranking_to_close_it(june, personas, client_for):
    client = client_for(personas["reviewer"])
    with override_settings(THIDUA_NOW="2021-08-05T09:00:00+07:00"):
        response = client.get("/khen-thuong/van-ban/thong-bao/2021-07.pdf", follow=True)
        assert response.redirect_chain == [("/xep-hang/?thang=2021-07", 302)]
        assert ("Kết quả tháng 7/2021 chưa chốt: chốt tháng ở trang Xếp hạng, sau đó mới tải được thông báo kết quả "
                "tháng.") in response.content.decode()
        assert client.get("/khen-thuong/van-ban/thong-bao/2020-06.pdf").status_code == 404
        assert client.get("/khen-thuong/van-ban/thong-bao/2021-13.pdf").status_code == 404


def test_leaders_read_the_notice_reporters_do_not(june, personas, client_for):
    with override_settings(THIDUA_NOW="2021-07-05T09:00:00+07:00"):
        assert client_for(personas["leader"]).get("/khen-thuong/van-ban/thong-bao/2021-06.pdf").status_code == 200
        assert client_for(personas["commune_reporter"]).get(
            "/khen-thuong/van-ban/thong-bao/2021-06.pdf").status_code == 403


def test_the_months_award_page_links_the_notice_once_the_month_is_closed(june, personas, client_for):
    client = client_for(personas["reviewer"])
    with override_settings(THIDUA_NOW="2021-08-05T09:00:00+07:00"):
        closed = client.get("/khen-thuong/hang-thang/2021-06/").content.decode()
        open_month = client.get("/khen-thuong/hang-thang/2021-07/").content.decode()
    assert "Thông báo kết quả tháng 6/2021" in closed and "/khen-thuong/van-ban/thong-bao/2021-06.pdf" in closed
    assert "/khen-thuong/van-ban/thong-bao/2021-07" not in open_month


def test_the_dossier_page_lists_each_awarded_months_notice_beside_its_decision(june, personas, client_for):
    with override_settings(THIDUA_NOW="2021-07-05T09:00:00+07:00"):
        page = client_for(personas["reviewer"]).get("/khen-thuong/ho-so/").content.decode()
    assert "/khen-thuong/van-ban/quyet-dinh/2021-06.docx" in page
    assert "/khen-thuong/van-ban/thong-bao/2021-06.docx" in page
    assert "/khen-thuong/van-ban/thong-bao/2021-06.pdf" in page


def test_another_plans_notice_waits_for_the_documents_officials_and_says_where_to_enter_them(
        campaign, personas, client_for):
    """A campaign other than Plan 211 prints no locality's names until the reviewer enters its own: the notice of
    a closed month is then refused on Hồ sơ khen thưởng, where that is said, not on the ranking page."""
    from thidua.campaigns.services import campaign_activate, campaign_create_from

    other = campaign_create_from(base=campaign.rubric_data, actor=None, code="huyen-khac-2021",
                                 name="Thi đua của huyện khác", start=date(2021, 6, 1), end=date(2021, 12, 18))
    campaign_activate(campaign=other, actor=personas["admin"])
    report(other, "TT-CAI-TAC", accounts=2000)
    with override_settings(THIDUA_NOW="2021-07-05T09:00:00+07:00"):
        close(other, "2021-06", personas["reviewer"])
        response = client_for(personas["reviewer"]).get("/khen-thuong/van-ban/thong-bao/2021-06.pdf", follow=True)
    assert response.redirect_chain == [("/khen-thuong/ho-so/", 302)]
    assert "Chưa nhập thông tin trên văn bản khen thưởng" in response.content.decode()


def test_a_past_campaigns_notice_is_read_once_the_next_is_applied(june, personas, client_for):
    from thidua.campaigns.services import campaign_activate, campaign_create_from

    later = campaign_create_from(base=june.rubric_data, actor=None, code="thi-dua-2022", name="Thi đua năm 2022",
                                 start=date(2022, 1, 1), end=date(2022, 12, 18))
    campaign_activate(campaign=later, actor=personas["admin"])
    with override_settings(THIDUA_NOW="2022-01-10T09:00:00+07:00"):
        client = client_for(personas["leader"])
        page = client.get(f"/xep-hang/?thang=2021-06&phong-trao={june.code}").content.decode()
        notice = client.get(f"/khen-thuong/van-ban/thong-bao/2021-06.docx?phong-trao={june.code}")
    assert f"/khen-thuong/van-ban/thong-bao/2021-06.docx?phong-trao={june.code}" in page
    assert notice.status_code == 200
    assert "Kết quả chấm điểm, xếp hạng tháng 6/2021" in " ".join(docx_text(notice.content).split())
