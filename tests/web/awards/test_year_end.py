"""Year-end places from the final standing: prize, bonus, quota; pending on a tie; fewer places;
the recorded list; the budget."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.web.awards.conftest import break_tie, report
from thidua.awards.models import DossierItem, YearEndProposal
from thidua.awards.selectors import budget, year_end_standing
from thidua.awards.services import year_end_list_record
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_communes_take_places_one_to_three_with_prize_bonus_and_quota(standing):
    s = year_end_standing(standing)
    assert [(p.place, p.cards[0].code, p.prize_vnd, p.bonus_points, p.individuals) for p in s.places] == [
        (1, "TT-CAI-TAC", 10_000_000, 15, 5),
        (2, "TT-MOT-NGAN", 7_000_000, 10, 4),
        (3, "X-TAN-HOA", 5_000_000, 5, 3),
    ]
    assert not s.pending
    departments = s.collectives[0]
    assert [c.code for c in departments.certain] == ["BP-MOT-CUA", "P-TU-PHAP"]
    assert departments.max_collectives == 7 and departments.individuals == 15


def test_a_tie_holds_the_place_as_pending_without_prize_until_the_tie_break(campaign, personas, client_for):
    report(campaign, "TT-CAI-TAC", accounts=2000)
    report(campaign, "TT-MOT-NGAN", accounts=2000)
    report(campaign, "X-TAN-HOA", accounts=1800)
    s = year_end_standing(campaign)
    assert s.pending and s.places[0].pending and s.places[0].place == 1
    assert {c.code for c in s.places[0].cards} == {"TT-CAI-TAC", "TT-MOT-NGAN"}
    page = client_for(personas["reviewer"]).get("/khen-thuong/cuoi-nam/").content.decode()
    assert "Chờ phân định bằng điểm" in page
    _, total = budget(campaign)
    assert total == 6_000_000 + 5_000_000  # places 1 and 2 wait for the council
    with pytest.raises(ValidationError, match="chờ phân định"):
        year_end_list_record(campaign=campaign, actor=personas["reviewer"])

    break_tie(campaign, personas["reviewer"], "commune", ["TT-MOT-NGAN", "TT-CAI-TAC"], 115)
    s = year_end_standing(campaign)
    assert not s.pending
    assert [(p.place, p.cards[0].code, p.prize_vnd) for p in s.places] == [
        (1, "TT-MOT-NGAN", 10_000_000), (2, "TT-CAI-TAC", 7_000_000), (3, "X-TAN-HOA", 5_000_000)]
    assert s.places[0].cards[0].tie_resolved


def test_fewer_than_three_eligible_communes_give_fewer_places(campaign, personas):
    report(campaign, "TT-CAI-TAC", accounts=2000)
    report(campaign, "TT-MOT-NGAN", accounts=1900)
    report(campaign, "X-TAN-HOA", accounts=300, dossiers=40)  # far below 90
    s = year_end_standing(campaign)
    assert [p.place for p in s.places] == [1, 2] and s.empty_places == [3]
    rows, total = budget(campaign)
    assert total == 6_000_000 + 10_000_000 + 7_000_000
    assert rows[-1].note == "Không có đơn vị đạt"


def test_the_budget_of_plan_211_is_28_million_when_every_place_is_awarded(standing, personas, client_for):
    rows, total = budget(standing)
    assert total == 28_000_000
    assert (rows[0].quantity, rows[0].unit_vnd) == (6, 1_000_000)
    page = client_for(personas["leader"]).get("/khen-thuong/").content.decode()
    assert "28.000.000 đ" in page


def test_the_reviewer_records_the_proposal_list_with_its_dossier_and_it_is_audited(standing, personas, client_for):
    response = client_for(personas["reviewer"]).post("/khen-thuong/cuoi-nam/chot/")
    assert response.status_code == 302
    rows = list(YearEndProposal.objects.order_by("position").values_list("unit__code", "place", "prize_vnd",
                                                                         "individuals_quota"))
    assert rows == [("TT-CAI-TAC", 1, 10_000_000, 5), ("TT-MOT-NGAN", 2, 7_000_000, 4),
                    ("X-TAN-HOA", 3, 5_000_000, 3), ("BP-MOT-CUA", None, 0, None), ("P-TU-PHAP", None, 0, None)]
    assert DossierItem.objects.count() == 5 * 3
    assert AuditEvent.objects.filter(action="year_end.list_recorded").count() == 1
    with pytest.raises(ValidationError, match="đã được chốt"):
        year_end_list_record(campaign=standing, actor=personas["reviewer"])
