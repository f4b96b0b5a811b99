from dataclasses import replace
from datetime import date

import pytest
from scoring_support import END, other_rubric, unit

from thidua.scoring import (
    ReportInput,
    TieBreak,
    monthly_award_candidates,
    rank_scorecards,
    score_campaign,
    score_unit,
    year_end_awards,
)


def cards_with_totals(rubric, totals, group="commune"):
    return [replace(score_unit(rubric, unit(code, group), END), total=t, eligible=t >= 90) for code, t in totals]


def awards(rubric, totals, group="commune", tie_breaks=(), as_of=END):
    ranked = rank_scorecards(rubric, cards_with_totals(rubric, totals, group), tie_breaks)
    return year_end_awards(rubric, ranked, as_of)


def test_three_eligible_communes_take_the_three_places_with_their_prizes(rubric):
    got = awards(rubric, [("A", 130), ("B", 120), ("C", 110), ("D", 100), ("E", 80)])
    assert got["communes"] == [
        {"place": 1, "code": "A", "prize_vnd": 10_000_000, "bonus_points": 15, "individuals": 5},
        {"place": 2, "code": "B", "prize_vnd": 7_000_000, "bonus_points": 10, "individuals": 4},
        {"place": 3, "code": "C", "prize_vnd": 5_000_000, "bonus_points": 5, "individuals": 3},
    ]
    assert got["departments"] == {"collectives": [], "individuals": 15}
    assert "provisional" not in got


def test_fewer_than_three_eligible_communes_give_fewer_places(rubric):
    got = awards(rubric, [("A", 95), ("B", 89), ("C", 60)])
    assert [e["code"] for e in got["communes"]] == ["A"]
    assert awards(rubric, [("B", 89)])["communes"] == []


def test_a_tie_at_first_place_holds_the_places_as_pending_without_prize(rubric):
    got = awards(rubric, [("A", 120), ("B", 120), ("C", 110), ("D", 100)])
    assert got["communes"] == [
        {"place": 1, "codes": ["A", "B"], "pending": True},
        {"place": 3, "code": "C", "prize_vnd": 5_000_000, "bonus_points": 5, "individuals": 3},
    ]


def test_a_tie_across_third_place_is_pending(rubric):
    got = awards(rubric, [("A", 130), ("B", 120), ("C", 110), ("D", 110), ("E", 105)])
    assert got["communes"][2] == {"place": 3, "codes": ["C", "D"], "pending": True}
    assert len(got["communes"]) == 3


def test_a_tie_below_third_place_does_not_touch_the_awards(rubric):
    got = awards(rubric, [("A", 130), ("B", 120), ("C", 110), ("D", 100), ("E", 100)])
    assert [e.get("code") for e in got["communes"]] == ["A", "B", "C"]


def test_a_recorded_tie_break_turns_pending_places_into_prizes(rubric):
    tb = TieBreak("commune", ("B", "A"), "Biên bản họp Hội đồng: B có mô hình được tỉnh công nhận")
    got = awards(rubric, [("A", 120), ("B", 120), ("C", 110)], tie_breaks=[tb])
    assert [(e["place"], e["code"], e["prize_vnd"]) for e in got["communes"]] == [
        (1, "B", 10_000_000), (2, "A", 7_000_000), (3, "C", 5_000_000)]


def test_departments_take_up_to_seven_collectives(rubric):
    totals = [(f"P{i}", 200 - 10 * i) for i in range(10)]  # 200 … 110
    got = awards(rubric, totals, group="department")
    assert got["departments"] == {"collectives": [f"P{i}" for i in range(7)], "individuals": 15}


def test_departments_tied_across_the_seventh_place_are_pending(rubric):
    totals = [("P1", 150), ("P2", 140), ("P3", 130), ("P4", 120), ("P5", 110), ("P6", 100), ("P7", 100),
              ("P8", 100), ("P9", 95)]
    got = awards(rubric, totals, group="department")["departments"]
    assert got == {"collectives": ["P1", "P2", "P3", "P4", "P5"], "pending": ["P6", "P7", "P8"],
                   "individuals": 15}


def test_departments_tied_within_the_seven_are_certain(rubric):
    totals = [("P1", 150), ("P2", 150), ("P3", 130), ("P4", 95)]
    assert awards(rubric, totals, group="department")["departments"]["collectives"] == ["P1", "P2", "P3", "P4"]


def test_awards_are_provisional_before_the_campaigns_last_day(rubric):
    assert awards(rubric, [("A", 100)], as_of=date(2021, 12, 17))["provisional"] is True
    assert "provisional" not in awards(rubric, [("A", 100)], as_of=date(2021, 12, 18))


def _month_unit(code, accounts, july):
    reports = [ReportInput(m, date(2021, int(m[5:]), 20)) for m in ("2021-06", "2021-08", "2021-09")]
    if july is not None:
        reports.append(july)
    return unit(code, accounts=accounts, reports=reports)


def test_monthly_candidates_are_eligible_communes_on_time_and_truthful_best_first(rubric):
    units = [
        _month_unit("BEST-LATE", 2500, ReportInput("2021-07", date(2021, 7, 26))),
        _month_unit("UNTRUE", 2400, ReportInput("2021-07", date(2021, 7, 20), untruthful=True)),
        _month_unit("SECOND", 1700, ReportInput("2021-07", date(2021, 7, 25))),
        _month_unit("FIRST", 2000, ReportInput("2021-07", date(2021, 7, 10))),
        _month_unit("MISSING", 2600, None),
        _month_unit("LOW", 1000, ReportInput("2021-07", date(2021, 7, 1))),
        unit("DEPT", "department", accounts=3000),
    ]
    result = score_campaign(rubric, units, date(2021, 9, 30))
    assert [c.code for c in monthly_award_candidates(rubric, result.scorecards, "2021-07")] == ["FIRST", "SECOND"]


def test_monthly_candidates_need_a_reporting_month(rubric):
    with pytest.raises(ValueError):
        monthly_award_candidates(rubric, [], "2021-12")


def test_another_rubric_names_its_own_awards_and_places():
    r = other_rubric()
    def u(code, group, dossiers, accounts=1000):
        # 10 + (12 + 3·1) + (25 + 4·⌊(a − 1000)/250⌋) + (20 + 2·⌊(d − T)/25⌋) + (8 + 1·⌊(96 − 95,5)/0,5⌋)
        return unit(code, group, procedures=4, dossiers=dossiers, accounts=accounts, rate=96, reports=())

    units = [u("W1", "ward", 300, 1250), u("W2", "ward", 300), u("C1", "commune", 120),
             u("G1", "agency", 80), u("G2", "agency", 105), u("G3", "agency", 130)]
    result = score_campaign(r, units, date(2022, 1, 5))
    assert [(c.code, c.total) for c in result.scorecards] == [
        ("W1", 83), ("W2", 79), ("C1", 79), ("G3", 83), ("G2", 81), ("G1", 79)]
    aw = result.to_contract()["awards"]
    assert set(aw) == {"wards", "communes", "agencies", "provisional"}
    assert [e["code"] for e in aw["wards"]] == ["W1", "W2"]
    assert aw["wards"][0]["prize_vnd"] == 8_000_000
    assert aw["communes"] == [{"place": 1, "code": "C1", "prize_vnd": 6_000_000, "bonus_points": 0,
                               "individuals": 0}]
    assert aw["agencies"] == {"collectives": ["G3", "G2"], "individuals": 4}
