"""A province's audit log holds hundreds of thousands of rows: the log's filters and a report's history are read
through an index, in the log's order, never by reading the whole table or sorting every matching row.

Checked on the database's own query plan for the queries the pages send (PostgreSQL told to avoid table scans
and sorts where it can, as it would on a large table; SQLite's plan says so itself)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import submit
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def _audit_queries(client, url: str, marker: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    found = [q["sql"] for q in queries.captured_queries
             if 'FROM "core_auditevent"' in q["sql"] and marker in q["sql"] and "COUNT(" not in q["sql"]]
    assert found
    return found


def _searched(plan: str, column: str) -> bool:
    """The plan finds the rows by an index on `column`, not by scanning the table."""
    if connection.vendor == "postgresql":
        return "Seq Scan" not in plan and re.search(rf"Index Cond: \(.*\b{column}\b", plan) is not None
    return re.search(rf"SEARCH core_auditevent USING (COVERING )?INDEX \w+ \({column}=", plan) is not None


def _sorted(plan: str) -> bool:
    return ("Sort" in plan) if connection.vendor == "postgresql" else ("TEMP B-TREE" in plan)


@pytest.fixture
def events(campaign, personas):
    for day in range(1, 11):
        submit(campaign, personas["commune_reporter"], "2021-07", date(2021, 7, 10 + day), new_accounts=day)
        AuditEvent.objects.create(action="auth.unlocked", summary="Mở khóa", unit_code="P-TU-PHAP")


@pytest.mark.parametrize(("query", "column"), [("hanh_dong=report.corrected", "action"),
                                                ("don_vi=X-TAN-HOA", "unit_code")])
def test_a_filter_of_the_audit_log_reads_its_page_from_an_index_in_order(events, personas, client_for, query,
                                                                         column):
    client = client_for(personas["reviewer"])
    value = query.split("=")[1]
    (sql,) = [s for s in _audit_queries(client, f"/nhat-ky/?{query}", f"'{value}'") if "LIMIT" in s]
    plan = _plan(sql)
    assert _searched(plan, column), plan
    assert not _sorted(plan), plan


def test_a_report_page_reads_its_history_from_an_index_in_order(events, campaign, personas, client_for):
    from thidua.reports.models import Report

    report = Report.objects.get(campaign=campaign, month="2021-07")
    sql, *_ = _audit_queries(client_for(personas["reviewer"]), f"/bao-cao/chi-tiet/{report.pk}/", '"object_id"')
    plan = _plan(sql)
    assert _searched(plan, "object_type"), plan
    assert not _sorted(plan), plan


def _full_reads(plan: str) -> list[str]:
    """The steps of a plan that read the audit log's table or one of its indexes whole."""
    if connection.vendor != "postgresql":
        return [line for line in plan.splitlines() if re.search(r"\bSCAN (core_auditevent|e)\b", line)]
    nodes = re.split(r"\n(?=\s*->)", plan)
    return [node for node in nodes if "core_auditevent" in node.splitlines()[0]
            and ("Seq Scan" in node or "Index Cond" not in node)]


def test_the_audit_logs_filter_lists_the_actions_without_reading_the_whole_log(events, personas, client_for):
    client = client_for(personas["reviewer"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/nhat-ky/").content.decode()
    (sql,) = [q["sql"] for q in queries.captured_queries if '"core_auditevent"' in q["sql"]
              and "LIMIT" not in q["sql"] and "COUNT(" not in q["sql"] and "options_changed" not in q["sql"]]
    assert not _full_reads(_plan(sql)), _plan(sql)
    from thidua.core.selectors import recorded_actions

    assert sorted(recorded_actions()) == sorted(set(AuditEvent.objects.values_list("action", flat=True)))
    assert 'value="auth.unlocked"' in page and 'value="report.corrected"' in page
