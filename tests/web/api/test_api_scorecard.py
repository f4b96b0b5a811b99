"""GET /api/v1/units/{code}/scorecard: a reporter sees their own unit, staff any unit."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.web.conftest import submit
from thidua.api.api import NOT_SIGNED_IN


def url(code: str) -> str:
    return f"/api/v1/units/{code}/scorecard"


@pytest.fixture
def reported(campaign, personas):
    submit(campaign, personas["commune_reporter"], "2021-06", date(2021, 6, 24))
    return campaign


def test_it_gives_a_reporter_the_scorecard_of_their_own_unit(reported, personas, client_for):
    response = client_for(personas["commune_reporter"]).get(url("X-TAN-HOA"))

    assert response.status_code == 200
    card = response.json()
    assert card["code"] == "X-TAN-HOA"
    assert card["name"] == "Xã Tân Hòa"
    assert card["group"] == "commune"
    assert card["as_of"] == "2021-08-10"
    assert [c["key"] for c in card["criteria"]] == ["plan", "procedures", "accounts", "dossiers", "resolution"]
    for criterion in card["criteria"]:
        assert set(criterion) == {"key", "label", "points", "explanation", "next_milestone"}
        assert type(criterion["points"]) is int
    assert card["criteria"][0]["points"] == 10
    assert {s["month"]: s["state"] for s in card["statuses"]} == {
        "2021-06": "on_time", "2021-07": "missing", "2021-08": "not_due", "2021-09": "not_due",
        "2021-10": "not_due", "2021-11": "not_due",
    }
    assert [(p["month"], p["kind"], p["points"]) for p in card["penalties"]] == [("2021-07", "missing", -5)]
    assert card["penalty"] == -5
    assert card["total"] == sum(c["points"] for c in card["criteria"]) + card["penalty"]
    assert card["eligible"] is False and card["rank"] is None and card["tie"] is False
    assert card["notes"] and all(isinstance(note, str) for note in card["notes"])


def test_it_refuses_a_reporter_the_scorecard_of_another_unit(reported, personas, client_for):
    response = client_for(personas["commune_reporter"]).get(url("TT-MOT-NGAN"))

    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn chỉ được xem số liệu của đơn vị mình."}


def test_it_refuses_a_user_without_a_unit(reported, personas, client_for):
    response = client_for(personas["outsider"]).get(url("X-TAN-HOA"))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["reviewer", "leader", "admin"])
def test_it_gives_staff_the_scorecard_of_any_unit(reported, personas, client_for, persona):
    response = client_for(personas[persona]).get(url("P-TU-PHAP"))

    assert response.status_code == 200
    assert response.json()["group"] == "department"


def test_it_asks_an_anonymous_visitor_to_sign_in(reported):
    response = Client().get(url("X-TAN-HOA"))

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}


def test_a_code_typed_in_lower_case_finds_the_unit(reported, personas, client_for):
    response = client_for(personas["leader"]).get(url("p-tu-phap"))

    assert response.status_code == 200
    assert response.json()["code"] == "P-TU-PHAP"


def test_it_answers_404_in_vietnamese_for_an_unknown_unit(reported, personas, client_for):
    response = client_for(personas["leader"]).get(url("KHONG-CO"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy đơn vị có mã «KHONG-CO»."}


def test_it_answers_404_for_a_unit_that_does_not_compete(reported, personas, client_for):
    response = client_for(personas["leader"]).get(url("CHAU-THANH-A"))

    assert response.status_code == 404
