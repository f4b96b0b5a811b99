from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_support import MONTHS

from thidua.scoring import (
    ReportInput,
    UnitInput,
    evaluate_snapshot,
    parse_snapshot,
    plan_211,
    score_campaign,
    score_unit,
)

RUBRIC = plan_211()
AS_OF = st.dates(min_value=date(2021, 6, 8), max_value=date(2021, 12, 31))
counts = st.integers(min_value=0, max_value=6000)


@st.composite
def reports(draw):
    out = []
    for month in MONTHS:
        if draw(st.booleans()):
            due = date(2021, int(month[5:]), 25)
            submitted = due + timedelta(days=draw(st.integers(min_value=-20, max_value=40)))
            out.append(ReportInput(month, submitted, draw(st.booleans())))
    return tuple(out)


@st.composite
def units(draw, code="U"):
    rate = None
    resolved = due = None
    kind = draw(st.sampled_from(["rate", "counts", "none"]))
    if kind == "rate":
        rate = Decimal(draw(st.integers(min_value=0, max_value=10000))) / 100
    elif kind == "counts":
        due = draw(st.integers(min_value=0, max_value=500))
        resolved = draw(st.integers(min_value=0, max_value=due))
    return UnitInput(code, code, draw(st.sampled_from(["commune", "department"])), draw(st.booleans()),
                     draw(counts), draw(counts), draw(counts), rate, resolved, due, draw(reports()))


def more(unit, field, extra):
    values = {f: getattr(unit, f) for f in UnitInput.__dataclass_fields__}
    values[field] += extra
    return UnitInput(**values)


@settings(max_examples=150, deadline=None)
@given(units(), st.sampled_from(["procedures", "accounts", "dossiers"]), st.integers(min_value=1, max_value=800),
       AS_OF)
def test_more_procedures_accounts_or_dossiers_never_lower_a_score(unit, field, extra, as_of):
    before = score_unit(RUBRIC, unit, as_of)
    after = score_unit(RUBRIC, more(unit, field, extra), as_of)
    assert after.total >= before.total
    assert after.criteria_points[field] >= before.criteria_points[field]


@settings(max_examples=150, deadline=None)
@given(units(), st.integers(min_value=0, max_value=10000), st.integers(min_value=0, max_value=10000))
def test_a_higher_rate_never_lowers_the_resolution_points(unit, a, b):
    lo, hi = sorted((a, b))
    pts = [score_unit(RUBRIC, UnitInput(unit.code, unit.name, unit.group, unit.plan, unit.procedures,
                                        unit.accounts, unit.dossiers, Decimal(x) / 100), date(2021, 12, 18))
           .criteria_points["resolution"] for x in (lo, hi)]
    assert pts[0] <= pts[1]


@settings(max_examples=150, deadline=None)
@given(units(), AS_OF)
def test_penalties_are_never_positive_and_the_total_adds_up(unit, as_of):
    card = score_unit(RUBRIC, unit, as_of)
    assert all(p.points < 0 for p in card.penalties)
    assert card.penalty <= 0
    assert card.total == sum(card.criteria_points.values()) + card.penalty
    assert card.eligible == (card.total >= 90)
    assert len(card.statuses) == 6
    # one note per criterion, one per penalty, pending warnings, and the total line
    pending = sum(s.state == "pending" for s in card.statuses)
    assert len(card.notes) == 5 + len(card.penalties) + pending + 1


@settings(max_examples=100, deadline=None)
@given(units(), AS_OF, AS_OF)
def test_a_later_as_of_never_reduces_the_penalty_of_the_same_figures(unit, a, b):
    early, late = sorted((a, b))
    assert score_unit(RUBRIC, unit, late).penalty <= score_unit(RUBRIC, unit, early).penalty or any(
        r.submitted and early < r.submitted <= late for r in unit.reports)


@settings(max_examples=80, deadline=None)
@given(st.lists(units(), min_size=1, max_size=25), AS_OF)
def test_rank_order_agrees_with_totals(unit_list, as_of):
    unit_list = [UnitInput(f"U{i}", u.name, u.group, u.plan, u.procedures, u.accounts, u.dossiers,
                           u.resolution_rate, u.resolved_on_time, u.due, u.reports) for i, u in enumerate(unit_list)]
    result = score_campaign(RUBRIC, unit_list, as_of)
    for group in ("commune", "department"):
        cards = [c for c in result.scorecards if c.group == group]
        ranked = [c for c in cards if c.rank is not None]
        assert all(c.eligible for c in ranked) and all(not c.eligible for c in cards if c.rank is None)
        for x in ranked:
            for y in ranked:
                if x is y:
                    continue
                if x.total > y.total:
                    assert x.rank < y.rank
                elif x.total == y.total:
                    assert x.rank == y.rank and x.tie and y.tie
            assert x.rank == 1 + sum(y.total > x.total for y in ranked)


def _as_json(unit):
    out = {"code": unit.code, "name": unit.name, "group": unit.group, "plan": unit.plan,
           "procedures": unit.procedures, "accounts": unit.accounts, "dossiers": unit.dossiers,
           "reports": [{"month": r.month, "submitted": r.submitted.isoformat(), "untruthful": r.untruthful}
                       for r in unit.reports]}
    if unit.resolution_rate is not None:
        out["resolution_rate"] = unit.resolution_rate
    if unit.due is not None:
        out["resolved_on_time"], out["due"] = unit.resolved_on_time, unit.due
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(units(), min_size=1, max_size=15))
def test_the_one_pass_cli_path_gives_the_same_result_as_the_typed_api(unit_list):
    unit_list = [UnitInput(f"U{i}", u.name, u.group, u.plan, u.procedures, u.accounts, u.dossiers,
                           u.resolution_rate, u.resolved_on_time, u.due,
                           tuple(r for r in u.reports if r.submitted <= date(2021, 12, 18)))
                 for i, u in enumerate(unit_list)]
    data = {"as_of": "2021-12-18", "units": [_as_json(u) for u in unit_list]}
    expected = score_campaign(RUBRIC, unit_list, date(2021, 12, 18))
    assert evaluate_snapshot(data) == expected
    assert parse_snapshot(data).score() == expected
    assert parse_snapshot(data).units == tuple(unit_list)
