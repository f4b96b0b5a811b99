"""The unit scorecard page and the staff rankings: explanations, the 90-point line, ties and tie-breaks."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.web.conftest import at_once, submit
from thidua.campaigns.models import TieBreak
from thidua.campaigns.services import tie_break_record
from thidua.core.models import AuditEvent
from thidua.reports.selectors import campaign_result

MONTHS = ["2021-06", "2021-07", "2021-08", "2021-09", "2021-10", "2021-11"]
# Over the campaign: plan, 2 procedures, 1.500 accounts, 200 dossiers, 98 of 100 on time → 105 points.
FIRST_MONTH = dict(new_accounts=1500, dossiers_online=200, resolved_on_time=98, due=100)
LATER_MONTHS = dict(new_accounts=0, dossiers_online=0, resolved_on_time=0, due=0)


def report_every_month(campaign, user, late: dict[str, int] | None = None):
    for month in MONTHS:
        day = (late or {}).get(month, 20)
        submit(campaign, user, month, on=date(int(month[:4]), int(month[5:]), day),
               **(FIRST_MONTH if month == MONTHS[0] else LATER_MONTHS))


def cards(campaign):
    return {c.code: c for c in campaign_result(campaign).scorecards}


@pytest.fixture
def tie(campaign, personas):
    """Xã Tân Hòa and Thị trấn Một Ngàn both at 105; Thị trấn Bảy Ngàn at 103 (one report 2 days late)."""
    from tests.web.conftest import make_user
    from thidua.units.models import Unit, User

    report_every_month(campaign, personas["commune_reporter"])
    report_every_month(campaign, personas["other_commune_reporter"])
    carl = make_user("carl", User.Role.REPORTER, Unit.objects.get(code="TT-BAY-NGAN"))
    report_every_month(campaign, carl, late={"2021-09": 27})
    return campaign


def test_the_unit_dashboard_explains_every_criterion_penalty_and_next_milestone(campaign, personas, client_for):
    alice = personas["commune_reporter"]
    report_every_month(campaign, alice, late={"2021-07": 27})
    card = cards(campaign)["X-TAN-HOA"]
    html = client_for(alice).get(reverse("unit-dashboard")).content.decode()

    assert len(card.criteria) == 5
    for criterion in card.criteria:
        assert escape(criterion.label) in html
        assert escape(criterion.explanation) in html
        if criterion.next_milestone:
            assert escape(criterion.next_milestone) in html
    assert any(c.next_milestone for c in card.criteria)
    [penalty] = card.penalties
    assert penalty.points == -2
    assert penalty.explanation == "2021-07: trễ 2 ngày (−2)"
    assert "Tháng 7/2021: trễ 2 ngày (−2)" in html  # its month in words
    assert "Trễ 2 ngày" in html
    assert card.total == 103
    assert '<div class="stat">103</div>' in html


def test_the_rankings_show_the_90_point_line_and_flag_the_tie(tie, personas, client_for):
    by_code = cards(tie)
    assert (by_code["X-TAN-HOA"].total, by_code["TT-MOT-NGAN"].total, by_code["TT-BAY-NGAN"].total) == (105, 105, 103)
    assert (by_code["X-TAN-HOA"].rank, by_code["TT-MOT-NGAN"].rank, by_code["TT-BAY-NGAN"].rank) == (1, 1, 3)
    assert by_code["X-TAN-HOA"].tie and not by_code["X-TAN-HOA"].tie_resolved
    assert by_code["X-NHON-NGHIA-A"].rank is None

    html = client_for(personas["reviewer"]).get(reverse("rankings")).content.decode()
    communes = html.split('data-group="commune"', 1)[1].split("</table>", 1)[0]
    for code in ("X-TAN-HOA", "TT-MOT-NGAN"):
        row = communes.split(f'data-code="{code}"', 1)[1].split("</tr>", 1)[0]
        assert "bằng điểm" in row
    assert "bằng điểm" not in communes.split('data-code="TT-BAY-NGAN"', 1)[1].split("</tr>", 1)[0]
    # a deduction shows in red; no deduction is a plain 0
    bay_ngan = communes.split('data-code="TT-BAY-NGAN"', 1)[1].split("</tr>", 1)[0]
    tan_hoa = communes.split('data-code="X-TAN-HOA"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num crit penalty" data-label="Trừ điểm">−2</td>' in bay_ngan
    assert '<td class="num crit" data-label="Trừ điểm">0</td>' in tan_hoa
    assert communes.count("line-90") == 1  # the first row under the line, and only it
    assert communes.index('data-code="TT-BAY-NGAN"') < communes.index("line-90")
    assert "dưới 90 điểm" in communes
    assert "Phân định 2 đơn vị cùng 105 điểm" in html


def test_the_tie_break_form_records_the_council_order_and_resolves_the_tie(tie, personas, client_for):
    rita = personas["reviewer"]
    reason = "Thị trấn Một Ngàn có mô hình tổ hỗ trợ nộp hồ sơ được tỉnh biểu dương."
    response = client_for(rita).post(reverse("tie-break"), {
        "group": "commune", "total": "105", "order": "tt-mot-ngan, X-TAN-HOA", "reason": reason}, follow=True)
    assert "Đã ghi nhận thứ tự do Hội đồng quyết định." in response.content.decode()

    tie_break = TieBreak.objects.get()
    assert (tie_break.codes, tie_break.total, tie_break.reason, tie_break.decided_by) == (
        ["TT-MOT-NGAN", "X-TAN-HOA"], 105, reason, rita)
    event = AuditEvent.objects.get(action="tie_break.recorded")
    assert event.actor == rita
    assert event.after["codes"] == ["TT-MOT-NGAN", "X-TAN-HOA"]

    by_code = cards(tie)
    assert (by_code["TT-MOT-NGAN"].rank, by_code["X-TAN-HOA"].rank, by_code["TT-BAY-NGAN"].rank) == (1, 2, 3)
    assert by_code["X-TAN-HOA"].tie_resolved and by_code["TT-MOT-NGAN"].tie_resolved
    html = response.content.decode()
    communes = html.split('data-group="commune"', 1)[1].split("</table>", 1)[0]
    assert communes.index('data-code="TT-MOT-NGAN"') < communes.index('data-code="X-TAN-HOA"')
    assert "bằng điểm</span>" not in communes
    assert communes.count(">đã phân định</span>") == 2  # beside the rank
    assert communes.count(">Hội đồng đã phân định</span>") == 2  # beside the name, on a phone
    assert "Phân định 2 đơn vị" not in html


def test_a_tie_break_posted_without_its_group_and_total_asks_to_reload_the_page(tie, personas, client_for):
    response = client_for(personas["reviewer"]).post(reverse("tie-break"), {
        "order": "TT-MOT-NGAN, X-TAN-HOA", "reason": "Kết quả nổi bật được huyện ghi nhận."}, follow=True)
    html = response.content.decode()
    assert html.count("Trang Xếp hạng đã cũ; hãy tải lại trang rồi ghi nhận lại quyết định của Hội đồng.") == 1
    assert "Trường này là bắt buộc." not in html and not TieBreak.objects.exists()


@pytest.mark.parametrize(("order", "reason", "message"), [
    ("X-TAN-HOA, TT-BAY-NGAN", "Kết quả nổi bật được huyện ghi nhận.",
     "Thứ tự phải gồm đúng các đơn vị đang bằng điểm: TT-MOT-NGAN, X-TAN-HOA."),
    ("X-TAN-HOA", "Kết quả nổi bật được huyện ghi nhận.", "mỗi đơn vị một lần"),
    ("X-TAN-HOA, TT-MOT-NGAN, TT-BAY-NGAN", "Kết quả nổi bật được huyện ghi nhận.",
     "Thứ tự phải gồm đúng các đơn vị đang bằng điểm"),
    ("X-TAN-HOA, TT-MOT-NGAN", "Tốt hơn", "Lý do quá ngắn (ít nhất 10 ký tự)."),
    ("X-TAN-HOA, TT-MOT-NGAN", "", "Vui lòng ghi lý do của Hội đồng."),
])
def test_a_tie_break_with_the_wrong_units_or_a_short_reason_is_rejected(tie, personas, client_for, order, reason,
                                                                       message):
    response = client_for(personas["reviewer"]).post(reverse("tie-break"), {
        "group": "commune", "total": "105", "order": order, "reason": reason}, follow=True)
    assert message in response.content.decode()
    assert not TieBreak.objects.exists()
    assert not AuditEvent.objects.filter(action="tie_break.recorded").exists()
    assert cards(tie)["X-TAN-HOA"].tie_resolved is False


def test_the_service_also_refuses_an_order_that_is_not_the_tied_set(tie, personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="đúng các đơn vị đang bằng điểm"):
        tie_break_record(campaign=tie, actor=personas["reviewer"], group="commune",
                         codes=["X-TAN-HOA", "TT-BAY-NGAN"], total=105, reason="Kết quả nổi bật được huyện ghi nhận.")
    with pytest.raises(ValidationError, match="Không có các đơn vị bằng 103 điểm"):
        tie_break_record(campaign=tie, actor=personas["reviewer"], group="commune",
                         codes=["TT-BAY-NGAN", "X-TAN-HOA"], total=103, reason="Kết quả nổi bật được huyện ghi nhận.")
    assert not TieBreak.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_recording_the_same_tie_break_at_once_leave_one_order_in_force(tie, personas):
    # Two tabs, or two reviewers, send the council's order at the same moment: the one recorded last
    # supersedes the other (PostgreSQL: the second did not see the first's uncommitted order, both were in force).
    def record(codes):
        tie_break_record(campaign=tie, actor=personas["reviewer"], group="commune", codes=codes, total=105,
                         reason="Hội đồng xét khâu tổ chức thực hiện và kết quả nổi bật.")

    assert at_once(lambda: record(["X-TAN-HOA", "TT-MOT-NGAN"]), lambda: record(["TT-MOT-NGAN", "X-TAN-HOA"])) == [
        None, None]
    assert list(TieBreak.objects.filter(superseded=False).values_list("codes", flat=True)) == [
        ["TT-MOT-NGAN", "X-TAN-HOA"]]
    assert TieBreak.objects.count() == 2 == AuditEvent.objects.filter(action="tie_break.recorded").count()
    assert [c.code for c in campaign_result(tie).scorecards if c.total == 105] == ["TT-MOT-NGAN", "X-TAN-HOA"]


def test_a_month_not_over_is_ranked_as_of_today_without_missing_penalties(campaign, personas, client_for,
                                                                           settings):
    from thidua.awards.selectors import year_end_standing

    for month in ("2021-06", "2021-07", "2021-08", "2021-09", "2021-10"):
        submit(campaign, personas["commune_reporter"], month, on=date(int(month[:4]), int(month[5:]), 20))
    settings.THIDUA_NOW = "2021-11-22T09:00:00+07:00"  # November's report is due on the 25th
    page = client_for(personas["reviewer"]).get(reverse("rankings") + "?thang=2021-11").content.decode()
    assert "tính đến 22/11/2021" in page
    tan_hoa = next(c for c in campaign_result(campaign).scorecards if c.code == "X-TAN-HOA")
    assert tan_hoa.penalty == 0 and tan_hoa.status("2021-11").state != "missing"
    standing = year_end_standing(campaign)  # provisional: as of today, not projected to 18/12
    assert standing.provisional and standing.as_of == date(2021, 11, 22)
    year_end = client_for(personas["reviewer"]).get("/khen-thuong/cuoi-nam/").content.decode()
    assert "phong trào kết thúc ngày 18/12/2021, các tháng chưa đến hạn báo cáo chưa được tính" in year_end


@pytest.mark.parametrize(("now", "months", "last"), [
    ("2021-08-20T15:00:00+07:00", ["2021-06", "2021-07", "2021-08"], "tháng 8/2021"),
    ("2021-12-10T15:00:00+07:00", ["2021-06", "2021-07", "2021-08", "2021-09", "2021-10", "2021-11", "2021-12"],
     "tháng 12/2021"),
])
def test_the_monthly_history_ends_at_the_total_shown_with_the_current_month_provisional(
        campaign, personas, client_for, settings, now, months, last):
    alice = personas["commune_reporter"]
    for month in ("2021-06", "2021-07", "2021-08"):
        submit(campaign, alice, month, on=date(int(month[:4]), int(month[5:]), 20),
               new_accounts=300 * int(month[5:]))
    settings.THIDUA_NOW = now
    response = client_for(alice).get(reverse("unit-dashboard"))
    history = response.context["history"]
    assert [row.month for row in history] == months
    assert [row.provisional for row in history] == [False] * (len(months) - 1) + [True]
    assert history[-1].as_of == date.fromisoformat(now[:10])
    total = response.context["card"].total
    assert history[-1].card.total == total and history[-1].change == total - history[-2].card.total
    html = response.content.decode()
    row = html.split('data-testid="provisional-month"', 1)[1].split("</tr>", 1)[0]
    assert last in row and f"(tạm tính đến {now[8:10]}/{now[5:7]}/2021, tháng chưa kết thúc)" in row
    assert f'<td class="num" data-label="Tổng">{total}</td>' in row
    assert f'<div class="stat">{total}</div>' in html


def test_after_the_campaign_the_history_ends_at_its_last_day_and_nothing_is_provisional(
        campaign, personas, client_for, settings):
    submit(campaign, personas["commune_reporter"], "2021-06", on=date(2021, 6, 20))
    settings.THIDUA_NOW = "2022-01-05T09:00:00+07:00"
    response = client_for(personas["commune_reporter"]).get(reverse("unit-dashboard"))
    history = response.context["history"]
    assert history[-1].month == "2021-12" and history[-1].as_of == date(2021, 12, 18)
    assert history[-1].card.total == response.context["card"].total
    assert not any(row.provisional for row in history)
    html = response.content.decode()
    assert "tạm tính" not in html
    assert 'tháng 12/2021 <span class="small muted">(đến 18/12/2021, ngày kết thúc phong trào)' in html


def test_tied_units_are_listed_in_the_same_order_on_every_page_and_export(tie, personas, client_for):
    """Equal totals share a rank; the order among them is the result's own (the registry's order), never
    re-sorted by code on one page and not on another."""
    from thidua.awards.exports import rankings
    from thidua.units.models import Unit

    Unit.objects.filter(code="X-TAN-HOA").update(sort_order=1)  # before Thị trấn Một Ngàn, whose code sorts first
    result_order = [c.code for c in campaign_result(tie).scorecards if c.code in ("X-TAN-HOA", "TT-MOT-NGAN")]
    assert result_order == ["X-TAN-HOA", "TT-MOT-NGAN"]
    html = client_for(personas["reviewer"]).get(reverse("rankings")).content.decode()
    assert html.index('data-code="X-TAN-HOA"') < html.index('data-code="TT-MOT-NGAN"')
    sheets, _ = rankings(tie)
    communes = next(sheet for sheet in sheets if sheet.title == "Xã, thị trấn")
    codes = [row[1] for row in communes.rows if row[1] in ("X-TAN-HOA", "TT-MOT-NGAN")]
    assert codes == result_order


def test_the_tie_break_reason_names_the_levels_above_the_issuer(tie, personas, client_for):
    """Plan 211 (a district) breaks ties on results «được tỉnh, huyện công nhận»; a province's campaign on
    results recognised by the central government and the province."""
    from thidua.awards.services import district_officials_update

    client = client_for(personas["reviewer"])
    assert "kết quả nổi bật được tỉnh, huyện công nhận" in client.get(reverse("rankings")).content.decode()
    district_officials_update(campaign=tie, actor=personas["reviewer"], issuer_kind="central_city",
                              chairman_name="Trần Văn Chủ Tịch", head_of_home_affairs_name="Lê Thị Giám Đốc",
                              district="", province="Cần Thơ")
    page = client.get(reverse("rankings")).content.decode()
    assert "kết quả nổi bật được Trung ương, thành phố công nhận" in page and "tỉnh, huyện" not in page


def test_a_council_order_recorded_at_one_total_does_not_settle_a_new_tie_at_another(tie, personas):
    """The order was decided for the units tied at 105; both found untruthful twice since, they tie again at
    101: a tie the council has not looked at, flagged until it records an order for it."""
    from thidua.reports.models import Report
    from thidua.reports.services import report_mark_untruthful

    tie_break_record(campaign=tie, actor=personas["reviewer"], group="commune", codes=["TT-MOT-NGAN", "X-TAN-HOA"],
                     total=105, reason="Thị trấn Một Ngàn có mô hình được tỉnh biểu dương.")
    assert cards(tie)["X-TAN-HOA"].tie_resolved
    for code in ("TT-MOT-NGAN", "X-TAN-HOA"):
        for month in ("2021-07", "2021-08"):
            report_mark_untruthful(report=Report.objects.get(unit__code=code, month=month), actor=personas["reviewer"],
                                   reason="Phúc tra: số tài khoản không khớp với Cổng dịch vụ công.")
    by_code = cards(tie)
    assert (by_code["TT-MOT-NGAN"].total, by_code["X-TAN-HOA"].total) == (101, 101)
    assert (by_code["TT-MOT-NGAN"].rank, by_code["X-TAN-HOA"].rank) == (2, 2)
    assert by_code["X-TAN-HOA"].tie and not by_code["X-TAN-HOA"].tie_resolved
    tie_break_record(campaign=tie, actor=personas["reviewer"], group="commune", codes=["X-TAN-HOA", "TT-MOT-NGAN"],
                     total=101, reason="Xã Tân Hòa có sáng kiến được huyện công nhận.")
    by_code = cards(tie)
    assert (by_code["X-TAN-HOA"].rank, by_code["TT-MOT-NGAN"].rank) == (2, 3)
    assert by_code["X-TAN-HOA"].tie_resolved
