from decimal import Decimal
from fractions import Fraction

import pytest
from scoring_support import END, unit

from thidua.scoring import UnitInput, resolution_rate, score_unit


def points(rubric, **kw):
    return score_unit(rubric, unit(**kw), END).criteria_points


def criterion(rubric, key, **kw):
    card = score_unit(rubric, unit(**kw), END)
    return next(c for c in card.criteria if c.key == key)


def test_example_1_a_commune_at_every_threshold_scores_exactly_100(rubric):
    card = score_unit(rubric, unit(plan=True, procedures=1, accounts=1500, dossiers=200, rate=98), END)
    assert card.criteria_points == {"plan": 10, "procedures": 15, "accounts": 35, "dossiers": 30, "resolution": 10}
    assert card.total == 100 and card.penalty == 0 and card.eligible


def test_example_2_no_procedure_costs_five_points_and_four_earn_thirty(rubric):
    assert points(rubric, procedures=0)["procedures"] == -5
    assert points(rubric, procedures=4)["procedures"] == 30


@pytest.mark.parametrize(("accounts", "expected"), [(0, 0), (1499, 0), (1500, 35), (1599, 35), (1600, 40),
                                                    (2730, 95)])
def test_example_3_accounts(rubric, accounts, expected):
    assert points(rubric, accounts=accounts)["accounts"] == expected


@pytest.mark.parametrize(("group", "dossiers", "expected"), [
    ("department", 149, 0), ("department", 150, 30), ("department", 169, 30), ("department", 170, 35),
    ("commune", 199, 0), ("commune", 200, 30), ("commune", 219, 30), ("commune", 220, 35), ("commune", 262, 45),
])
def test_example_4_dossier_thresholds_differ_by_group(rubric, group, dossiers, expected):
    assert points(rubric, group=group, dossiers=dossiers)["dossiers"] == expected


@pytest.mark.parametrize(("rate", "expected"), [
    (Decimal("97.99"), 0), (98, 10), (Decimal("98.0"), 10), (Decimal("98.99"), 10), (99, 15),
    (Decimal("99.2"), 15), (Decimal("99.99"), 15), (100, 20), (0, 0),
])
def test_example_5_resolution_rate(rubric, rate, expected):
    assert points(rubric, rate=rate)["resolution"] == expected


def test_example_5_forty_nine_of_fifty_is_exactly_98_percent_and_earns_10(rubric):
    assert resolution_rate(49, 50) == 98
    c = criterion(rubric, "resolution", resolved=49, due=50)
    assert c.points == 10
    assert c.explanation == "Tỷ lệ giải quyết: 49/50 hồ sơ đúng hạn = 98% ≥ 98% → 10 điểm"


def test_a_rate_a_hair_below_98_percent_earns_nothing(rubric):
    assert points(rubric, resolved=9799, due=10000)["resolution"] == 0
    assert points(rubric, rate=Fraction(9799999, 100000))["resolution"] == 0


@pytest.mark.parametrize("group", ["commune", "department"])
def test_every_criterion_boundary_in_both_groups(rubric, group):
    t = 200 if group == "commune" else 150
    assert points(rubric, group=group, plan=False)["plan"] == 0
    assert points(rubric, group=group, plan=True)["plan"] == 10
    assert [points(rubric, group=group, procedures=n)["procedures"] for n in (0, 1, 2, 3)] == [-5, 15, 20, 25]
    assert [points(rubric, group=group, accounts=a)["accounts"] for a in (1499, 1500, 1599, 1600, 1699, 1700)] == [
        0, 35, 35, 40, 40, 45]
    assert [points(rubric, group=group, dossiers=d)["dossiers"] for d in (t - 1, t, t + 19, t + 20, t + 40)] == [
        0, 30, 30, 35, 40]
    assert [points(rubric, group=group, resolved=r, due=100)["resolution"] for r in (97, 98, 99, 100)] == [
        0, 10, 15, 20]


def test_resolution_rate_is_exact_and_undefined_when_nothing_is_due():
    assert resolution_rate(1, 3) == Fraction(100, 3)
    assert resolution_rate(0, 0) is None
    with pytest.raises(ValueError):
        resolution_rate(60, 50)
    with pytest.raises(ValueError):
        resolution_rate(-1, 5)


