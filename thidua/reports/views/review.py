"""What the Home Affairs reviewer uses: the submissions matrix and the actions on one report."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.campaigns.selectors import is_applied
from thidua.core import clock
from thidua.core.models import AuditEvent
from thidua.portal.selectors import flagged_reports, report_reconciliation
from thidua.reports.emails import ReminderError, reminder_notice, reminders_send
from thidua.reports.forms import ReasonForm, ReportEntryForm, UntruthfulForm
from thidua.reports.models import Report
from thidua.reports.selectors import (
    former_units_reports,
    next_to_review,
    reminder_list,
    reminder_month,
    report_form_initial,
    report_versions,
    submission_matrix,
    unit_as_in_campaign,
)
from thidua.reports.services import (
    ReviewMovedOn,
    Shown,
    already_reported,
    not_begun,
    not_owed,
    report_enter_received,
    report_mark_untruthful,
    report_return,
    report_untruthful_withdraw,
    report_verify,
    submission_refusal,
)
from thidua.reports.views.common import (
    add_service_errors,
    campaign_shown,
    campaign_to_change,
    check_month,
    chosen_files,
    get_report_for_user,
    get_unit_for_user,
)
from thidua.scoring.text import format_int, format_month
from thidua.units.permissions import reviewer_required, signed_in_required, staff_view_required


@staff_view_required
def review_matrix(request):
    campaign = campaign_shown(request)
    months, rows = submission_matrix(campaign)
    counts = {"on_time": 0, "late": 0, "missing": 0, "pending": 0, "waiting": 0}
    for _, cells in rows:
        for cell in cells:
            if cell.state in counts:
                counts[cell.state] += 1
            if cell.status == "submitted":
                counts["waiting"] += 1
    flagged = flagged_reports(campaign)
    return render(request, "reports/review_matrix.html",
                  {"campaign": campaign, "months": months, "rows": rows, "counts": counts, "flagged": flagged,
                   "reminder_month": reminder_month(campaign), "today_month": f"{clock.today():%Y-%m}",
                   "missing_after": campaign.rubric.reports.missing_after_days,
                   "former": former_units_reports(campaign, {unit.pk for unit, _ in rows})})


def _site_url(request) -> str:
    return settings.THIDUA_SITE_URL or request.build_absolute_uri("/").rstrip("/")


@reviewer_required
def reminders(request):
    """Units that have not sent a month's report: email their reporters, or copy one message for a group chat."""
    campaign = campaign_to_change(request)
    months = list(campaign.rubric.reports.months)
    month = request.POST.get("month") or request.GET.get("thang") or reminder_month(campaign) or months[-1]
    if month not in months:
        return redirect("report-reminders")
    check_month(campaign, month)
    if request.method == "POST":
        try:
            outcome = reminders_send(campaign=campaign, month=month, actor=request.user, site_url=_site_url(request))
        except ReminderError as exc:
            messages.error(request, exc.message)
        else:
            if outcome.sent:
                messages.success(request, f"Đã gửi email nhắc nộp báo cáo {format_month(month)} cho "
                                          f"{len(outcome.sent)} đơn vị.")
            for item, why in outcome.failed:
                messages.error(request, f"Chưa gửi được cho {item.unit.name}: {why}.")
            if not outcome.sent and not outcome.failed:
                messages.warning(request, "Không có đơn vị nào chưa nộp báo cáo có địa chỉ email để gửi.")
        return redirect(f"{reverse('report-reminders')}?thang={month}")
    pending = reminder_list(campaign, month)
    last_sent = (AuditEvent.objects.filter(action="report.reminders_sent", campaign_code=campaign.code,
                                           after__month=month).select_related("actor").first())
    return render(request, "reports/reminders.html", {
        "campaign": campaign, "months": months, "month": month, "reminders": pending,
        "notice": reminder_notice(campaign, pending, site_url=_site_url(request)) if pending.units else "",
        "email_enabled": settings.THIDUA_EMAIL_ENABLED, "last_sent": last_sent,
    })


