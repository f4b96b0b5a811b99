from dataclasses import replace
from datetime import date

import pytest
from scoring_support import other_rubric, unit

from thidua.scoring import ReportInput, score_campaign, score_unit

JUNE = ReportInput("2021-06", date(2021, 6, 25))


EXAMPLE_6 = (
    ReportInput("2021-06", date(2021, 6, 25)),
    ReportInput("2021-07", date(2021, 7, 27)),
    ReportInput("2021-08", date(2021, 8, 30)),
    ReportInput("2021-09", date(2021, 9, 20), untruthful=True),
    ReportInput("2021-11", date(2021, 11, 28)),
)


def test_example_6_penalties_over_the_campaign_add_up_to_minus_16(rubric):
    card = score_unit(rubric, unit(reports=EXAMPLE_6), date(2021, 12, 18))
    assert card.penalty == -16
    assert [(p.month, p.kind, p.points) for p in card.penalties] == [
        ("2021-07", "late", -2), ("2021-08", "late", -5), ("2021-09", "untruthful", -2),
        ("2021-10", "missing", -5), ("2021-11", "late", -2)]
    assert [s.state for s in card.statuses] == ["on_time", "late", "late", "on_time", "missing", "late"]
    assert card.total == 100 - 16
    assert "2021-07: trễ 2 ngày (−2)" in card.notes
    assert "2021-08: trễ 5 ngày (−5)" in card.notes
    assert "2021-09: báo cáo không trung thực (−2)" in card.notes
    assert "2021-10: không nộp báo cáo, đã quá hạn 54 ngày (−5)" in card.notes
    assert card.notes[-1] == "Tổng: 100 − 16 = 84 điểm (dưới 90 điểm: không được xếp hạng)"


def test_example_7_an_unsubmitted_report_two_days_overdue_is_pending_not_penalised(rubric):
    card = score_unit(rubric, unit(reports=EXAMPLE_6[:4]), date(2021, 10, 27))
    october = card.status("2021-10")
    assert october.state == "pending" and october.days_late == 2
    assert all(p.month != "2021-10" for p in card.penalties)
    assert card.status("2021-11").state == "not_due"
    assert card.penalty == -9
    warning = next(n for n in card.notes if n.startswith("2021-10"))
    assert "chưa trừ điểm" in warning and "29/10/2021" in warning


@pytest.mark.parametrize(("as_of_day", "state", "penalty"), [
    (24, "not_due", 0), (25, "not_due", 0), (26, "pending", 0), (28, "pending", 0), (29, "missing", -5),
    (31, "missing", -5),
])
def test_timeline_of_a_report_never_submitted(rubric, as_of_day, state, penalty):
    card = score_unit(rubric, unit(reports=()), date(2021, 10, as_of_day))
    assert card.status("2021-10").state == state
    assert sum(p.points for p in card.penalties if p.month == "2021-10") == penalty


@pytest.mark.parametrize(("submitted_day", "state", "penalty"), [
    (20, "on_time", 0), (25, "on_time", 0), (26, "late", -2), (28, "late", -2), (29, "late", -5), (31, "late", -5),
])
def test_timeline_of_a_report_submitted_on_a_given_day(rubric, submitted_day, state, penalty):
    reports = (ReportInput("2021-10", date(2021, 10, submitted_day)),)
    card = score_unit(rubric, unit(reports=reports), date(2021, 11, 1))
    status = card.status("2021-10")
    assert status.state == state
    assert status.days_late == max(0, submitted_day - 25)
    assert sum(p.points for p in card.penalties if p.month == "2021-10") == penalty


def test_a_submission_after_as_of_is_not_yet_known(rubric):
    reports = (ReportInput("2021-10", date(2021, 10, 27)),)
    assert score_unit(rubric, unit(reports=reports), date(2021, 10, 26)).status("2021-10").state == "pending"
    assert score_unit(rubric, unit(reports=reports), date(2021, 10, 27)).status("2021-10").state == "late"


def test_untruthful_costs_two_more_points_on_top_of_lateness(rubric):
    reports = (JUNE, ReportInput("2021-07", date(2021, 7, 27), untruthful=True))
    card = score_unit(rubric, unit(reports=reports), date(2021, 8, 1))
    assert [(p.kind, p.points) for p in card.penalties] == [("late", -2), ("untruthful", -2)]


