import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from scoring_support import other_rubric, other_rubric_data

from thidua.scoring import RubricError, load_rubric, plan_211, reporting_months
from thidua.scoring.rubric import CountCriterion, RateCriterion, YesNoCriterion, builtin_rubrics, get_rubric


def test_the_scoring_package_imports_without_django():
    code = "import sys, thidua.scoring, thidua.scoring.cli; assert 'django' not in sys.modules, 'django imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_plan_211_is_the_chau_thanh_a_2021_campaign():
    r = plan_211()
    assert r.code == "chau-thanh-a-2021"
    assert "Châu Thành A" in r.name and "211/KH-UBND" in r.document
    assert (r.campaign.start, r.campaign.end) == (date(2021, 6, 8), date(2021, 12, 18))
    assert r.reports.months == ["2021-06", "2021-07", "2021-08", "2021-09", "2021-10", "2021-11"]
    assert r.reports.deadline_day == 25 and r.reports.deadline_shift == "none"
    assert [(b.min_days, b.max_days, b.points) for b in r.reports.late_bands] == [(1, 3, -2), (4, None, -5)]
    assert (r.reports.missing_after_days, r.reports.missing_points, r.reports.untruthful_points) == (4, -5, -2)
    assert r.eligibility.min_total == 90
    assert plan_211() is r  # cached


def test_plan_211_groups_have_vietnamese_labels_and_the_five_criteria():
    r = plan_211()
    assert r.groups["department"].label == "Phòng, ban, ngành huyện"
    assert r.groups["commune"].label == "Xã, thị trấn"
    for group in r.groups.values():
        assert [c.key for c in group.criteria] == ["plan", "procedures", "accounts", "dossiers", "resolution"]
        plan, procedures, accounts, dossiers, resolution = group.criteria
        assert isinstance(plan, YesNoCriterion) and plan.points_yes == 10
        assert isinstance(procedures, CountCriterion) and procedures.unit_word == "thủ tục"
        assert (procedures.threshold, procedures.base_points, procedures.zero_points) == (1, 15, -5)
        assert isinstance(accounts, CountCriterion) and accounts.unit_word == "tài khoản"
        assert (accounts.threshold, accounts.step, accounts.points_per_step) == (1500, 100, 5)
        assert isinstance(dossiers, CountCriterion) and dossiers.unit_word == "hồ sơ"
        assert isinstance(resolution, RateCriterion) and resolution.threshold == Decimal(98)
    assert r.groups["department"].criterion("dossiers").threshold == 150
    assert r.groups["commune"].criterion("dossiers").threshold == 200


def test_plan_211_awards_follow_the_plan():
    aw = plan_211().awards
    assert aw.monthly.groups == ["commune"] and aw.monthly.prize_vnd == 1_000_000 and aw.monthly.per_month == 1
    communes, departments = aw.year_end
    assert communes.key == "communes" and communes.group == "commune"
    assert [(p.place, p.prize_vnd, p.bonus_points, p.individuals) for p in communes.places] == [
        (1, 10_000_000, 15, 5), (2, 7_000_000, 10, 4), (3, 5_000_000, 5, 3)]
    assert departments.key == "departments" and departments.max_collectives == 7 and departments.individuals == 15
    budget = 6 * aw.monthly.prize_vnd + sum(p.prize_vnd for p in communes.places)
    assert budget == 28_000_000


def test_due_dates_are_the_25th_without_shift():
    r = plan_211()
    assert r.due_date("2021-07") == date(2021, 7, 25)  # a Sunday: no shift by default
    with pytest.raises(KeyError):
        r.due_date("2021-12")


def test_to_data_is_json_and_round_trips_through_load_rubric():
    r = plan_211()
    data = r.to_data()
    text = json.dumps(data, ensure_ascii=False)
    assert load_rubric(json.loads(text)) == r
    assert load_rubric(text) == r
    assert load_rubric(r.to_json()) == r


def test_the_second_rubric_round_trips_with_fractional_settings():
    r = other_rubric()
    data = r.to_data()
    assert data["groups"]["ward"]["criteria"][4]["threshold"] == "95.5"
    assert data["groups"]["ward"]["criteria"][4]["step"] == "0.5"
    assert load_rubric(json.loads(json.dumps(data))) == r


def test_a_rubric_can_be_loaded_from_a_path(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(other_rubric_data()), encoding="utf-8")
    assert load_rubric(path).code == "thu-nghiem-2022"
    assert load_rubric(str(path)).code == "thu-nghiem-2022"


def test_decimals_in_a_rubric_are_parsed_exactly_from_json_text():
    data = other_rubric_data()
    text = json.dumps(data).replace('"95.5"', "95.5")
    r = load_rubric(text)
    assert r.groups["ward"].criteria[4].threshold == Decimal("95.5")


def test_builtin_rubrics_are_found_by_campaign_code():
    assert "chau-thanh-a-2021" in builtin_rubrics()
    assert get_rubric("chau-thanh-a-2021") is plan_211()


