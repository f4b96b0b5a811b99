"""Tổng quan: the campaign as a whole for leaders — totals per group and month from the scoring source, exact
shares, how many units reach the line, and a chart drawn on the server in integers."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from django.urls import reverse

from tests.web.conftest import submit
from thidua.reports.selectors import Totals, campaign_overview
from thidua.reports.views.overview import CHART_HEIGHT, chart

AUG_10 = "2021-08-10T09:00:00+07:00"


@pytest.fixture
def reported(settings, campaign, personas):
    """Tân Hòa reports June and July, Một Ngàn June, Tư pháp (a department) July; today is 10 August."""
    settings.THIDUA_NOW = AUG_10
    alice, bob, dana = personas["commune_reporter"], personas["other_commune_reporter"], personas["department_reporter"]
    submit(campaign, alice, "2021-06", date(2021, 6, 20), new_accounts=100, dossiers_online=30, dossiers_in_person=70,
           resolved_on_time=29, due=30)
    submit(campaign, alice, "2021-07", date(2021, 7, 20), new_accounts=50, dossiers_online=10, dossiers_in_person=10,
           resolved_on_time=10, due=10)
    submit(campaign, bob, "2021-06", date(2021, 6, 21), new_accounts=1, dossiers_online=2, dossiers_in_person=3,
           resolved_on_time=1, due=2)
    submit(campaign, dana, "2021-07", date(2021, 7, 22), new_accounts=7, dossiers_online=40, dossiers_in_person=0,
           resolved_on_time=40, due=40)
    return campaign


def test_the_overview_sums_each_month_and_group_exactly(reported):
    view = campaign_overview(reported)
    assert [m.month for m in view.months] == ["2021-06", "2021-07", "2021-08"]  # up to today's month
    june, july, august = view.months
    assert june.by_group["commune"] == Totals(accounts=101, online=32, on_time=30, due=32, in_person=73, units=2)
    assert june.by_group["department"] == Totals()
    assert july.total == Totals(accounts=57, online=50, on_time=50, due=50, in_person=10, units=2)
    assert august.total == Totals() and august.provisional and not july.provisional
    communes = next(g for g in view.groups if g.key == "commune")
    assert communes.totals.online_share == Fraction(42, 42 + 83)  # exact, never a float
    assert communes.totals.on_time_rate == Fraction(40, 42)
    assert view.total.accounts == 158 and view.total.dossiers == 42 + 83 + 40
    assert view.units == 22 and view.eligible == 0 and view.min_total == 90
    assert view.source_label == "Số liệu đơn vị tự báo cáo"


def test_a_unit_that_joined_later_is_not_counted_among_those_owing_the_months_before(reported):
    from thidua.units.models import Unit

    Unit.objects.filter(code="P-NOI-VU").update(first_month="2021-07")
    june, july, _ = campaign_overview(reported).months
    assert (june.owed, july.owed) == (21, 22)
    assert june.owed_by_group == {"department": 11, "commune": 10}  # Phòng Nội vụ owes nothing before July


def test_a_unit_that_reported_before_it_joined_is_counted_among_those_owing_as_its_figures_are(
        reported, personas, client_for):
    """Tân Hòa and Tư pháp set to join in July and August, though they reported June and July: their figures are in
    the sums, so they are among the units the month's figures are counted against (never «2/1» units)."""
    from thidua.units.models import Unit

    Unit.objects.filter(code="X-TAN-HOA").update(first_month="2021-07")
    Unit.objects.filter(code="P-TU-PHAP").update(first_month="2021-08")
    june, july, august = campaign_overview(reported).months
    assert (june.total.units, june.owed) == (2, 21)  # Tư pháp neither owes nor reported June
    assert (july.total.units, july.owed) == (2, 22)
    assert (august.total.units, august.owed) == (0, 22)
    page = client_for(personas["leader"]).get(reverse("overview")).content.decode()
    assert '<td class="num" data-label="Đơn vị có số liệu">2/21</td>' in page
    api = client_for(personas["leader"]).get("/api/v1/overview").json()
    assert [(m["total"]["units"], m["owed"]) for m in api["months"]] == [(2, 21), (2, 22), (0, 22)]


