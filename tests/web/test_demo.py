"""seed_demo: idempotent, and it shows what the plan is about (late, missing, untruthful, a tie)."""

from __future__ import annotations

import pytest
from django.apps import apps

from thidua.demo import seed_demo
from thidua.reports.models import Report
from thidua.reports.selectors import campaign_result, submission_matrix
from thidua.units.models import User


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in
            {"core", "units", "campaigns", "reports"}}


@pytest.fixture
def demo(db):
    return seed_demo()


def cards(campaign):
    return {c.code: c for c in campaign_result(campaign).scorecards}


def test_seeding_twice_changes_nothing(demo):
    before = row_counts()
    assert before["reports.Report"] > 100 and before["core.AuditEvent"] > 100
    reports = list(Report.objects.order_by("pk").values("pk", "status", "untruthful", "current_id"))
    again = seed_demo()
    assert again.pk == demo.pk
    assert row_counts() == before
    assert list(Report.objects.order_by("pk").values("pk", "status", "untruthful", "current_id")) == reports


def test_it_has_a_user_for_every_role(demo):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"admin", "reviewer", "leader", "reporter"}
    assert User.objects.get(username="x-tan-hoa").unit.code == "X-TAN-HOA"
    assert User.objects.get(username="noivu").is_reviewer


def test_it_has_a_missing_report_late_reports_and_an_untruthful_one(demo):
    _, rows = submission_matrix(demo, as_of=demo.rubric.campaign.end)
    states = [(unit.code, cell.month, cell.state) for unit, cells in rows for cell in cells]
    assert ("X-TRUONG-LONG-TAY", "2021-10", "missing") in states
    late = {(code, month) for code, month, state in states if state == "late"}
    assert {("TT-MOT-NGAN", "2021-07"), ("X-NHON-NGHIA-A", "2021-09"), ("P-TAI-CHINH-KH", "2021-10")} <= late
    assert list(Report.objects.filter(untruthful=True).values_list("unit__code", "month")) == [
        ("TT-CAI-TAC", "2021-08")]

    by_code = cards(demo)
    assert [(p.kind, p.points) for p in by_code["TT-MOT-NGAN"].penalties] == [("late", -2)]
    assert [(p.kind, p.points) for p in by_code["X-NHON-NGHIA-A"].penalties] == [("late", -5)]
    assert [(p.kind, p.points) for p in by_code["TT-CAI-TAC"].penalties] == [("untruthful", -2)]
    assert [(p.kind, p.points) for p in by_code["X-TRUONG-LONG-TAY"].penalties] == [("missing", -5)]


def test_x_tan_hoa_and_tt_rach_goi_tie_at_125_among_eligible_communes(demo):
    by_code = cards(demo)
    tan_hoa, rach_goi = by_code["X-TAN-HOA"], by_code["TT-RACH-GOI"]
    assert (tan_hoa.total, rach_goi.total) == (125, 125)
    assert tan_hoa.eligible and rach_goi.eligible
    assert tan_hoa.rank == rach_goi.rank == 4
    assert tan_hoa.tie and rach_goi.tie and not tan_hoa.tie_resolved
    others = [c for c in by_code.values() if c.group == "commune" and c.total == 125]
    assert {c.code for c in others} == {"X-TAN-HOA", "TT-RACH-GOI"}


def test_the_demo_closes_june_to_october_and_leaves_a_returned_report(demo):
    from thidua.campaigns.models import MonthSnapshot

    assert list(MonthSnapshot.objects.values_list("month", flat=True)) == [
        "2021-06", "2021-07", "2021-08", "2021-09", "2021-10"]
    returned = Report.objects.get(status="returned")
    assert (returned.unit.code, returned.month) == ("X-NHON-NGHIA-A", "2021-11")


def test_the_seeded_audit_log_is_dated_like_the_reports(demo):
    from thidua.core.models import AuditEvent

    report = Report.objects.get(unit__code="X-TAN-HOA", month="2021-11")
    submitted = AuditEvent.objects.get(action="report.submitted", object_id=str(report.pk))
    assert submitted.at == report.first_submitted_at
    assert AuditEvent.objects.filter(at__year__gt=2021).count() == 0  # nothing dated by the seeding's real time


def test_each_monthly_award_is_decided_after_its_month_closed_and_before_its_ceremony(demo):
    from django.utils import timezone

    from thidua.awards.models import MonthlyAward
    from thidua.campaigns.models import MonthSnapshot

    awards = list(MonthlyAward.objects.all())
    assert len(awards) == 5
    for award in awards:
        closed = MonthSnapshot.objects.get(campaign=demo, month=award.month).closed_at
        assert closed < award.decided_at and timezone.localdate(award.decided_at) < award.ceremony_date
        assert award.ceremony_date.weekday() == 0  # the Monday flag ceremony