def _error(data) -> RubricError:
    with pytest.raises(RubricError) as info:
        load_rubric(data)
    return info.value


def test_an_invalid_threshold_names_its_field_path():
    data = plan_211().to_data()
    data["groups"]["commune"]["criteria"][3]["threshold"] = -1
    err = _error(data)
    assert str(err).startswith("groups.commune.criteria[3].threshold: ")
    assert err.problems == [("groups.commune.criteria[3].threshold", "phải ≥ 0")]


def test_every_problem_of_a_rubric_is_reported():
    data = plan_211().to_data()
    del data["reports"]["deadline_day"]
    data["groups"]["department"]["criteria"][2]["type"] = "percent"
    data["groups"]["commune"]["criteria"][1]["step"] = "x"
    paths = [p for p, _ in _error(data).problems]
    assert "reports.deadline_day" in paths
    assert "groups.department.criteria[2]" in paths
    assert "groups.commune.criteria[1].step" in paths


def test_unknown_fields_and_wrong_types_are_refused():
    data = plan_211().to_data()
    data["eligibility"]["min_totl"] = 80
    data["eligibility"]["min_total"] = "90"
    problems = dict(_error(data).problems)
    assert "eligibility.min_totl" in problems
    assert problems["eligibility.min_total"] == "phải là số nguyên"


def test_cross_field_rules_are_checked():
    data = plan_211().to_data()
    data["reports"]["late_bands"] = [{"min_days": 2, "max_days": 3, "points": -2}]
    data["reports"]["months"] = ["2021-07", "2021-06", "2021-12"]
    data["awards"]["monthly"]["groups"] = ["ward"]
    data["awards"]["year_end"][1]["group"] = "agency"
    data["groups"]["commune"]["criteria"][2]["key"] = "procedures"
    data["groups"]["commune"]["criteria"][4]["threshold"] = 101
    paths = {p for p, _ in _error(data).problems}
    assert {"reports.late_bands[0].min_days", "reports.late_bands[0].max_days", "reports.months[1]",
            "reports.months[2]", "awards.monthly.groups[0]", "awards.year_end[1].group",
            "groups.commune.criteria[2].key", "groups.commune.criteria[4].threshold"} <= paths


def test_a_criterion_that_rewards_less_for_more_is_refused():
    data = plan_211().to_data()
    data["groups"]["commune"]["criteria"][1]["zero_points"] = 20
    assert [p for p, _ in _error(data).problems] == ["groups.commune.criteria[1].zero_points"]


def test_points_given_and_their_lines_are_never_negative():
    data = plan_211().to_data()
    data["eligibility"]["min_total"] = -5
    criteria = data["groups"]["commune"]["criteria"]
    negative = {"plan": "points_yes", "accounts": "threshold", "dossiers": "base_points",
                "resolution": "points_per_step"}
    for criterion in criteria:
        if criterion["key"] in negative:
            criterion[negative[criterion["key"]]] = -1
    problems = dict(_error(data).problems)
    assert problems.pop("eligibility.min_total").startswith("phải ≥ 0")
    assert {path.split("].")[1] for path in problems if problems[path].startswith("phải ≥ 0")} == set(
        negative.values()), problems


def test_malformed_rubric_json_is_a_rubric_error():
    assert "dòng 1" in str(_error("{ not json"))
    assert "không đọc được" in str(_error(Path("/nonexistent/rubric.json")))
    assert str(_error({"code": 5})).count(":") >= 1


def test_the_reporting_months_of_a_window_are_those_due_inside_it():
    rules = plan_211().reports
    assert reporting_months(rules, date(2021, 6, 8), date(2021, 12, 18)) == plan_211().reports.months
    assert reporting_months(rules, date(2026, 1, 26), date(2026, 3, 25)) == ["2026-02", "2026-03"]
    assert reporting_months(rules, date(2026, 12, 1), date(2027, 1, 31)) == ["2026-12", "2027-01"]
    assert reporting_months(rules, date(2026, 3, 26), date(2026, 4, 24)) == []
    shifted = rules.model_copy(update={"deadline_shift": "next_working_day", "deadline_day": 31})
    # 28 February 2026 is a Saturday: the report falls due on Monday 2 March, after the window
    assert reporting_months(shifted, date(2026, 2, 1), date(2026, 2, 28)) == []
    assert reporting_months(shifted, date(2026, 2, 1), date(2026, 3, 2)) == ["2026-02"]


def test_the_online_share_target_is_the_rubrics_own_and_optional():
    assert plan_211().online_share_target.text == "30–40%"
    data = plan_211().to_data()
    del data["online_share_target"]
    assert load_rubric(data).online_share_target is None
    data["online_share_target"] = {"min": 70}
    assert load_rubric(data).online_share_target.text == "từ 70%"
    data["online_share_target"] = {"min": 70, "max": 60}
    assert [p for p, _ in _error(data).problems] == ["online_share_target.max"]
