"""Phúc tra: the true figures recorded with an untruthful finding, and a finding withdrawn (made in error, or the
unit's explanation accepted on re-examination), with what each does to the score, the report and the award."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import override_settings
from django.urls import reverse

from tests.web.conftest import submit
from thidua.core.models import AuditEvent
from thidua.reports.models import Report
from thidua.reports.selectors import campaign_result
from thidua.reports.services import ReportData, report_mark_untruthful, report_untruthful_withdraw

FINDING = "Phúc tra: số hồ sơ báo cáo cao hơn danh sách trên Cổng DVC."
WITHDRAWAL = "Đơn vị giải trình: danh sách trên Cổng thiếu 12 hồ sơ nộp qua bưu chính công ích, đã đối chiếu."


@pytest.fixture
def report(campaign, personas):
    return submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))


def card_of(campaign, code="X-TAN-HOA"):
    return next(c for c in campaign_result(campaign).scorecards if c.code == code)


def figures_of(report) -> tuple:
    v = Report.objects.get(pk=report.pk).current
    return v.number, v.new_accounts, v.dossiers_online, v.due, v.resolved_on_time, v.dossiers_in_person


def _true_figures(report, **changes) -> dict:
    v = report.current
    data = {"reason": FINDING, "correct": "on", "new_accounts": v.new_accounts, "dossiers_online": v.dossiers_online,
            "due": v.due, "resolved_on_time": v.resolved_on_time, "dossiers_in_person": v.dossiers_in_person}
    return {**data, **changes}


def test_the_finding_records_the_true_figures_as_a_new_version_that_scores(campaign, report, personas, client_for):
    """RULES.md: «the −2 applies, the figures are corrected as a new version». The service could, but no page
    or endpoint offered it."""
    client = client_for(personas["reviewer"])
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    fieldset = page.split('data-testid="untruthful-figures"', 1)[1].split("</fieldset>", 1)[0]
    assert f'name="new_accounts" value="{report.current.new_accounts}"' in fieldset  # filled with the current ones
    before = card_of(campaign)
    unit_stated = figures_of(report)
    done = client.post(reverse("report-untruthful", args=[report.pk]),
                       _true_figures(report, new_accounts=report.current.new_accounts - 100), follow=True)
    assert "Đã kết luận báo cáo không trung thực: đơn vị bị trừ 2 điểm; số liệu đúng là phiên bản 2." in (
        done.content.decode())
    assert figures_of(report) == (2, unit_stated[1] - 100, *unit_stated[2:])
    version = Report.objects.get(pk=report.pk).current
    assert version.created_by_review and version.note == f"Số liệu điều chỉnh khi phúc tra: {FINDING}"
    assert (version.has_plan, version.procedures) == (report.current.has_plan, report.current.procedures)
    after = card_of(campaign)
    assert [p.points for p in after.penalties if p.kind == "untruthful"] == [-2]
    assert after.total <= before.total - 2  # the deduction, and the accounts' points if fewer accounts lose some
    event = AuditEvent.objects.get(action="report.marked_untruthful")
    assert event.summary == (f"Xã Tân Hòa: kết luận báo cáo tháng 7/2021 không trung thực (trừ 2 điểm), ghi số liệu "
                             f"đúng (phiên bản 2) — {FINDING}")
    assert "(điều chỉnh khi phúc tra)" in done.content.decode()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({}, "new_accounts", "Số liệu đúng giống hệt số liệu đơn vị đã báo cáo; nếu không cần sửa số liệu, hãy bỏ chọn "
                         "«Ghi số liệu đúng»."),
    ({"resolved_on_time": 999, "due": 10}, "resolved_on_time",
     "Số hồ sơ giải quyết đúng hạn (999) không được lớn hơn số hồ sơ đến hạn (10)."),
    ({"dossiers_online": ""}, "dossiers_online", "Vui lòng nhập số liệu (nhập 0 nếu không có)."),
    ({"dossiers_online": "-3"}, "dossiers_online", "Số liệu không được âm."),
])
def test_true_figures_that_cannot_be_are_refused_keeping_what_was_typed(report, personas, client_for, changes, field,
                                                                        message):
    response = client_for(personas["reviewer"]).post(reverse("report-untruthful", args=[report.pk]),
                                                     _true_figures(report, **changes))
    assert response.status_code == 400
    form = response.context["untruthful_form"]
    assert form.errors[field] == [message]
    page = response.content.decode()
    assert FINDING in page and "<details open>" in page  # the reason typed is still there, the form open
    assert not Report.objects.get(pk=report.pk).untruthful and figures_of(report)[0] == 1
    assert not AuditEvent.objects.filter(action="report.marked_untruthful").exists()


def test_figures_left_unticked_are_not_recorded(report, personas, client_for):
    data = _true_figures(report, new_accounts=1)
    del data["correct"]
    client_for(personas["reviewer"]).post(reverse("report-untruthful", args=[report.pk]), data)
    assert Report.objects.get(pk=report.pk).untruthful and figures_of(report)[0] == 1


def test_a_withdrawn_finding_gives_back_the_points_and_stays_in_the_reports_history(campaign, report, personas,
                                                                                      client_for):
    before = card_of(campaign)
    rita = personas["reviewer"]
    client = client_for(rita)
    client.post(reverse("report-untruthful", args=[report.pk]), {"reason": FINDING})
    assert card_of(campaign).total == before.total - 2
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Không trung thực (−2)" in page and "Hủy kết luận không trung thực" in page
    done = client.post(reverse("report-untruthful-withdraw", args=[report.pk]), {"reason": WITHDRAWAL}, follow=True)
    page = done.content.decode()
    assert "Đã hủy kết luận không trung thực: đơn vị không còn bị trừ 2 điểm." in page
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.untruthful, fresh.untruthful_reason, fresh.untruthful_at, fresh.untruthful_by) == (
        False, "", None, None)
    after = card_of(campaign)
    assert after.total == before.total and not [p for p in after.penalties if p.kind == "untruthful"]
    event = AuditEvent.objects.get(action="report.untruthful_withdrawn")
    assert event.actor == rita and event.unit_code == "X-TAN-HOA"
    assert event.summary == ("Xã Tân Hòa: hủy kết luận báo cáo tháng 7/2021 không trung thực (không còn trừ 2 điểm) "
                             f"— {WITHDRAWAL}")
    assert (event.before["untruthful"], event.before["untruthful_reason"]) == (True, FINDING)
    assert event.after == {"status": "submitted", "return_reason": "", "untruthful": False, "untruthful_reason": "",
                           "reason": WITHDRAWAL}
    history = page.split("Lịch sử thao tác", 1)[1]
    assert FINDING in history and WITHDRAWAL in history  # both the finding and its withdrawal, newest first
    assert history.index(WITHDRAWAL) < history.index(FINDING)
    assert "Không trung thực (−2)" not in page and "Kết luận báo cáo không trung thực (trừ 2 điểm)" in page
    # found untruthful again later: a new finding, taken as any other
    report_mark_untruthful(report=fresh, actor=rita, reason=FINDING + " (lần hai)")
    assert card_of(campaign).total == before.total - 2


def test_withdrawing_gives_the_unit_its_own_figures_back_when_the_finding_corrected_them(campaign, report, personas):
    rita = personas["reviewer"]
    stated = figures_of(report)
    current = report.current
    true = ReportData.true_figures(current, {**current.stated(), "new_accounts": current.new_accounts - 50})
    with override_settings(THIDUA_NOW="2021-08-03T09:00:00+07:00"):
        report_mark_untruthful(report=report, actor=rita, reason=FINDING, corrected=true)
    assert figures_of(report)[1] == stated[1] - 50
    with override_settings(THIDUA_NOW="2021-08-10T09:00:00+07:00"):
        report_untruthful_withdraw(report=report, actor=rita, reason=WITHDRAWAL)
    assert figures_of(report) == (3, *stated[1:])
    version = Report.objects.get(pk=report.pk).current
    assert version.created_by_review and version.note == (
        f"Số liệu đơn vị đã báo cáo (phiên bản 1), khôi phục khi hủy kết luận không trung thực: {WITHDRAWAL}")
    assert version.stated() == report.versions.get(number=1).stated()
    event = AuditEvent.objects.get(action="report.untruthful_withdrawn")
    assert ", khôi phục số liệu đơn vị đã báo cáo (phiên bản 3) — " in event.summary


def test_withdrawing_keeps_a_correction_the_unit_sent_after_the_finding(campaign, report, personas):
    rita, alice = personas["reviewer"], personas["commune_reporter"]
    current = report.current
    true = ReportData.true_figures(current, {**current.stated(), "new_accounts": current.new_accounts - 50})
    with override_settings(THIDUA_NOW="2021-08-03T09:00:00+07:00"):
        report_mark_untruthful(report=report, actor=rita, reason=FINDING, corrected=true)
    with override_settings(THIDUA_NOW="2021-08-04T09:00:00+07:00"):
        submit(campaign, alice, "2021-07", on=date(2021, 8, 4), new_accounts=current.new_accounts - 20)
    assert figures_of(report)[:2] == (3, current.new_accounts - 20)
    with override_settings(THIDUA_NOW="2021-08-10T09:00:00+07:00"):
        report_untruthful_withdraw(report=report, actor=rita, reason=WITHDRAWAL)
    assert figures_of(report)[:2] == (3, current.new_accounts - 20)  # the unit's own correction stands


@pytest.mark.parametrize(("reason", "message"), [
    ("nhầm đơn", "Cần ghi rõ lý do hủy kết luận không trung thực (ít nhất 10 ký tự)."),
    ("   ", "Vui lòng ghi lý do."),
])
def test_a_withdrawal_needs_a_reason_and_keeps_what_was_typed(report, personas, client_for, reason, message):
    report_mark_untruthful(report=report, actor=personas["reviewer"], reason=FINDING)
    response = client_for(personas["reviewer"]).post(reverse("report-untruthful-withdraw", args=[report.pk]),
                                                     {"reason": reason})
    assert response.status_code == 400
    assert response.context["withdraw_form"].errors["reason"] == [message]
    assert Report.objects.get(pk=report.pk).untruthful
    assert not AuditEvent.objects.filter(action="report.untruthful_withdrawn").exists()


def test_only_a_finding_can_be_withdrawn_and_only_by_a_reviewer(report, personas, client_for):
    with pytest.raises(ValidationError, match="Báo cáo này không bị kết luận không trung thực"):
        report_untruthful_withdraw(report=report, actor=personas["reviewer"], reason=WITHDRAWAL)
    report_mark_untruthful(report=report, actor=personas["reviewer"], reason=FINDING)
    for persona in ("commune_reporter", "leader"):
        with pytest.raises(PermissionDenied):
            report_untruthful_withdraw(report=report, actor=personas[persona], reason=WITHDRAWAL)
        response = client_for(personas[persona]).post(reverse("report-untruthful-withdraw", args=[report.pk]),
                                                      {"reason": WITHDRAWAL})
        assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).untruthful


def test_the_unit_is_told_by_email_that_the_finding_is_withdrawn(report, personas, smtp_server,
                                                                 django_capture_on_commit_callbacks):
    from thidua.units.models import User

    User.objects.filter(username="alice").update(email="lan@tanhoa.example")
    report_mark_untruthful(report=report, actor=personas["reviewer"], reason=FINDING)
    with django_capture_on_commit_callbacks(execute=True):
        report_untruthful_withdraw(report=report, actor=personas["reviewer"], reason=WITHDRAWAL)
    (_, message) = smtp_server.messages[-1]
    assert message["Subject"].strip() == "Hủy kết luận báo cáo tháng 7/2021 của Xã Tân Hòa không trung thực"
    body = message.get_content()
    assert "hủy kết luận báo cáo tháng 7/2021 của đơn vị không trung thực (kết luận ngày " in body
    assert "đơn vị không còn bị trừ 2 điểm." in body and f"Lý do hủy: {WITHDRAWAL}" in body


def test_the_deduction_is_worded_from_the_rubric_on_the_report_page(campaign, report, personas, client_for):
    data = campaign.rubric_data
    data["reports"]["untruthful_points"] = -3
    campaign.rubric_data = data
    campaign.save()
    report_mark_untruthful(report=report, actor=personas["reviewer"], reason=FINDING)
    page = client_for(personas["reviewer"]).get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Không trung thực (−3)" in page and "(−2)" not in page
    assert "Hủy kết luận không trung thực (đơn vị không còn bị trừ 3 điểm)" in page
