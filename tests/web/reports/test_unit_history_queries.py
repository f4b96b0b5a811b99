"""A unit's page shows its standing at the end of every month so far: it reads the reports once for all the
months, not once per month (twelve months of a province's 150 units)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.web.conftest import submit
from thidua.campaigns.models import Campaign
from thidua.reports import selectors
from thidua.reports.selectors import campaign_result, unit_history

pytestmark = pytest.mark.django_db

MONTHS = ["2021-06", "2021-07", "2021-08", "2021-09", "2021-10", "2021-11"]


@pytest.fixture
def reported(campaign, personas):
    for index, month in enumerate(MONTHS):
        for persona in ("commune_reporter", "other_commune_reporter", "department_reporter"):
            submit(campaign, personas[persona], month, f"{month}-{20 + index}", new_accounts=300 + 100 * index)
    return campaign


def _page_queries(client, on: str, *, cold: bool) -> int:
    with override_settings(THIDUA_NOW=f"{on}T09:00:00+07:00"):
        client.get("/don-vi/X-TAN-HOA/")
        if cold:
            selectors._RESULTS.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/don-vi/X-TAN-HOA/").status_code == 200
    return len(queries)


@pytest.fixture
def portal_source(reported, personas, tmp_path):
    """The campaign scored on the portal's lists, a few dossiers of Xã Tân Hòa in each month."""
    import csv

    from tests.web.portal.conftest import HEADER, dossier
    from thidua.campaigns.services import campaign_update_options
    from thidua.portal.services import portal_import

    rows = [dossier(f"HS-{month}-{i}", received=f"0{i + 1}/{month[5:]}/2021 08:00", due=f"1{i}/{month[5:]}/2021",
                    resolved=f"1{i}/{month[5:]}/2021 10:00") for month in MONTHS for i in range(3)]
    path = tmp_path / "ho-so.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([HEADER, *rows])
    portal_import(path=path, kind="dossiers")
    campaign_update_options(campaign=reported, actor=personas["admin"], score_source="portal",
                            tolerance_percent=5, online_wording=reported.online_wording)
    return Campaign.objects.get(pk=reported.pk)


@pytest.mark.parametrize("cold", [True, False])
@pytest.mark.parametrize("source", ["reported", "portal"])
def test_the_unit_page_asks_the_same_queries_after_two_months_as_after_six(reported, personas, client_for, cold,
                                                                           source, request):
    if source == "portal":
        request.getfixturevalue("portal_source")
    client = client_for(personas["reviewer"])
    assert _page_queries(client, "2021-07-31", cold=cold) == _page_queries(client, "2021-11-30", cold=cold)


@pytest.mark.parametrize("source", ["reported", "portal"])
def test_each_line_of_the_history_is_the_standing_as_of_its_day(reported, registry, source, request):
    if source == "portal":
        request.getfixturevalue("portal_source")
    with override_settings(THIDUA_NOW="2021-11-20T09:00:00+07:00"):
        history = unit_history(reported, registry["X-TAN-HOA"])
    assert [row.month for row in history] == MONTHS
    assert history[-1].provisional and history[-1].as_of == date(2021, 11, 20)
    for row in history:
        selectors._RESULTS.clear()
        alone = campaign_result(reported, as_of=row.as_of).card("X-TAN-HOA")
        assert (row.card.total, row.card.rank, row.card.penalty, row.card.criteria_points) == (
            alone.total, alone.rank, alone.penalty, alone.criteria_points)


def test_with_the_portal_as_source_the_overview_counts_the_portal_lists_once_per_change(portal_source, personas,
                                                                                        client_for):
    client = client_for(personas["leader"])
    with override_settings(THIDUA_NOW="2021-11-30T09:00:00+07:00"):
        assert client.get("/tong-quan/").status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/tong-quan/").status_code == 200
    assert not any("portal_dossier" in q["sql"] for q in queries.captured_queries)


def test_a_report_sent_does_not_count_the_portal_lists_again(portal_source, personas):
    """The standing is recomputed after every report sent; the portal's figures change only with an import."""
    with override_settings(THIDUA_NOW="2021-11-30T09:00:00+07:00"):
        before = campaign_result(portal_source).card("X-TAN-HOA")
    submit(portal_source, personas["commune_reporter"], "2021-11", "2021-11-26", new_accounts=5000)
    with override_settings(THIDUA_NOW="2021-11-30T09:00:00+07:00"), CaptureQueriesContext(connection) as queries:
        after = campaign_result(portal_source).card("X-TAN-HOA")
    assert any("reports_reportversion" in q["sql"] for q in queries.captured_queries)  # recomputed
    assert not any("portal_dossier" in q["sql"] for q in queries.captured_queries)
    assert after.criteria_points == before.criteria_points  # the portal's figures, not the report's


def test_report_list_asks_once_whether_the_campaign_is_applied(client, reported, personas):
    """The reporter's list of months checks each month's report against the campaign being applied: asked once for
    the page, not once per month (12 queries for a twelve-month campaign)."""
    client.force_login(personas["commune_reporter"])
    with override_settings(THIDUA_NOW="2021-11-30T09:00:00+07:00"):
        client.get("/bao-cao/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/bao-cao/").status_code == 200
    applied = [q for q in queries.captured_queries if '"active"' in q["sql"] and "ORDER BY" in q["sql"]]
    assert len(applied) <= 3, [q["sql"] for q in applied]
