"""GET /api/v1/reports/matrix: units × months for staff only."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.web.conftest import submit
from thidua.api.api import NOT_SIGNED_IN

URL = "/api/v1/reports/matrix"


@pytest.fixture
def reported(campaign, personas):
    on_time = submit(campaign, personas["commune_reporter"], "2021-06", date(2021, 6, 24))
    late = submit(campaign, personas["other_commune_reporter"], "2021-07", date(2021, 7, 28))
    return {"on_time": on_time, "late": late}


@pytest.mark.parametrize("persona", ["reviewer", "leader", "admin"])
def test_it_shows_staff_every_unit_and_month(reported, personas, client_for, persona):
    response = client_for(personas[persona]).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2021-08-10"
    assert body["months"] == ["2021-06", "2021-07", "2021-08", "2021-09", "2021-10", "2021-11"]
    rows = {row["code"]: row for row in body["units"]}
    assert rows["X-TAN-HOA"]["name"] == "Xã Tân Hòa"
    for row in body["units"]:
        assert [cell["month"] for cell in row["cells"]] == body["months"]


def test_it_describes_each_cell_with_the_plans_words(reported, personas, client_for):
    rows = {row["code"]: row for row in client_for(personas["reviewer"]).get(URL).json()["units"]}

    june = rows["X-TAN-HOA"]["cells"][0]
    assert june == {"month": "2021-06", "state": "on_time", "label": "Đúng hạn", "days_late": None,
                    "report_id": reported["on_time"].pk, "status": "submitted", "untruthful": False}
    july = rows["TT-MOT-NGAN"]["cells"][1]
    assert (july["state"], july["label"], july["days_late"]) == ("late", "Trễ 3 ngày", 3)
    assert july["report_id"] == reported["late"].pk
    assert rows["X-TAN-HOA"]["cells"][1]["state"] == "missing"
    assert rows["X-TAN-HOA"]["cells"][1]["report_id"] is None
    assert rows["X-TAN-HOA"]["cells"][2]["label"] == "Chưa đến hạn"


@pytest.mark.parametrize("persona", ["commune_reporter", "department_reporter", "outsider"])
def test_it_refuses_a_reporter(reported, personas, client_for, persona):
    response = client_for(personas[persona]).get(URL)

    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ lãnh đạo và cán bộ thẩm định được xem nội dung này."


def test_it_asks_an_anonymous_visitor_to_sign_in(reported):
    response = Client().get(URL)

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}