def test_the_first_submission_counts_when_a_report_is_corrected(rubric):
    reports = (JUNE, ReportInput("2021-07", date(2021, 7, 24)), ReportInput("2021-07", date(2021, 7, 30)))
    card = score_unit(rubric, unit(reports=reports), date(2021, 8, 1))
    assert card.status("2021-07").state == "on_time" and card.penalty == 0


def test_a_report_for_a_month_outside_the_campaign_is_an_error(rubric):
    with pytest.raises(ValueError, match="not a reporting month"):
        score_unit(rubric, unit(reports=(ReportInput("2021-12", date(2021, 12, 1)),)), date(2021, 12, 18))


def test_penalties_before_the_first_due_date_are_nothing(rubric):
    card = score_unit(rubric, unit(reports=()), date(2021, 6, 10))
    assert card.penalty == 0 and {s.state for s in card.statuses} == {"not_due"}


def test_another_rubric_shifts_a_deadline_on_the_10th_to_the_next_working_day():
    r = other_rubric()
    assert r.due_date("2022-01") == date(2022, 1, 10)  # Monday
    assert r.due_date("2022-02") == date(2022, 2, 11)  # 10/02 is a listed holiday
    assert r.due_date("2022-04") == date(2022, 4, 11)  # 10/04 is a Sunday


def test_another_rubric_applies_its_own_late_bands_and_missing_rule():
    r = other_rubric()
    reports = (ReportInput("2022-01", date(2022, 1, 12)),  # 2 days: −1
               ReportInput("2022-02", date(2022, 2, 17)),  # 6 days after 11/02: −3
               ReportInput("2022-03", date(2022, 3, 17), untruthful=True))  # 7 days: −6, untruthful −4
    card = score_unit(r, unit(group="ward", reports=reports, dossiers=300, rate=96), date(2022, 4, 17))
    assert [(p.month, p.kind, p.points) for p in card.penalties] == [
        ("2022-01", "late", -1), ("2022-02", "late", -3), ("2022-03", "late", -6), ("2022-03", "untruthful", -4)]
    assert card.status("2022-04").state == "pending"  # 6 days past 11/04, missing only after 7
    card = score_unit(r, unit(group="ward", reports=reports, dossiers=300, rate=96), date(2022, 4, 18))
    assert card.status("2022-04").state == "missing" and card.penalty == -1 - 3 - 6 - 4 - 8



def _joined(first_month, reports):
    return replace(unit(reports=reports), first_month=first_month)


def test_a_unit_that_joined_mid_campaign_owes_no_report_for_the_months_before(rubric):
    late_comer = _joined("2021-09", [ReportInput("2021-09", date(2021, 9, 20)),
                                     ReportInput("2021-10", date(2021, 10, 27))])
    card = score_unit(rubric, late_comer, date(2021, 12, 18))
    assert [(s.month, s.state) for s in card.statuses] == [
        ("2021-06", "not_required"), ("2021-07", "not_required"), ("2021-08", "not_required"),
        ("2021-09", "on_time"), ("2021-10", "late"), ("2021-11", "missing")]
    assert [(p.month, p.kind, p.points) for p in card.penalties] == [("2021-10", "late", -2),
                                                                        ("2021-11", "missing", -5)]
    assert "2021-06: đơn vị tham gia thi đua từ 2021-09, không phải báo cáo tháng này" in card.notes
    assert card.total == 100 - 7
    # the same unit without the month it joined is charged for June to August as well
    assert score_unit(rubric, replace(late_comer, first_month=None), date(2021, 12, 18)).total == 100 - 7 - 15
    # scoring a whole campaign column by column gives the same total and statuses
    [ranked] = score_campaign(rubric, [late_comer], date(2021, 12, 18)).scorecards
    assert ranked.total == card.total and ranked.statuses == card.statuses


def test_a_unit_joined_before_the_first_reporting_month_is_scored_as_any_other(rubric):
    early = _joined("2021-01", ())
    assert score_unit(rubric, early, date(2021, 12, 18)).total == score_unit(
        rubric, unit(reports=()), date(2021, 12, 18)).total


@pytest.mark.parametrize("bad", ["2021-13", "2021-9", "tháng 9", 202109])
def test_first_month_must_be_a_month(bad):
    with pytest.raises(ValueError, match="first_month"):
        _joined(bad, ())