@reviewer_required
def report_enter(request, code: str, month: str):
    """A report the unit sent in writing (or by email) rather than on the system, entered by the reviewer."""
    campaign = campaign_to_change(request)
    check_month(campaign, month)
    unit = get_unit_for_user(request.user, code)
    existing = Report.objects.filter(campaign=campaign, unit=unit, month=month).first()
    if existing is not None:
        messages.info(request, already_reported(unit, month))
        return redirect("report-detail", pk=existing.pk)
    if not unit.owes_report(month):
        messages.info(request, not_owed(unit, month))
        return redirect("review-matrix")
    if f"{clock.today():%Y-%m}" < month:  # nothing can have been received for it yet
        messages.info(request, not_begun(month))
        return redirect("review-matrix")
    if request.method == "POST":
        form = ReportEntryForm(request.POST, request.FILES, campaign=campaign)
    else:
        # the same start as the unit's own form: its cumulative procedures and plan from its latest report
        form = ReportEntryForm(initial=report_form_initial(campaign, unit, month, None), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_enter_received(
                campaign=campaign, unit=unit, month=month, actor=request.user, data=form.report_data(),
                received_on=form.cleaned_data["received_on"], reference=form.cleaned_data["reference"],
                evidence=form.cleaned_data["evidence"], plan_file=form.cleaned_data.get("plan_file"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã nhập báo cáo {format_month(month)} thay {unit.name}; đúng hạn hay trễ "
                                      "tính theo ngày nhận văn bản.")
            return redirect("report-detail", pk=report.pk)
    return render(request, "reports/report_enter.html", {
        "campaign": campaign, "unit": unit, "month": month, "form": form,
        "due": campaign.rubric.due_date(month),
        "chosen_files": chosen_files(request),
    })


@signed_in_required
def report_detail(request, pk: int):
    return _detail_page(request, get_report_for_user(request.user, pk))


def _detail_page(request, report: Report, *, untruthful_form: UntruthfulForm | None = None,
                 withdraw_form: ReasonForm | None = None, return_reason: str = "", status: int = 200):
    """The report's page; with a refused finding or withdrawal, its form as it was sent, with the errors; with a
    refused return, the reason as it was typed."""
    history = AuditEvent.objects.filter(object_type="reports.Report", object_id=str(report.pk)).select_related("actor")
    reviewer = request.user.is_reviewer
    # the page's links (scorecard, matrix) lead to the report's own campaign, a past one too
    applied = is_applied(report.campaign)
    request.campaign_shown, request.campaign_archived, request.campaign_fixed = report.campaign, not applied, True
    next_review, waiting = next_to_review(report) if reviewer else (None, 0)
    return render(request, "reports/report_detail.html", {
        "next_review": next_review, "waiting": waiting,
        "report": report, "unit_name": unit_as_in_campaign(report.campaign, report.unit).name,
        "can_return": reviewer and applied, "archived": not applied,
        "versions": report_versions(report), "history": history,
        "untruthful_form": untruthful_form or (UntruthfulForm(report=report) if reviewer else None),
        "withdraw_form": withdraw_form or ReasonForm(), "return_reason": return_reason,
        "untruthful_points": report.campaign.rubric.reports.untruthful_points,
        "due": report.campaign.rubric.due_date(report.month),
        "can_review": reviewer,
        "can_correct": request.user.can_report_for(report.unit)
        and not submission_refusal(report.campaign, report.unit, report.month, report, clock.today()),
        "reconciliation": report_reconciliation(report)
        if request.user.sees_all_units and report.current_id else None,
    }, status=status)


def _shown(request) -> Shown | None:
    """The version and status of the report the review form was opened on (None: a form without them)."""
    version, status = request.POST.get("version", ""), request.POST.get("status", "")
    if not version.isdigit() or status not in Report.Status.values:
        return None
    return Shown(int(version), status)


def _act(request, pk: int, action):
    report = get_report_for_user(request.user, pk)
    try:
        action(report)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("report-detail", pk=report.pk)


@reviewer_required
@require_POST
def report_verify_view(request, pk: int):
    def act(report):
        report_verify(report=report, actor=request.user, shown=_shown(request))
        messages.success(request, "Đã xác nhận báo cáo.")

    return _act(request, pk, act)


def _notice_message(request, notice) -> None:
    """Whether the unit was told by email (reports.services.UnitNotice), so that the reviewer knows."""
    if notice is None:
        return
    if notice.sent:
        messages.info(request, f"Đã gửi email báo cho đơn vị ({', '.join(notice.recipients)}).")
    elif notice.error:
        messages.warning(request, f"Chưa gửi được email báo cho đơn vị ({notice.error}); hãy báo cho đơn vị "
                                  "bằng cách khác.")


@reviewer_required
@require_POST
def report_return_view(request, pk: int):
    """Trả lại, with a written reason. Refused because the report changed after the page was opened, the page
    shows it as it is now, with the reason as it was typed."""
    report = get_report_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        result = report_return(report=report, actor=request.user, reason=form.cleaned_data["reason"],
                               site_url=_site_url(request), shown=_shown(request))
    except ReviewMovedOn as exc:
        messages.error(request, exc.messages[0])
        return _detail_page(request, get_report_for_user(request.user, pk),
                            return_reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Đã trả lại báo cáo cho đơn vị bổ sung, điều chỉnh.")
        _notice_message(request, getattr(result, "notice", None))
    return redirect("report-detail", pk=report.pk)


def _refused(request, form, exc) -> None:
    """A finding's or withdrawal's refusal: a field's error at the field; the rest above the page, which may not
    show the form (a colleague's finding or withdrawal made meanwhile: the page shows the other one) and shows the
    report as it is now (ReviewMovedOn)."""
    if hasattr(exc, "error_dict"):
        add_service_errors(form, exc)
    else:
        for message in exc.messages:
            messages.error(request, message)


@reviewer_required
@require_POST
def report_untruthful_view(request, pk: int):
    """Kết luận không trung thực, with the true figures when the re-examination found them. A refusal shows
    the page again with the form as it was sent (its reason and figures kept)."""
    report = get_report_for_user(request.user, pk)
    form = UntruthfulForm(request.POST, report=report)
    if form.is_valid():
        try:
            report = report_mark_untruthful(report=report, actor=request.user, reason=form.cleaned_data["reason"],
                                            corrected=form.corrected(), site_url=_site_url(request),
                                            shown=_shown(request))
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            points = format_int(-report.campaign.rubric.reports.untruthful_points)
            messages.warning(request, f"Đã kết luận báo cáo không trung thực: đơn vị bị trừ {points} điểm"
                             + (f"; số liệu đúng là phiên bản {report.current.number}." if form.corrected() else "."))
            _notice_message(request, getattr(report, "notice", None))
            return redirect("report-detail", pk=report.pk)
    return _detail_page(request, get_report_for_user(request.user, pk), untruthful_form=form, status=400)


@reviewer_required
@require_POST
def report_untruthful_withdraw_view(request, pk: int):
    """Hủy kết luận không trung thực, with a written reason; a refusal keeps what was typed."""
    report = get_report_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            report = report_untruthful_withdraw(report=report, actor=request.user, reason=form.cleaned_data["reason"],
                                                site_url=_site_url(request))
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            points = format_int(-report.campaign.rubric.reports.untruthful_points)
            messages.success(request, f"Đã hủy kết luận không trung thực: đơn vị không còn bị trừ {points} điểm.")
            _notice_message(request, getattr(report, "notice", None))
            return redirect("report-detail", pk=report.pk)
    return _detail_page(request, get_report_for_user(request.user, pk), withdraw_form=form, status=400)
