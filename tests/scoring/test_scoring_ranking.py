from dataclasses import replace
from datetime import date

import pytest
from scoring_support import END, unit

from thidua.scoring import TieBreak, rank_scorecards, score_campaign, score_unit
from thidua.scoring.ranking import tie_groups


def with_total(rubric, code, total, group="commune"):
    """A scorecard of ``code`` with its total set to ``total`` (ranking only reads totals)."""
    return replace(score_unit(rubric, unit(code, group), END), total=total, eligible=total >= 90)


def test_example_8_exact_totals_112_112_97_89(rubric):
    cards = [with_total(rubric, "D", 89), with_total(rubric, "A", 112), with_total(rubric, "C", 97),
             with_total(rubric, "B", 112)]
    ranked = rank_scorecards(rubric, cards)
    assert [(c.code, c.rank, c.tie, c.eligible) for c in ranked] == [
        ("A", 1, True, True), ("B", 1, True, True), ("C", 3, False, True), ("D", None, False, False)]


def test_a_unit_at_exactly_90_after_penalties_is_ranked_and_one_below_is_not(rubric):
    from thidua.scoring import ReportInput
    late = (ReportInput("2021-06", date(2021, 6, 30)), ReportInput("2021-07", date(2021, 7, 30)))
    on_time = tuple(ReportInput(m, date(2021, int(m[5:]), 20)) for m in ("2021-08", "2021-09", "2021-10", "2021-11"))
    # 100 − 5 − 5 = 90; with one more day late somewhere it would be below
    result = score_campaign(rubric, [unit("P", reports=late + on_time),
                                     unit("Q", reports=late + on_time, rate="97.9", accounts=1600)], END)
    assert [(c.code, c.total, c.eligible, c.rank) for c in result.scorecards] == [
        ("P", 90, True, 1), ("Q", 85, False, None)]


def test_the_90_point_line_is_inclusive(rubric):
    ranked = rank_scorecards(rubric, [with_total(rubric, "Q", 89), with_total(rubric, "P", 90)])
    assert [(c.code, c.eligible, c.rank) for c in ranked] == [("P", True, 1), ("Q", False, None)]


def test_groups_are_ranked_separately(rubric):
    result = score_campaign(rubric, [unit("C1", "commune", accounts=1700), unit("D1", "department"),
                                     unit("C2", "commune")], END)
    assert [(c.code, c.rank) for c in result.scorecards] == [("D1", 1), ("C1", 1), ("C2", 2)]


def test_a_tie_is_never_broken_by_name_or_code(rubric):
    units = [unit("Z", name="An"), unit("A", name="Zeta"), unit("M", name="Minh")]
    result = score_campaign(rubric, units, END)
    assert {c.rank for c in result.scorecards} == {1}
    assert all(c.tie and not c.tie_resolved for c in result.scorecards)
    assert len(tie_groups(result.scorecards)) == 1


def test_a_recorded_tie_break_gives_consecutive_ranks_in_the_council_order(rubric):
    units = [unit("A", accounts=1800), unit("B"), unit("C"), unit("D")]
    tb = TieBreak("commune", ("D", "B", "C"), "Hội đồng xét thành tích nổi bật được huyện công nhận")
    result = score_campaign(rubric, units, END, [tb])
    assert [(c.code, c.rank, c.tie, c.tie_resolved) for c in result.scorecards] == [
        ("A", 1, False, False), ("D", 2, True, True), ("B", 3, True, True), ("C", 4, True, True)]
    assert tie_groups(result.scorecards) == []


def test_a_stale_tie_break_is_ignored_and_the_tie_shows_again(rubric):
    units = [unit("A"), unit("B"), unit("C")]
    tb = TieBreak("commune", ("B", "A"), "lý do cũ")
    result = score_campaign(rubric, units, END, [tb])
    assert [(c.rank, c.tie, c.tie_resolved) for c in result.scorecards] == [(1, True, False)] * 3


def test_a_tie_break_decided_at_one_total_does_not_order_the_same_units_tied_at_another(rubric):
    at_112 = TieBreak("commune", ("B", "A"), "Hội đồng xét khi cùng 112 điểm", total=112)
    at_97 = TieBreak("commune", ("A", "B"), "Hội đồng xét khi cùng 97 điểm", total=97)
    tied_at_97 = [with_total(rubric, "A", 97), with_total(rubric, "B", 97)]
    assert [(c.code, c.rank, c.tie, c.tie_resolved) for c in rank_scorecards(rubric, tied_at_97, [at_112])] == [
        ("A", 1, True, False), ("B", 1, True, False)]
    both = [at_112, at_97]
    assert [(c.code, c.rank) for c in rank_scorecards(rubric, tied_at_97, both)] == [("A", 1), ("B", 2)]
    tied_at_112 = [with_total(rubric, "A", 112), with_total(rubric, "B", 112)]
    assert [(c.code, c.rank) for c in rank_scorecards(rubric, tied_at_112, both)] == [("B", 1), ("A", 2)]
    anywhere = TieBreak("commune", ("B", "A"), "thứ tự cho mọi mức điểm")  # no total: as the command takes it
    assert [(c.code, c.rank) for c in rank_scorecards(rubric, tied_at_97, [anywhere])] == [("B", 1), ("A", 2)]


def test_tie_breaks_need_two_codes_and_a_reason():
    with pytest.raises(ValueError):
        TieBreak("commune", ("A",), "x")
    with pytest.raises(ValueError):
        TieBreak("commune", ("A", "B"), "  ")


def test_ranking_is_competition_ranking_with_several_ties(rubric):
    totals = [("A", 120), ("B", 110), ("C", 110), ("D", 110), ("E", 100), ("F", 100), ("G", 95)]
    ranked = rank_scorecards(rubric, [with_total(rubric, c, t) for c, t in totals])
    assert [c.rank for c in ranked] == [1, 2, 2, 2, 5, 5, 7]


def test_duplicate_unit_codes_are_refused(rubric):
    with pytest.raises(ValueError, match="duplicate"):
        score_campaign(rubric, [unit("A"), unit("A")], date(2021, 12, 18))
