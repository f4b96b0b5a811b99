"""GET /api/v1/overview: the campaign as a whole (Tổng quan) for staff only, rates exact to the cut decimals."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.web.conftest import submit
from thidua.api.api import NOT_SIGNED_IN

URL = "/api/v1/overview"


@pytest.fixture
def reported(campaign, personas):
    submit(campaign, personas["commune_reporter"], "2021-06", date(2021, 6, 20), new_accounts=100, dossiers_online=30,
           dossiers_in_person=70, resolved_on_time=29, due=30)
    submit(campaign, personas["department_reporter"], "2021-07", date(2021, 7, 22), new_accounts=7,
           dossiers_online=2, dossiers_in_person=1, resolved_on_time=2, due=2)
    return campaign


@pytest.mark.parametrize("persona", ["reviewer", "leader", "admin"])
def test_staff_read_the_figures_per_group_and_month(reported, personas, client_for, persona):
    response = client_for(personas[persona]).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert (body["campaign"], body["as_of"], body["source"], body["units"], body["min_total"]) == (
        reported.code, "2021-08-10", "reported", 22, 90)
    assert [m["month"] for m in body["months"]] == ["2021-06", "2021-07", "2021-08"]
    june = body["months"][0]
    assert june["groups"]["commune"] == {"accounts": 100, "online": 30, "in_person": 70, "on_time": 29, "due": 30,
                                         "units": 1, "online_share_percent": "30.00", "on_time_percent": "96.66"}
    assert june["groups"]["department"]["online_share_percent"] is None  # no dossier yet: no share
    assert body["total"]["online_share_percent"] == "31.06"  # 32 of 103 = 31.067…: cut, not rounded
    assert body["months"][2]["provisional"] is True and body["months"][2]["owed"] == 22
    departments = next(g for g in body["groups"] if g["key"] == "department")
    assert (departments["units"], departments["totals"]["online"]) == (12, 2)


@pytest.mark.parametrize(("persona", "status"), [("commune_reporter", 403), ("outsider", 403)])
def test_reporters_cannot_read_it(reported, personas, client_for, persona, status):
    assert client_for(personas[persona]).get(URL).status_code == status


def test_anonymous_visitors_must_sign_in(reported):
    response = Client().get(URL)
    assert response.status_code == 401 and response.json() == {"detail": NOT_SIGNED_IN}
