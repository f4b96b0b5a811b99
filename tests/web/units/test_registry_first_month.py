"""The registry file's «Tham gia thi đua từ tháng» column: the month a unit set up or merged mid-campaign joined
(it owes no report before; tests/web/reports/test_late_joiner.py)."""

from __future__ import annotations

import pytest

from tests.web.units.conftest import HEADER, unit
from thidua.scoring.text import parse_month
from thidua.units.models import Unit
from thidua.units.registry_file import render_template_file
from thidua.units.selectors import plan_rows, unit_registry_plan
from thidua.units.services import unit_registry_import

HEADER_WITH_MONTH = [*HEADER, "Tham gia thi đua từ tháng"]  # rows given with their STT


@pytest.mark.django_db
def test_the_registry_file_sets_and_clears_the_month_a_unit_joined(registry, registry_csv):
    rows = [[1, *unit("X-MOI", "Xã Mới", parent="CHAU-THANH-A"), "tháng 9/2021"],
            [2, *unit("X-TAN-HOA", "Xã Tân Hòa", parent="CHAU-THANH-A", order="15"), "01/10/2021"]]
    plan = unit_registry_plan(path=registry_csv(rows, header=HEADER_WITH_MONTH))
    change = next(r for r in plan_rows(plan) if r.code == "X-TAN-HOA")
    assert ("Tham gia thi đua từ tháng", "(từ đầu)", "tháng 10/2021") in change.details
    added = next(r for r in plan_rows(plan) if r.code == "X-MOI")  # a unit set up mid-campaign: its month shown
    assert ("Tham gia thi đua từ tháng", "", "tháng 9/2021") in added.details
    unit_registry_import(path=registry_csv(rows, header=HEADER_WITH_MONTH))
    assert dict(Unit.objects.filter(code__in=["X-MOI", "X-TAN-HOA"]).values_list("code", "first_month")) == {
        "X-MOI": "2021-09", "X-TAN-HOA": "2021-10"}
    rows[1][-1] = ""  # a blank cell: the unit takes part from the start
    unit_registry_import(path=registry_csv(rows, header=HEADER_WITH_MONTH))
    assert Unit.objects.get(code="X-TAN-HOA").first_month == ""


@pytest.mark.django_db
def test_a_month_that_is_not_one_is_a_row_error_naming_it(registry, registry_csv):
    rows = [[1, *unit("X-MOI", "Xã Mới", parent="CHAU-THANH-A"), "13/2021"]]
    plan = unit_registry_plan(path=registry_csv(rows, header=HEADER_WITH_MONTH))
    [error] = plan.errors
    assert error.row == 4 and "tháng tham gia thi đua «13/2021» không hợp lệ" in error.message
    assert not Unit.objects.filter(code="X-MOI").exists()


@pytest.mark.parametrize(("text", "month"), [
    ("09/2021", "2021-09"), ("9/2021", "2021-09"), ("tháng 9/2021", "2021-09"), ("Tháng 10/2021", "2021-10"),
    ("2021-09", "2021-09"), ("01/09/2021", "2021-09"), ("01/09/2021 00:00", "2021-09"),
    ("13/2021", None), ("2021-13", None), ("32/09/2021", None), ("0/2021", None), ("quý 3/2021", None)])
def test_months_are_read_as_vietnamese_offices_write_them(text, month):
    assert parse_month(text) == month


def test_the_template_explains_the_column():
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(render_template_file("mau-danh-muc-don-vi.xlsx")))
    assert "Tham gia thi đua từ tháng" in [c.value for c in book["Danh mục đơn vị"][1]]
    help_rows = {row[0]: row[2] for row in book["Hướng dẫn"].iter_rows(values_only=True)}
    assert "không phải báo cáo (không bị trừ điểm) các tháng trước đó" in help_rows["Tham gia thi đua từ tháng"]
