"""A past campaign stays readable once the next one is applied: the public looks up its final leaderboard, leaders
and the reviewer open its rankings, overview, matrix, scorecards, reports, awards, documents and exports by naming it
(?phong-trao=<code>, the API's ?campaign=<code>), read only, while the campaign applied for everyone stays the same.
Writes act on the campaign of the object they touch, never on the one named in an address by mistake."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.web.awards.test_second_year import IN_2022, the_2022_registry
from tests.web.conftest import make_user
from thidua.awards.models import MonthlyAward
from thidua.campaigns.models import MonthSnapshot
from thidua.campaigns.selectors import active_campaign
from thidua.campaigns.services import campaign_create
from thidua.reports.models import Report
from thidua.scoring import load_rubric
from thidua.units.models import Unit, User

pytestmark = pytest.mark.django_db

PAST = "chau-thanh-a-2021"
NEW = "chau-thanh-a-2022"
Q = f"?phong-trao={PAST}"


@pytest.fixture
def next_year(settings, dossier, personas):
    """2022: the registry has changed (Cái Tắc is a ward, Một Ngàn merged, a new commune) and the 2022 campaign,
    made from the same rubric, is applied; 2021 (June awarded, its year-end list recorded) is over."""
    settings.THIDUA_NOW = IN_2022
    the_2022_registry(personas["admin"])
    data = dossier.rubric.to_data()
    data.update(code=NEW, name="Thi đua dịch vụ công trực tuyến năm 2022")
    data["campaign"] = {"start": "2022-01-10", "end": "2022-12-18"}
    data["reports"]["months"] = ["2022-01", "2022-02", "2022-03"]
    campaign_create(rubric=load_rubric(data))
    assert active_campaign().code == NEW
    dossier.refresh_from_db()
    return dossier


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_public_looks_up_last_years_final_leaderboard(next_year, client):
    current = html(client.get(reverse("public-leaderboard")))
    assert "Phường Cái Tắc" in current and "Thị trấn Một Ngàn" not in current  # 2022 names its units as today
    past = html(client.get(reverse("public-leaderboard") + Q))
    assert next_year.name in past and "kết quả đến hết đợt thi đua, 18/12/2021" in past
    assert "Thị trấn Cái Tắc" in past and "Thị trấn Một Ngàn" in past and "Phường Cái Tắc" not in past
    assert "Tân Phú Mới" not in past
    # the page lists the campaigns, the applied one a link without a code, the past one with its code
    assert "Các phong trào thi đua" in current and f'href="/cong-khai/?phong-trao={PAST}"' in current
    assert "Đang xem phong trào đã qua" in past and 'href="/cong-khai/"' in past
    # cached per campaign shown: the applied one is still the same page
    assert html(client.get(reverse("public-leaderboard"))) == current
    assert active_campaign().code == NEW


@pytest.mark.parametrize("code", ["khong-co", "a" * 300, "ab%00c", "%C3%A1", "x%27%3B--"])
def test_an_unknown_or_malformed_campaign_code_is_a_vietnamese_404(next_year, personas, client, client_for, code):
    response = client.get(f"/cong-khai/?phong-trao={code}")
    assert response.status_code == 404 and "Không có phong trào thi đua mã" in response.content.decode()
    leader = client_for(personas["leader"])
    for name in ("rankings", "overview", "review-matrix", "awards-home", "year-end", "dossier"):
        response = leader.get(f"{reverse(name)}?phong-trao={code}")
        assert response.status_code == 404, name
        assert "Không có phong trào thi đua mã" in response.content.decode()
    api = leader.get(f"/api/v1/rankings?campaign={code}")
    assert api.status_code == 404 and "Không có phong trào thi đua mã" in api.json()["detail"]


def test_a_leader_opens_the_past_campaigns_pages_read_only(next_year, personas, client_for):
    leader = client_for(personas["leader"])
    ranking = html(leader.get(reverse("rankings") + Q))
    assert next_year.name in ranking and "Thị trấn Một Ngàn" in ranking and "Phường Cái Tắc" not in ranking
    # the switcher lists the campaigns, the applied one first, and the links keep the campaign chosen
    switcher = ranking[ranking.index('name="phong-trao"'):]
    assert switcher.index(NEW) < switcher.index(PAST)
    assert f'href="/don-vi/TT-CAI-TAC/{Q}"' in ranking and f'href="/tong-quan/{Q}"' in ranking
    assert f'href="/tham-dinh/{Q}"' in ranking  # the menu too
    for name in ("overview", "review-matrix", "awards-home", "year-end", "dossier"):
        page = html(leader.get(reverse(name) + Q))
        assert next_year.name in page or "Thị trấn Cái Tắc" in page, name
        assert "Phường Cái Tắc" not in page, name
    card = html(leader.get(reverse("unit-scorecard", args=["TT-CAI-TAC"]) + Q))
    assert "Thị trấn Cái Tắc" in card and "Phường Cái Tắc" not in card
    june = html(leader.get(reverse("monthly-award", args=["2021-06"]) + Q))
    assert "Thị trấn Cái Tắc" in june and f'/khen-thuong/van-ban/giay-khen/2021-06.docx{Q}' in june
    export = leader.get("/xuat/khen-thuong.csv" + Q)
    assert export.status_code == 200 and "Thị trấn Cái Tắc" in export.content.decode("utf-8-sig")
    document = leader.get("/khen-thuong/van-ban/giay-khen/2021-06.pdf" + Q)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert leader.get("/khen-thuong/van-ban/ho-so-cuoi-nam.zip" + Q).status_code == 200
    # without the code, the applied campaign
    assert "Thi đua dịch vụ công trực tuyến năm 2022" in html(leader.get(reverse("rankings")))
    assert active_campaign().code == NEW


def test_the_reviewers_past_pages_offer_no_form_and_a_write_naming_the_past_campaign_is_refused(
        next_year, personas, client_for):
    reviewer = client_for(personas["reviewer"])
    ranking = html(reviewer.get(reverse("rankings") + Q + "&thang=2021-07"))
    assert "Chốt kết quả" not in ranking
    matrix = html(reviewer.get(reverse("review-matrix") + Q))
    assert "Nhập thay" not in matrix and "Nhắc nộp báo cáo" not in matrix
    june = html(reviewer.get(reverse("monthly-award", args=["2021-06"]) + Q))
    assert "Điều chỉnh quyết định" not in june
    snapshots = MonthSnapshot.objects.count()
    for url, data in ((reverse("month-close") + Q, {"month": "2021-07"}),
                      (reverse("monthly-award", args=["2021-06"]) + Q,
                       {"unit": "TT-MOT-NGAN", "ceremony_date": "05/07/2021", "reason": "Thử ghi vào năm trước."})):
        response = reviewer.post(url, data)
        assert response.status_code == 403, url
        assert "không còn áp dụng" in response.content.decode()
    assert MonthSnapshot.objects.count() == snapshots
    assert MonthlyAward.objects.get(campaign=next_year).unit.code == "TT-CAI-TAC"
    assert not MonthSnapshot.objects.filter(campaign__code=NEW).exists()


def test_a_phuc_tra_of_a_past_report_is_written_on_it_and_its_award_is_concluded_on_its_page(
        next_year, personas, client_for):
    reviewer = client_for(personas["reviewer"])
    report = Report.objects.get(campaign=next_year, unit__code="TT-CAI-TAC", month="2021-06")
    page = html(reviewer.get(reverse("report-detail", args=[report.pk])))
    assert "Báo cáo tháng 6/2021 — Thị trấn Cái Tắc" in page and "Phường Cái Tắc" not in page
    assert "phong trào đã qua" in page and "Trả lại báo cáo" not in page
    assert f'href="/tham-dinh/{Q}"' in page
    refused = reviewer.post(reverse("report-return", args=[report.pk]), {"reason": "Bổ sung minh chứng."})
    assert refused.status_code == 302
    report.refresh_from_db()
    assert report.status != Report.Status.RETURNED
    response = reviewer.post(reverse("report-untruthful", args=[report.pk]),
                             {"reason": "Phúc tra: số tài khoản kê khai cao hơn số liệu Cổng."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.untruthful
    award = MonthlyAward.objects.get(campaign=next_year, month="2021-06")
    assert award.flagged
    june = html(reviewer.get(reverse("monthly-award", args=["2021-06"]) + Q))
    assert f'action="/khen-thuong/hang-thang/2021-06/xem-xet/{Q}"' in june
    response = reviewer.post(f"/khen-thuong/hang-thang/2021-06/xem-xet/{Q}", {
        "outcome": "keep", "conclusion": "Giữ nguyên: sai lệch không ảnh hưởng kết quả tháng 6."})
    assert response.status_code == 302 and response["Location"] == f"/khen-thuong/hang-thang/2021-06/{Q}"
    award.refresh_from_db()
    assert not award.flagged and award.flag_conclusion.startswith("Giữ nguyên")
    assert active_campaign().code == NEW


def test_the_report_form_of_a_past_campaign_stays_closed(next_year, personas, client_for):
    from thidua.reports.services import submission_refusal

    unit = Unit.objects.get(code="X-TAN-HOA")
    report = Report.objects.get(campaign=next_year, unit=unit, month="2021-06")
    assert "không còn áp dụng" in submission_refusal(next_year, unit, "2021-06", report, date(2022, 3, 1))
    reporter = client_for(make_user("tan-hoa", User.Role.REPORTER, unit))
    assert "Điều chỉnh, nộp lại" not in html(reporter.get(reverse("report-detail", args=[report.pk])))
    # the report list and form are the applied campaign's: 2021's months are not in it
    assert reporter.get(reverse("report-submit", args=["2021-06"])).status_code == 404


def test_the_api_reads_a_past_campaign_by_its_code(next_year, personas, client, client_for):
    public = client.get(f"/api/v1/rankings?campaign={PAST}").json()
    assert public["campaign"] == PAST and "Thị trấn Một Ngàn" in {u["name"] for u in public["units"]}
    assert client.get("/api/v1/rankings").json()["campaign"] == NEW
    leader = client_for(personas["leader"])
    card = leader.get(f"/api/v1/units/TT-CAI-TAC/scorecard?campaign={PAST}").json()
    assert card["campaign"] == PAST and card["name"] == "Thị trấn Cái Tắc"
    matrix = leader.get(f"/api/v1/reports/matrix?campaign={PAST}").json()
    assert matrix["campaign"] == PAST and "2021-06" in matrix["months"]
    assert leader.get(f"/api/v1/overview?campaign={PAST}").json()["campaign"] == PAST


def test_a_reporter_of_a_renamed_unit_reads_its_past_scorecard_under_the_name_it_had(next_year, client_for):
    reporter = client_for(make_user("cai-tac", User.Role.REPORTER, Unit.objects.get(code="TT-CAI-TAC")))
    page = html(reporter.get(reverse("unit-dashboard") + Q))
    header = page[page.index('class="who"'):page.index("Đổi mật khẩu")]
    assert "Thị trấn Cái Tắc" in header and "Phường Cái Tắc" not in header
    today = html(reporter.get(reverse("unit-dashboard")))
    header = today[today.index('class="who"'):today.index("Đổi mật khẩu")]
    assert "Phường Cái Tắc" in header


def test_a_past_campaign_finishes_its_year_end_after_the_next_one_is_applied(next_year, personas, client_for):
    """The year-end Quyết định is often signed after the new year began: the past campaign's year-end page keeps its
    forms (the decision's number, reopening, the dossier's signed items, the documents' officials), each acting on
    the campaign its address names and coming back to it; the list could not even be locked once 2022 was applied."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from thidua.awards.models import DossierItem, YearEndDecision, YearEndProposal

    # the list was locked on 16/12/2021 (the fixture locks it at the machine's own time)
    YearEndProposal.objects.filter(campaign=next_year).update(
        recorded_at=datetime(2021, 12, 16, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    reviewer = client_for(personas["reviewer"])
    year_end = html(reviewer.get(reverse("year-end") + Q))
    assert f'action="{reverse("year-end-decision")}{Q}"' in year_end
    assert f'action="{reverse("year-end-reopen")}{Q}"' in year_end
    dossier_page = html(reviewer.get(reverse("dossier") + Q))
    assert f'href="{reverse("district-officials")}{Q}"' in dossier_page
    # a download by the reviewer marks the tracker, as it does for the campaign applied
    assert reviewer.get(reverse("document-download", args=["to-trinh", "cuoi-nam", "docx"]) + Q).status_code == 200
    items = DossierItem.objects.filter(proposal__campaign=next_year, kind="to_trinh")
    assert items and all(i.generated_at is not None for i in items)
    item = items.first()
    signed = reviewer.post(reverse("dossier-sign", args=[item.pk]) + Q, {"signed_on": "20/12/2021", "number": ""})
    assert signed.status_code == 302 and signed["Location"] == reverse("dossier") + Q
    item.refresh_from_db()
    assert item.signed_on == date(2021, 12, 20)
    done = reviewer.post(reverse("year-end-decision") + Q, {"decision_number": "15/QĐ-UBND",
                                                            "decision_date": "05/01/2022"})
    assert done.status_code == 302 and done["Location"] == reverse("year-end") + Q
    decision = YearEndDecision.objects.get()
    assert (decision.campaign, decision.number, decision.signed_on) == (next_year, "15/QĐ-UBND", date(2022, 1, 5))
    assert "Đã ghi số Quyết định khen thưởng cuối năm: 15/QĐ-UBND." in html(reviewer.get(done["Location"]))
    # without the code, a form acts on the campaign applied for everyone, 2022, whose list is not locked
    reviewer.post(reverse("year-end-decision"), {"decision_number": "16/QĐ-UBND", "decision_date": "06/01/2022"})
    assert YearEndDecision.objects.count() == 1
    # the leader still only reads
    leader_page = html(client_for(personas["leader"]).get(reverse("year-end") + Q))
    assert "year-end-decision" not in leader_page and reverse("year-end-decision") not in leader_page


def test_a_report_returned_before_the_next_campaign_is_applied_is_still_corrected(next_year, personas, client_for):
    """The office returned Tân Hòa's June report in 2021; 2022 was applied before the unit answered. Its scorecard
    says so with a link, the form of that campaign's report opens and saves a version; another month, or a report
    not returned, stays closed."""
    from thidua.reports.models import ReportVersion

    unit = Unit.objects.get(code="X-TAN-HOA")
    report = Report.objects.get(campaign=next_year, unit=unit, month="2021-06")
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED,
                                               return_reason="Thiếu minh chứng tài khoản")
    reporter = client_for(make_user("tan-hoa", User.Role.REPORTER, unit))
    home = html(reporter.get(reverse("unit-dashboard")))
    section = home.split('data-testid="returned-earlier"', 1)[1].split("</section>", 1)[0]
    link = f'{reverse("report-submit", args=["2021-06"])}?phong-trao={PAST}'
    assert "Thiếu minh chứng tài khoản" in section and f'href="{link}"' in section
    detail = html(reporter.get(reverse("report-detail", args=[report.pk])))
    assert f'href="{link}"' in detail and "vẫn điều chỉnh được báo cáo đã bị trả lại này" in detail
    form = html(reporter.get(link))
    assert f'data-preview-url="{reverse("report-preview", args=["2021-06"])}?phong-trao={PAST}"' in form
    current = report.current
    data = {"new_accounts": str(current.new_accounts + 5), "dossiers_online": str(current.dossiers_online),
            "due": str(current.due), "resolved_on_time": str(current.resolved_on_time),
            "dossiers_in_person": str(current.dossiers_in_person), "has_plan": "on" if current.has_plan else "",
            "procedures": "\n".join(current.procedures), "note": "Bổ sung minh chứng theo yêu cầu.",
            "based_on": str(current.number)}
    done = reporter.post(link, data)
    assert done.status_code == 302 and done["Location"] == reverse("report-detail", args=[report.pk])
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.current.number == current.number + 1 and fresh.current.new_accounts == current.new_accounts + 5
    assert ReportVersion.objects.filter(report=fresh).count() == current.number + 1
    assert active_campaign().code == NEW  # nothing switched
    # corrected, it waits for review: the unit cannot send it again, nor another month of that campaign
    assert reporter.get(link).status_code == 302
    july = f'{reverse("report-submit", args=["2021-07"])}?phong-trao={PAST}'
    response = reporter.post(july, {**data, "based_on": "0"})
    assert response.status_code in (200, 302)
    assert not Report.objects.filter(campaign=next_year, unit=unit, month="2021-07").exists()


def test_the_reviewer_keeps_a_past_campaigns_nominations_until_its_list_is_locked(next_year, personas, client_for):
    """Its list reopened after 2022 was applied (a nominee to add before the Quyết định): the nominations page of
    that campaign takes the reviewer's entries for a unit, and its links and redirects stay in that campaign."""
    from thidua.awards.models import Nomination

    reviewer = client_for(personas["reviewer"])
    locked = html(reviewer.get(reverse("nominations") + Q))
    assert "Danh sách đề nghị đã chốt" in locked or "đã chốt" in locked
    reopened = reviewer.post(reverse("year-end-reopen") + Q, {"reason": "Bổ sung cá nhân đề cử còn thiếu của xã."})
    assert reopened.status_code == 302 and reopened["Location"] == reverse("year-end") + Q
    listing = html(reviewer.get(reverse("nominations") + Q))
    link = f'{reverse("nominations")}?don_vi=TT-CAI-TAC&amp;phong-trao={PAST}'
    assert link in listing or f'{reverse("nominations")}?phong-trao={PAST}&amp;don_vi=TT-CAI-TAC' in listing
    before = Nomination.objects.filter(campaign=next_year).count()
    url = f"{reverse('nominations')}?don_vi=TT-CAI-TAC&phong-trao={PAST}"
    done = reviewer.post(url, {"full_name": "Nguyễn Văn Bổ Sung", "position": "Công chức Văn phòng - Thống kê",
                               "achievement": "Hướng dẫn người dân tạo tài khoản, nộp hồ sơ trực tuyến."})
    assert done.status_code == 302 and f"phong-trao={PAST}" in done["Location"], done.content.decode()[:500]
    assert Nomination.objects.filter(campaign=next_year).count() == before + 1
    assert not Nomination.objects.filter(campaign__code=NEW).exists()