def test_a_unit_retired_later_keeps_its_figures_in_the_months_it_reported(reported, personas, client_for):
    """Tân Hòa merged into another commune in August (retired): the accounts and dossiers it reported in June and
    July were received in the district all the same; the months keep them (they vanished from the sums), and it is
    counted among the units of those months, not of the months after."""
    from thidua.campaigns.services import campaign_touch
    from thidua.units.models import Unit

    Unit.objects.filter(code="X-TAN-HOA").update(active=False)
    campaign_touch(campaign=reported)
    view = campaign_overview(reported)
    june, july, august = view.months
    assert june.by_group["commune"] == Totals(accounts=101, online=32, on_time=30, due=32, in_person=73, units=2)
    assert july.total == Totals(accounts=57, online=50, on_time=50, due=50, in_person=10, units=2)
    assert (june.owed, july.owed, august.owed) == (22, 22, 21)
    assert view.total.accounts == 158
    assert view.units == 21  # competing today
    page = client_for(personas["leader"]).get(reverse("overview")).content.decode()
    assert '<td class="num" data-label="Đơn vị có số liệu">2/22</td>' in page


def test_the_chart_draws_each_month_in_proportion_to_the_busiest(reported):
    drawn = chart(campaign_overview(reported))
    june, july, august = drawn["bars"]
    assert june["online_h"] + june["in_person_h"] == CHART_HEIGHT  # 105 dossiers, the busiest month
    assert july["online_h"] + july["in_person_h"] == 60 * CHART_HEIGHT // 105
    assert june["online_h"] == 32 * CHART_HEIGHT // 105 and july["share"] == "≈83,33%"
    assert august["online_h"] == august["in_person_h"] == 0 and august["share"] == ""
    assert drawn["top"] == "105"


def test_the_leader_reads_the_overview_from_the_menu(reported, personas, client_for):
    page = client_for(personas["leader"]).get(reverse("overview")).content.decode()
    assert '<a href="/tong-quan/">Tổng quan</a>' in page
    assert "Tỷ lệ hồ sơ trực tuyến" in page and "mục tiêu của Kế hoạch: 30–40%" in page
    assert '<td class="num" data-label="Đơn vị có số liệu">2/22</td>' in page
    assert "<svg" in page and "tháng 6/2021: 32 hồ sơ trực tuyến, 73 hồ sơ trực tiếp" in page
    assert "(đang diễn ra)" in page  # August, not over yet


def test_before_any_dossier_the_overview_says_so_instead_of_a_chart(settings, campaign, personas, client_for):
    settings.THIDUA_NOW = AUG_10
    page = client_for(personas["leader"]).get(reverse("overview")).content.decode()
    assert "Chưa có hồ sơ nào trong các tháng báo cáo." in page and "<svg" not in page
    assert "—" in page  # no share to show


def test_the_overview_downloads_as_a_spreadsheet_with_the_same_figures(reported, personas, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(personas["leader"])
    book = load_workbook(io.BytesIO(client.get(reverse("export", args=["tong-quan", "xlsx"])).content))
    by_group, by_month = book.worksheets
    assert by_group.title == "Theo nhóm đến 10-08-2021" and by_month.title == "Theo tháng"
    rows = {row[0]: row for row in by_group.iter_rows(min_row=2, values_only=True)}
    communes = rows["Xã, thị trấn"]
    assert communes[1:6] == (10, 0, 151, 42, 83)
    assert str(communes[6]) == "33.6"  # 42 of 125, a percentage cut to two decimals: 33,60%
    june_all = next(r for r in by_month.iter_rows(min_row=2, values_only=True)
                    if r[0] == "tháng 6/2021" and r[1] == "Toàn phong trào")
    assert june_all[2:7] == (22, 2, 101, 32, 73)  # units owing June, units with figures, then the figures
    text = client.get(reverse("export", args=["tong-quan", "csv"])).content.decode("utf-8-sig")
    assert "tháng 7/2021,Toàn phong trào,22,2,57,50,10," in text


def test_the_office_reaches_the_overview_from_the_rankings_its_menu_being_full(reported, personas, client_for):
    client = client_for(personas["reviewer"])
    page = client.get(reverse("rankings")).content.decode()
    assert '<a href="/tong-quan/">Tổng quan phong trào</a>' in page
    assert '<li><a href="/tong-quan/">Tổng quan</a></li>' not in page
    assert client.get(reverse("overview")).status_code == 200
