"""Portal figures per unit × month, the campaign's score source, and reconciliation flags."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.web.conftest import submit
from tests.web.portal.conftest import dossier
from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_update_options
from thidua.portal.selectors import flagged_reports, portal_months, report_reconciliation
from thidua.portal.services import portal_import
from thidua.reports.models import Report
from thidua.reports.selectors import campaign_result


@pytest.mark.django_db
def test_figures_count_online_level_3_4_dossiers_on_time_and_due(registry, dossier_csv):
    rows = [
        dossier("HS-1"),                                        # online, resolved on time
        dossier("HS-2", resolved="12/07/2021"),                 # online, resolved late
        dossier("HS-3", resolved="", due="20/07/2021"),         # not due yet on 15/07
        dossier("HS-4", channel="Trực tiếp"),                   # in person
        dossier("HS-5", level="Mức độ 2"),                      # online but level 2
    ]
    portal_import(path=dossier_csv(rows), kind="dossiers")
    months = portal_months(date(2021, 7, 15))
    july = months[(registry["X-TAN-HOA"].pk, "2021-07")]
    assert (july.online, july.on_time, july.due, july.received, july.received_online) == (3, 1, 2, 5, 4)
    assert july.in_person == 1


@pytest.mark.django_db
def test_the_portal_score_source_replaces_reported_figures(registry, campaign, personas, dossier_csv):
    alice = personas["commune_reporter"]
    submit(campaign, alice, "2021-07", date(2021, 7, 20), dossiers_online=400, resolved_on_time=10, due=10)
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(5)]), kind="dossiers")
    as_of = date(2021, 7, 31)
    reported = campaign_result(campaign, as_of=as_of).card("X-TAN-HOA")
    assert reported.criteria_points["dossiers"] > 0  # 400 reported dossiers pass the 200 threshold
    campaign_update_options(campaign=campaign, actor=personas["admin"], score_source="portal",
                            tolerance_percent=5)
    from_portal = campaign_result(campaign, as_of=as_of).card("X-TAN-HOA")
    assert from_portal.criteria_points["dossiers"] == 0  # the portal lists only 5


@pytest.mark.django_db
def test_portal_months_outside_the_reporting_months_are_not_scored(registry, campaign, personas, dossier_csv):
    """A portal export of the whole year: the dossiers received before June (Plan 211's first reporting month)
    are not added to what the units are scored on, as the reports never covered them."""
    campaign_update_options(campaign=campaign, actor=personas["admin"], score_source="portal", tolerance_percent=5)
    may = [dossier(f"HS-5-{i}", received="03/05/2021 08:00", due="10/05/2021", resolved="08/05/2021 10:00")
           for i in range(200)]
    july = [dossier(f"HS-7-{i}") for i in range(5)]
    portal_import(path=dossier_csv(may + july), kind="dossiers")
    card = campaign_result(campaign, as_of=date(2021, 7, 31)).card("X-TAN-HOA")
    assert card.criteria_points["dossiers"] == 0  # July's 5, not May's 200 with them
    assert "5 hồ sơ < 200" in next(c.explanation for c in card.criteria if c.key == "dossiers")
    assert portal_months(date(2021, 7, 31))[(registry["X-TAN-HOA"].pk, "2021-05")].online == 200  # kept, not scored


@pytest.mark.django_db
def test_a_report_far_from_the_portal_is_flagged_but_not_penalised(registry, campaign, personas, dossier_csv,
                                                                   client_for):
    alice = personas["commune_reporter"]
    report = submit(campaign, alice, "2021-07", date(2021, 7, 20), dossiers_online=40, resolved_on_time=3, due=3)
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(3)]), kind="dossiers")
    lines = {line.field: line for line in report_reconciliation(report)}
    assert lines["dossiers_online"].reported == 40 and lines["dossiers_online"].portal == 3
    assert lines["dossiers_online"].flagged
    assert not lines["due"].flagged
    assert report.pk in flagged_reports(campaign)
    card = campaign_result(campaign, as_of=date(2021, 7, 31)).card("X-TAN-HOA")
    assert all(p.kind != "untruthful" for p in card.penalties)  # only the reviewer's finding costs −2
    page = client_for(personas["reviewer"]).get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Chênh lệch vượt ngưỡng 5% được đánh dấu" in page
    # the portal's figures are those the unit could know at its deadline, not the month's whole list linked below
    assert ("Số liệu theo Cổng tính đến hạn báo cáo 25/07/2021: hồ sơ tiếp nhận, tài khoản tạo đến ngày đó; hồ sơ "
            "giải quyết hoặc quá hạn đến ngày đó. Danh sách hồ sơ trên Cổng gồm cả những hồ sơ của tháng sau hạn "
            "này.") in page


@pytest.mark.django_db
def test_the_comparison_names_online_dossiers_in_the_campaign_s_words(registry, campaign, personas, dossier_csv):
    report = submit(campaign, personas["commune_reporter"], "2021-07", date(2021, 7, 20), dossiers_online=3)
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(3)]), kind="dossiers")
    labels = {line.field: line.label for line in report_reconciliation(report)}
    assert labels["dossiers_online"] == "Hồ sơ trực tuyến mức độ 3, 4 tiếp nhận"
    campaign_update_options(campaign=campaign, actor=personas["admin"], score_source="reported", tolerance_percent=5,
                            online_wording="trực tuyến toàn trình, một phần")
    labels = {line.field: line.label for line in report_reconciliation(Report.objects.get(pk=report.pk))}
    assert labels["dossiers_online"] == "Hồ sơ trực tuyến toàn trình, một phần tiếp nhận"


@pytest.mark.django_db
def test_only_the_kinds_of_list_imported_for_the_month_are_compared(registry, campaign, personas, dossier_csv):
    alice = personas["commune_reporter"]
    report = submit(campaign, alice, "2021-07", date(2021, 7, 20), new_accounts=300, dossiers_online=3,
                    resolved_on_time=3, due=3)
    assert report_reconciliation(report) is None  # nothing imported yet: nothing to compare
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(3)]), kind="dossiers")
    lines = {line.field: line for line in report_reconciliation(report)}
    assert "new_accounts" not in lines  # no account list imported: 300 accounts are not "missing"
    assert not any(line.flagged for line in lines.values())
    assert report.pk not in flagged_reports(campaign)


@pytest.mark.django_db
def test_a_unit_absent_from_an_imported_list_counts_as_zero(registry, campaign, personas, dossier_csv):
    bob = personas["other_commune_reporter"]  # Thị trấn Một Ngàn, not in the file below
    report = submit(campaign, bob, "2021-07", date(2021, 7, 20), dossiers_online=40, resolved_on_time=3, due=3)
    portal_import(path=dossier_csv([dossier("HS-1")]), kind="dossiers")
    lines = {line.field: line for line in report_reconciliation(report)}
    assert lines["dossiers_online"].portal == 0 and lines["dossiers_online"].flagged


@pytest.mark.django_db
def test_with_the_portal_as_source_the_overview_counts_the_portal_lists(registry, campaign, personas, dossier_csv,
                                                                         settings):
    from thidua.reports.selectors import campaign_overview

    settings.THIDUA_NOW = "2021-08-10T09:00:00+07:00"
    submit(campaign, personas["commune_reporter"], "2021-07", date(2021, 7, 20), dossiers_online=400)
    campaign_update_options(campaign=campaign, actor=personas["admin"], score_source="portal", tolerance_percent=5)
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(3)] + [dossier("HS-X", channel="Trực tiếp")]),
                  kind="dossiers")
    campaign.refresh_from_db()  # as a page reads it
    overview = campaign_overview(campaign)
    july = overview.months[1]
    assert (july.total.online, july.total.in_person, july.total.units) == (3, 1, 1)  # the portal's, not the 400
    assert overview.source_label == "Số liệu từ Cổng dịch vụ công"


def _dossiers_in(months: list[str]) -> list:
    """Three online dossiers of Xã Tân Hòa received on the 3rd of each month ("YYYY-MM")."""
    return [dossier(f"HS-{month}-{i}", received=f"03/{month[5:]}/{month[:4]} 08:00", due=f"10/{month[5:]}/{month[:4]}",
                    resolved=f"08/{month[5:]}/{month[:4]} 10:00") for month in months for i in range(3)]


def _flagged_queries(campaign) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.portal import selectors

    selectors._FIGURES.clear()
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        flagged_reports(campaign)
    return len(queries)


@pytest.mark.django_db
def test_the_flags_read_the_portal_once_however_many_months_are_imported(registry, campaign, personas, dossier_csv):
    """A province's year is a million dossiers: the review matrix's flags count them in one pass over the
    portal's tables for all the months, not one pass per month."""
    alice = personas["commune_reporter"]
    months = ["2021-06", "2021-07", "2021-08", "2021-09"]
    reports = {month: submit(campaign, alice, month, f"{month}-20", dossiers_online=3 if month < "2021-08" else 40,
                             resolved_on_time=3, due=3) for month in months}
    portal_import(path=dossier_csv(_dossiers_in(months[:1]), name="thang-6.csv"), kind="dossiers")
    one_month = _flagged_queries(campaign)
    portal_import(path=dossier_csv(_dossiers_in(months), name="ca-nam.csv"), kind="dossiers")
    assert _flagged_queries(campaign) == one_month
    assert flagged_reports(campaign) == {reports["2021-08"].pk, reports["2021-09"].pk}


@pytest.mark.django_db
def test_the_flags_are_counted_again_only_after_a_change(registry, campaign, personas, dossier_csv):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice = personas["commune_reporter"]
    report = submit(campaign, alice, "2021-07", date(2021, 7, 20), dossiers_online=4, resolved_on_time=3, due=3)
    portal_import(path=dossier_csv(_dossiers_in(["2021-07"])), kind="dossiers")
    assert flagged_reports(campaign) == {report.pk}  # 4 against 3: 33% apart
    with CaptureQueriesContext(connection) as queries:
        assert flagged_reports(campaign) == {report.pk}
    assert not any("portal_dossier" in q["sql"] for q in queries.captured_queries)  # nothing imported: not counted
    campaign_update_options(campaign=campaign, actor=personas["admin"], score_source="reported", tolerance_percent=50,
                            online_wording=campaign.online_wording)
    campaign = Campaign.objects.get(pk=campaign.pk)  # as the next page reads it
    assert flagged_reports(campaign) == frozenset()  # the new tolerance counts at once
    submit(campaign, alice, "2021-07", date(2021, 7, 21), dossiers_online=9, resolved_on_time=9, due=9)
    assert flagged_reports(campaign) == {report.pk}  # so does a correction
    more = [dossier(f"HS-THEM-{i}", received="05/07/2021 08:00", due="12/07/2021", resolved="09/07/2021 10:00")
            for i in range(6)]
    portal_import(path=dossier_csv(more, name="them.csv"), kind="dossiers")
    assert flagged_reports(campaign) == frozenset()  # and a new import: 9 against 9


@pytest.mark.django_db
def test_each_months_portal_figures_are_those_as_of_its_own_date(registry, dossier_csv):
    from thidua.portal.selectors import portal_months_by_date

    rows = [
        *_dossiers_in(["2021-06", "2021-07"]),
        dossier("HS-LATE", received="24/07/2021 08:00", due="30/07/2021", resolved=""),
        dossier("HS-AFTER", received="27/07/2021 08:00", due="30/07/2021", resolved=""),
        dossier("HS-DUE", received="01/06/2021 08:00", due="05/06/2021", resolved="", channel="Trực tuyến"),
        dossier("HS-IN-PERSON", received="02/07/2021 08:00", channel="Trực tiếp"),
    ]
    portal_import(path=dossier_csv(rows), kind="dossiers")
    dates = {"2021-06": date(2021, 6, 4), "2021-07": date(2021, 7, 25)}
    together = portal_months_by_date(dates)
    apart = {}
    for month, as_of in dates.items():
        apart |= portal_months(as_of, months=[month])
    assert together == apart and together


@pytest.mark.django_db
def test_the_figures_on_several_days_are_those_of_each_day_alone(registry, dossier_csv):
    from thidua.portal.selectors import portal_months_on

    rows = [
        *_dossiers_in(["2021-06", "2021-07", "2021-08"]),
        dossier("HS-OPEN", received="24/07/2021 08:00", due="30/07/2021", resolved=""),
        dossier("HS-LATE", received="27/07/2021 08:00", due="28/07/2021", resolved="05/08/2021 09:00"),
        dossier("HS-IN-PERSON", received="02/07/2021 08:00", channel="Trực tiếp"),
        dossier("HS-LEVEL-2", received="02/08/2021 08:00", due="10/08/2021", resolved="09/08/2021 08:00",
                level="Mức độ 2"),
    ]
    portal_import(path=dossier_csv(rows), kind="dossiers")
    days = [date(2021, 6, 2), date(2021, 6, 30), date(2021, 7, 25), date(2021, 7, 31), date(2021, 8, 31)]
    months = ["2021-06", "2021-07", "2021-08"]
    together = portal_months_on(days, months)
    assert together == {day: portal_months(day, months=months) for day in days}
    assert together[date(2021, 6, 2)] == {}  # nothing received yet: no month, rather than months of zeros


@pytest.mark.django_db
def test_a_reports_comparison_counts_its_own_month_alone(registry, campaign, personas, dossier_csv):
    """A report's page compares it with the portal's figures of its unit and month: the count reads that month's
    dossiers only (the (unit, month) index), not every month of the unit's year (0.9 s on a province's million)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.portal.models import Dossier

    alice = personas["commune_reporter"]
    report = submit(campaign, alice, "2021-07", date(2021, 7, 20), dossiers_online=3, resolved_on_time=3, due=3)
    portal_import(path=dossier_csv(_dossiers_in(["2021-06", "2021-07"])), kind="dossiers")
    with CaptureQueriesContext(connection) as queries:
        lines = report_reconciliation(report)
    table = Dossier._meta.db_table
    counted = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert counted and all("'2021-07'" in sql for sql in counted), counted  # the month's own dossiers
    assert {line.field: line.portal for line in lines}["dossiers_online"] == 3
