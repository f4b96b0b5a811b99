"""score_campaign scores column by column and explains each card on first access: the same cards as
scoring unit by unit (score_unit), for Plan 211, the made-up rubric and a rubric with a custom figure."""

import copy
import threading
from dataclasses import asdict, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_support import END, other_rubric, unit

from thidua.scoring import (
    ReportInput,
    UnitInput,
    load_rubric,
    plan_211,
    rank_scorecards,
    score_campaign,
    score_unit,
)
from thidua.scoring.engine import _count_points_many, count_points
from thidua.scoring.rubric import CountCriterion

PLAN = plan_211()
OTHER = other_rubric()


def _custom_rubric():
    """Plan 211 whose commune group also counts a figure of its own (``trainings``), with a zero
    penalty and a threshold of 0."""
    data = copy.deepcopy(plan_211().to_data())
    data["code"] = "tuy-chinh"
    data["groups"]["commune"]["criteria"].append({
        "type": "count", "key": "training", "input": "trainings", "label": "Tập huấn", "unit_word": "lớp",
        "threshold": 0, "base_points": 1, "step": 2, "points_per_step": 3, "zero_points": -4,
    })
    return load_rubric(data)


CUSTOM = _custom_rubric()


@st.composite
def reports(draw, rubric):
    months = rubric.reports.months
    out = []
    for month in draw(st.lists(st.sampled_from(months), max_size=len(months) + 2)):  # repeats and gaps
        due = rubric.due_date(month)
        submitted = due + timedelta(days=draw(st.integers(min_value=-15, max_value=45)))
        out.append(ReportInput(month, draw(st.none() | st.just(submitted)), draw(st.booleans())))
    return tuple(out)


@st.composite
def units(draw, rubric, code):
    rate = resolved = due = None
    kind = draw(st.sampled_from(["rate", "counts", "none", "int"]))
    if kind == "rate":
        rate = Decimal(draw(st.integers(min_value=0, max_value=10000))) / 100
    elif kind == "int":
        rate = draw(st.integers(min_value=90, max_value=100))
    elif kind == "counts":
        due = draw(st.integers(min_value=0, max_value=300))
        resolved = draw(st.integers(min_value=0, max_value=due))
    group = draw(st.sampled_from(list(rubric.groups)))
    counts = st.integers(min_value=0, max_value=4000)
    extra = {"trainings": draw(st.integers(min_value=0, max_value=9))} if rubric is CUSTOM else {}
    return UnitInput(code, f"Đơn vị {code}", group, draw(st.booleans()), draw(st.integers(0, 12)), draw(counts),
                     draw(counts), rate, resolved, due, draw(reports(rubric)), extra)


@st.composite
def campaigns(draw):
    rubric = draw(st.sampled_from([PLAN, OTHER, CUSTOM]))
    first, last = rubric.due_date(rubric.reports.months[0]), rubric.campaign.end
    as_of = draw(st.dates(min_value=first - timedelta(days=20), max_value=last + timedelta(days=10)))
    n = draw(st.integers(min_value=1, max_value=20))
    return rubric, [draw(units(rubric, f"U{i}")) for i in range(n)], as_of


@settings(max_examples=200, deadline=None)
@given(campaigns())
def test_campaign_cards_are_the_unit_cards_ranked(campaign):
    rubric, unit_list, as_of = campaign
    result = score_campaign(rubric, unit_list, as_of)
    cards = {c.code: c for c in result.scorecards}
    assert len(cards) == len(unit_list)
    for u in unit_list:
        card = cards[u.code]
        assert "_scoring" in card.__dict__  # nothing explained yet: the totals came from the columns
        alone = score_unit(rubric, u, as_of)
        assert (card.total, card.eligible) == (alone.total, alone.eligible)
        assert card == replace(alone, rank=card.rank, tie=card.tie, tie_resolved=card.tie_resolved)
        assert "_scoring" not in card.__dict__ and "_unit" not in card.__dict__
        assert card.total == sum(card.criteria_points.values()) + card.penalty


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=20),
       st.integers(min_value=1, max_value=7), st.integers(min_value=0, max_value=9),
       st.integers(min_value=-9, max_value=9), st.none() | st.integers(min_value=-9, max_value=9),
       st.sets(st.integers(min_value=0, max_value=120), min_size=1))
def test_count_points_of_many_values_match_the_formula(threshold, base, step, per_step, below, zero, values):
    c = CountCriterion(type="count", key="k", label="K", unit_word="cái", threshold=threshold, base_points=base,
                       step=step, points_per_step=per_step, below_threshold_points=below, zero_points=zero)
    assert dict(_count_points_many(c, values)) == {v: count_points(c, v) for v in values}


def test_a_card_is_explained_on_first_access_and_behaves_as_an_explained_one():
    units_ = [unit("A", accounts=1700), unit("B", accounts=1500), unit("C", "department")]
    result = score_campaign(PLAN, units_, END)
    a = result.card("A")
    assert "_scoring" in a.__dict__
    assert a.notes[0].startswith("Kế hoạch:")  # the first access builds all four parts
    assert {"criteria", "penalties", "statuses", "notes"} <= a.__dict__.keys()
    b = result.card("B")
    assert asdict(b)["criteria"][2]["key"] == "accounts"  # asdict, as the API does
    assert "Tài khoản" in repr(result.card("C"))
    assert rank_scorecards(PLAN, result.scorecards) == list(result.scorecards)
    contract = {u["code"]: u for u in result.to_contract()["units"]}
    assert contract["A"]["notes"] == list(a.notes) and contract["A"]["rank"] == 1


def test_cards_explained_by_several_threads_at_once_agree():
    units_ = [unit(f"U{i}", accounts=1500 + i) for i in range(300)]
    cards = score_campaign(PLAN, units_, END).scorecards
    seen: list[list[tuple[str, ...]]] = [[], []]
    errors: list[BaseException] = []

    def read(out, attribute):
        try:
            for card in cards:
                getattr(card, attribute)
                out.append(card.notes)
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(seen[0], "criteria")),
               threading.Thread(target=read, args=(seen[1], "statuses"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    by_code = {u.code: u for u in units_}
    assert seen[0] == seen[1] == [score_unit(PLAN, by_code[c.code], END).notes for c in cards]


def test_campaign_errors_name_the_unit():
    bad_month = unit("B", reports=(ReportInput("2021-12", date(2021, 12, 1)),))
    with pytest.raises(ValueError, match="unit B: '2021-12' is not a reporting month"):
        score_campaign(PLAN, [unit("A"), bad_month], END)
    with pytest.raises(ValueError, match="unit W: unknown group 'ward'"):
        score_campaign(PLAN, [unit("A"), unit("W", "ward")], END)
    with pytest.raises(ValueError, match="duplicate unit code 'A'"):
        score_campaign(PLAN, [unit("A"), unit("A", "department")], END)


def test_a_repeated_month_counts_its_first_submission_in_a_campaign_too():
    june = [ReportInput("2021-06", date(2021, 6, 30)), ReportInput("2021-06", date(2021, 6, 20), True)]
    card = score_campaign(PLAN, [unit("A", reports=june)], END).card("A")
    alone = score_unit(PLAN, unit("A", reports=june), END)
    assert card.total == alone.total
    assert [p.kind for p in card.penalties if p.month == "2021-06"] == ["untruthful"]
