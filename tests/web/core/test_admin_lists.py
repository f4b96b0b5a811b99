"""The admin's lists read each page in a fixed number of queries, however many rows it shows: a province's
audit log, its 150 units and their reporters are listed without a query per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.core.models import AuditEvent
from thidua.units.models import Unit, User

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_units(registry, count: int, start: int) -> None:
    parent = registry["X-TAN-HOA"].parent
    for i in range(start, start + count):
        unit = Unit.objects.create(code=f"X-MOI-{i}", name=f"Xã Mới {i}", level="commune", group="commune",
                                   parent=parent, sort_order=100 + i)
        User.objects.create_user(username=f"x-moi-{i}", role=User.Role.REPORTER, unit=unit)
        AuditEvent.objects.create(action="report.submitted", summary=f"Nộp báo cáo {i}", unit_code=unit.code,
                                  actor=User.objects.get(username=f"x-moi-{i}"))


@pytest.mark.parametrize("url", ["/quan-tri/core/auditevent/", "/quan-tri/units/unit/", "/quan-tri/units/user/"])
def test_an_admin_list_does_not_ask_the_database_once_per_row(registry, admin_client, url):
    _more_units(registry, 5, 0)
    few = _queries(admin_client, url)
    _more_units(registry, 15, 5)
    assert _queries(admin_client, url) == few