def test_an_undefined_rate_scores_zero_and_the_explanation_says_why(rubric):
    c = criterion(rubric, "resolution", resolved=0, due=0)
    assert c.points == 0
    assert "chưa có hồ sơ nào đến hạn giải quyết" in c.explanation and "không xác định" in c.explanation
    c = criterion(rubric, "resolution", rate=None)
    assert c.points == 0 and "không có số liệu" in c.explanation


def test_explanations_show_the_formula_with_vietnamese_numbers(rubric):
    card = score_unit(rubric, unit(procedures=4, accounts=1730, dossiers=262, rate="99.2"), END)
    assert card.notes[:5] == (
        "Kế hoạch: đã xây dựng Kế hoạch → 10 điểm",
        "Thủ tục: 4 thủ tục ≥ 1 → 15 + 5 × 3 = 30 điểm",
        "Tài khoản: 1.730 tài khoản ≥ 1.500 → 35 + 5 × 2 = 45 điểm",
        "Hồ sơ: 262 hồ sơ ≥ 200 → 30 + 5 × 3 = 45 điểm",
        "Tỷ lệ giải quyết: 99,2% ≥ 98% → 10 + 5 × 1 = 15 điểm",
    )
    assert card.notes[-1] == "Tổng: 145 điểm (đạt từ 90 điểm trở lên: được xếp hạng)"


def test_explanations_below_threshold_and_at_zero(rubric):
    assert criterion(rubric, "accounts", accounts=1499).explanation == "Tài khoản: 1.499 tài khoản < 1.500 → 0 điểm"
    assert criterion(rubric, "procedures", procedures=0).explanation == (
        "Thủ tục: 0 thủ tục (không đăng ký thủ tục nào) → −5 điểm")
    assert criterion(rubric, "plan", plan=False).explanation == "Kế hoạch: không xây dựng Kế hoạch → 0 điểm"
    assert criterion(rubric, "resolution", rate="97.5").explanation == "Tỷ lệ giải quyết: 97,5% < 98% → 0 điểm"


def test_each_count_criterion_names_its_next_milestone(rubric):
    assert criterion(rubric, "accounts", accounts=1763).next_milestone == "còn 37 tài khoản nữa để được thêm 5 điểm"
    assert criterion(rubric, "accounts", accounts=1300).next_milestone == "còn 200 tài khoản nữa để đạt 35 điểm"
    assert criterion(rubric, "accounts", accounts=1500).next_milestone == "còn 100 tài khoản nữa để được thêm 5 điểm"
    assert criterion(rubric, "dossiers", dossiers=262).next_milestone == "còn 18 hồ sơ nữa để được thêm 5 điểm"
    assert criterion(rubric, "procedures", procedures=0).next_milestone == "còn 1 thủ tục nữa để đạt 15 điểm"
    assert criterion(rubric, "procedures", procedures=3).next_milestone == "còn 1 thủ tục nữa để được thêm 5 điểm"


def test_rate_and_plan_milestones(rubric):
    assert criterion(rubric, "resolution", rate="99.2").next_milestone == "cần đạt 100% để được thêm 5 điểm"
    assert criterion(rubric, "resolution", rate=100).next_milestone is None
    assert criterion(rubric, "resolution", rate="90").next_milestone == "cần đạt 98% để được 10 điểm"
    assert criterion(rubric, "plan", plan=False).next_milestone == (
        "cần xây dựng Kế hoạch thực hiện dịch vụ công trực tuyến để được 10 điểm")
    assert criterion(rubric, "plan", plan=True).next_milestone is None


def test_unit_inputs_refuse_floats_and_inconsistent_figures():
    with pytest.raises(TypeError):
        UnitInput("A", "A", "commune", True, 1, 1, 1, resolution_rate=98.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        UnitInput("A", "A", "commune", True, 1, 1, 1, resolved_on_time=60, due=50)
    with pytest.raises(ValueError):
        UnitInput("A", "A", "commune", True, -1, 1, 1)
    with pytest.raises(ValueError):
        UnitInput("A", "A", "commune", True, 1, 1, 1, resolution_rate=Decimal("100.1"))
    with pytest.raises(ValueError):
        UnitInput("A", "A", "commune", True, 1, 1, 1, resolution_rate=99, resolved_on_time=1, due=1)
    with pytest.raises(TypeError):
        UnitInput("A", "A", "commune", "yes", 1, 1, 1)  # type: ignore[arg-type]


def test_an_unknown_group_is_an_error(rubric):
    with pytest.raises(ValueError, match="unknown group"):
        score_unit(rubric, unit(group="ward"), END)
