"""The public leaderboard: no login, totals and ranks only, never the per-criterion detail."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from django.utils.html import escape

from tests.web.conftest import submit
from thidua.reports.selectors import campaign_result


def test_it_needs_no_login(campaign, client):
    response = client.get(reverse("public-leaderboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bảng xếp hạng thi đua dịch vụ công trực tuyến" in html
    assert "Xã Tân Hòa" in html and "Phòng Tư pháp" in html
    assert "Chỉ đơn vị đạt từ 90 điểm trở lên được xếp hạng" in html and f'href="{reverse("guide")}"' in html


def test_it_says_whether_the_results_are_provisional(campaign, client, settings):
    settings.THIDUA_NOW = "2021-11-10T09:00:00+07:00"
    assert "kết quả tạm tính đến 10/11/2021" in client.get(reverse("public-leaderboard")).content.decode()
    settings.THIDUA_NOW = "2022-01-05T09:00:00+07:00"
    assert "kết quả đến hết đợt thi đua, 18/12/2021" in client.get(reverse("public-leaderboard")).content.decode()


def test_it_shows_no_per_criterion_detail(campaign, personas, client):
    submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 27))
    card = next(c for c in campaign_result(campaign).scorecards if c.code == "X-TAN-HOA")
    html = client.get(reverse("public-leaderboard")).content.decode()
    for header in ("Kế hoạch</th>", "Thủ tục</th>", "Tài khoản</th>", "Hồ sơ</th>", "Tỷ lệ giải quyết", "Trừ điểm"):
        assert header not in html
    for criterion in card.criteria:
        assert escape(criterion.explanation) not in html
    for penalty in card.penalties:
        assert escape(penalty.explanation) not in html
    assert "/don-vi/" not in html  # no link to a unit's scorecard
    assert "Xã Tân Hòa" in html


def test_the_staff_rankings_do_show_the_detail_labelled_in_vietnamese(campaign, personas, client_for):
    html = client_for(personas["leader"]).get(reverse("rankings")).content.decode()
    labels = ("Kế hoạch", "Thủ tục", "Tài khoản", "Hồ sơ", "Tỷ lệ giải quyết")  # the rubric's own labels
    for label in (*labels, "Trừ điểm"):
        assert f'<th class="num">{label}</th>' in html
    row = re.search(r'<tr[^>]*data-code="X-TAN-HOA".*?</tr>', html, re.S).group(0)
    assert re.findall(r'data-label="([^"]+)"', row) == ["Hạng", "Đơn vị", *labels, "Trừ điểm", "Tổng điểm"]


def _row_total(html: str, code: str) -> str:
    row = re.search(rf'<tr[^>]*data-code="{code}".*?</tr>', html, re.S).group(0)
    return re.findall(r'data-label="Tổng điểm">(?:<strong>)?([^<]+)', row)[0]


def test_a_visitor_without_a_session_sees_a_new_score_at_once(campaign, personas, client):
    from thidua.reports.services import report_mark_untruthful

    report = submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))
    first = client.get(reverse("public-leaderboard"))
    assert "Cookie" in first["Vary"]
    total = campaign_result(campaign).card("X-TAN-HOA").total
    assert _row_total(first.content.decode(), "X-TAN-HOA") == str(total)
    report_mark_untruthful(report=report, actor=personas["reviewer"], reason="Phúc tra: số liệu không khớp Cổng.")
    again = client.get(reverse("public-leaderboard")).content.decode()
    assert _row_total(again, "X-TAN-HOA") == str(total - 2).replace("-", "−")


def test_a_signed_in_user_gets_the_page_with_their_own_menu(campaign, personas, client_for):
    html = client_for(personas["reviewer"]).get(reverse("public-leaderboard")).content.decode()
    assert "Đăng xuất" in html and "Nhập số liệu Cổng" in html


def test_a_group_with_no_unit_at_90_points_says_so_above_the_line(campaign, personas, client, client_for, settings):
    # early June 2021: nothing reported yet, every unit under 90 points (was: a red line atop grey rows, unsaid)
    settings.THIDUA_NOW = "2021-06-10T09:00:00+07:00"
    html = client.get(reverse("public-leaderboard")).content.decode()
    assert html.count("Chưa có đơn vị nào đạt từ 90 điểm để được xếp hạng.") == 2  # departments, communes
    staff = client_for(personas["leader"]).get(reverse("rankings")).content.decode()
    assert staff.count("Chưa có đơn vị nào đạt từ 90 điểm để được xếp hạng.") == 2
    assert re.search(r'<td colspan="9"[^>]*>Chưa có đơn vị nào', staff)  # across rank, unit, six figures, total
