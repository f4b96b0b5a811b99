"""GET /api/v1/rankings: the RULES.md contract, without notes for the public, in full for staff."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from tests.web.conftest import submit

URL = "/api/v1/rankings"
PUBLIC_FIELDS = {"code", "name", "group", "total", "eligible", "rank", "tie"}
CONTRACT_FIELDS = {"code", "group", "criteria", "penalty", "total", "eligible", "rank", "tie", "notes"}


def assert_all_numbers_are_integers(value):
    if isinstance(value, dict):
        for item in value.values():
            assert_all_numbers_are_integers(item)
    elif isinstance(value, list):
        for item in value:
            assert_all_numbers_are_integers(item)
    else:
        assert not isinstance(value, float), value


def response_text(body) -> str:
    return json.dumps(body, ensure_ascii=False)


@pytest.fixture
def standing(campaign, personas):
    submit(campaign, personas["commune_reporter"], "2021-06", date(2021, 6, 24))
    submit(campaign, personas["other_commune_reporter"], "2021-07", date(2021, 7, 27))
    return campaign


def test_it_shows_the_public_the_standing_in_the_contract_shape(standing):
    response = Client().get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"campaign", "as_of", "units", "awards"}
    assert body["campaign"] == standing.code
    assert body["as_of"] == "2021-08-10"
    assert {"communes", "departments"} <= set(body["awards"])
    codes = {unit["code"] for unit in body["units"]}
    assert {"X-TAN-HOA", "TT-MOT-NGAN", "P-TU-PHAP"} <= codes


def test_it_gives_the_public_only_the_leaderboard_fields_and_no_notes(standing):
    body = Client().get(URL).json()

    for unit in body["units"]:
        assert set(unit) == PUBLIC_FIELDS
    assert "notes" not in response_text(body)
    assert "criteria" not in response_text(body)


def test_it_gives_a_reporter_the_public_view_too(standing, personas, client_for):
    body = client_for(personas["commune_reporter"]).get(URL).json()

    assert all(set(unit) == PUBLIC_FIELDS for unit in body["units"])


def test_it_gives_staff_the_full_contract_with_notes(standing, personas, client_for):
    body = client_for(personas["leader"]).get(URL).json()

    for unit in body["units"]:
        assert CONTRACT_FIELDS <= set(unit)
        assert set(unit) - CONTRACT_FIELDS == {"name"}
        assert set(unit["criteria"]) == {"plan", "procedures", "accounts", "dossiers", "resolution"}
    late = next(u for u in body["units"] if u["code"] == "TT-MOT-NGAN")
    assert any("2021-07" in note and "trễ 2 ngày" in note for note in late["notes"])
    assert late["penalty"] < 0


def test_it_agrees_with_the_scoring_contract(standing, personas, client_for):
    from thidua.reports.selectors import campaign_result

    body = client_for(personas["reviewer"]).get(URL).json()
    contract = campaign_result(standing).to_contract()

    assert [{k: v for k, v in u.items() if k != "name"} for u in body["units"]] == contract["units"]
    assert body["awards"] == json.loads(json.dumps(contract["awards"]))


def test_it_writes_every_number_as_an_integer(standing, personas, client_for):
    for body in (Client().get(URL).json(), client_for(personas["admin"]).get(URL).json()):
        assert_all_numbers_are_integers(body)
        for unit in body["units"]:
            assert type(unit["total"]) is int
            assert unit["rank"] is None or type(unit["rank"]) is int


def test_it_says_in_vietnamese_when_no_campaign_is_running(db):
    response = Client().get(URL)

    assert response.status_code == 404
    assert response.json() == {"detail": "Chưa có phong trào thi đua nào đang áp dụng."}
