"""Reads over the audit log."""

from __future__ import annotations

from django.db import connection

from thidua.core.models import AuditEvent


def recorded_actions() -> list[str]:
    """The actions the audit log holds, each once (the log's filter offers them).

    A loose index scan: from one action to the next through the (action, time) index, a few dozen lookups,
    rather than reading the hundreds of thousands of rows of a province's log for their distinct values."""
    qn = connection.ops.quote_name
    table, action = qn(AuditEvent._meta.db_table), qn("action")
    sql = (f"WITH RECURSIVE actions (action) AS ("
           f"SELECT MIN({action}) FROM {table} "
           f"UNION ALL SELECT (SELECT MIN(e.{action}) FROM {table} e WHERE e.{action} > a.action) "
           f"FROM actions a WHERE a.action IS NOT NULL) "
           f"SELECT action FROM actions WHERE action IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]
