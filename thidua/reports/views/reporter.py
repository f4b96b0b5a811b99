"""What a unit reporter uses: the scorecard, the list of months, the monthly report form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.campaigns.selectors import is_applied
from thidua.core import clock
from thidua.core.stored_files import open_stored
from thidua.reports.forms import ReportForm
from thidua.reports.models import Attachment, Report, ReportVersion
from thidua.reports.selectors import (
    MonthFigures,
    campaign_as_of,
    campaign_result,
    report_form_initial,
    unit_as_in_campaign,
    unit_history,
    unit_state,
)
from thidua.reports.services import AlreadySaved, ReportMovedOn, report_submit, submission_refusal
from thidua.reports.views.common import (
    CAMPAIGN_PARAM,
    add_service_errors,
    campaign_shown,
    check_month,
    chosen_files,
    get_campaign,
    get_unit_for_user,
)
from thidua.scoring.text import format_report_penalties
from thidua.units.permissions import reporter_required, signed_in_required


@signed_in_required
def unit_dashboard(request, code: str | None = None):
    if code is None:
        if not request.user.is_reporter:
            if not request.user.sees_all_units:
                # A reporter account with no unit yet: sending it to the rankings would only bounce to a 403.
                raise PermissionDenied("Tài khoản chưa được gán đơn vị; đề nghị quản trị hệ thống cập nhật.")
            return redirect("rankings")
        code = request.user.unit.code
    campaign = campaign_shown(request)
    unit = unit_as_in_campaign(campaign, get_unit_for_user(request.user, code))  # its name then, in a past campaign
    result = campaign_result(campaign)
    card = next((c for c in result.scorecards if c.code == unit.code), None)
    if card is None and (unit.active or unit.group not in campaign.rubric.groups):
        raise Http404("Đơn vị này không tham gia phong trào.")
    # a unit retired during the campaign (merged into another): its scorecard as its reports make it, outside the
    # ranking, to be read only
    figures, own = unit_state(campaign, unit, result.as_of)
    card = card or own
    returned = list(Report.objects.filter(campaign=campaign, unit=unit, status=Report.Status.RETURNED)
                    .order_by("month"))
    # reports an earlier campaign's office returned before the next one was applied: still to be corrected
    earlier = [] if request.campaign_archived else list(
        Report.objects.filter(unit=unit, status=Report.Status.RETURNED).exclude(campaign=campaign)
        .select_related("campaign").order_by("campaign__created_at", "month"))
    return render(request, "reports/unit_dashboard.html", {
        "returned": returned, "returned_months": {r.month for r in returned}, "returned_earlier": earlier,
        "campaign": campaign, "unit": unit, "card": card, "figures": figures, "as_of": result.as_of,
        "history": unit_history(campaign, unit), "group_label": campaign.rubric.groups[unit.group].label,
        "min_total": campaign.rubric.eligibility.min_total, "retired": not unit.active,
    })


@reporter_required
def report_list(request):
    campaign = get_campaign()
    unit = request.user.unit
    reports = {r.month: r for r in Report.objects.filter(campaign=campaign, unit=unit).select_related("current")}
    today = clock.today()
    applied = is_applied(campaign)
    rows = []
    for month in campaign.rubric.reports.months:
        due = campaign.rubric.due_date(month)
        report = reports.get(month)
        rows.append({"month": month, "due": due, "days_left": (due - today).days, "report": report,
                     "refusal": submission_refusal(campaign, unit, month, report, today, applied=applied),
                     "owed": unit.owes_report(month)})
    rules = campaign.rubric.reports
    return render(request, "reports/report_list.html", {
        "campaign": campaign, "unit": unit, "rows": rows, "today_month": f"{today:%Y-%m}",
        "ended": today > campaign.rubric.campaign.end,
        "penalties": format_report_penalties(rules.late_bands, rules.missing_points)})


def _form_context(campaign, unit, month, report):
    due = campaign.rubric.due_date(month)
    today = clock.today()
    return {"campaign": campaign, "unit": unit, "month": month, "report": report, "due": due,
            "days_left": (due - today).days, "today": today}


def _reporting_campaign(request):
    """The campaign a report form acts on: the one applied, or the past one its address names
    (?phong-trao=<code>), whose returned reports may still be corrected (services.submission_refusal)."""
    if not request.GET.get(CAMPAIGN_PARAM):
        return get_campaign()
    campaign = campaign_shown(request)
    request.campaign_fixed = True  # the form is of that campaign's report: no switcher above it
    return campaign


@reporter_required
def report_submit_view(request, month: str):
    campaign = _reporting_campaign(request)
    check_month(campaign, month)
    unit = request.user.unit
    report = Report.objects.filter(campaign=campaign, unit=unit, month=month).select_related("current").first()
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, campaign=campaign)
        if form.is_valid():
            try:
                report = report_submit(
                    campaign=campaign, unit=unit, month=month, actor=request.user, data=form.report_data(),
                    evidence=form.cleaned_data["evidence"], plan_file=form.cleaned_data.get("plan_file"),
                    based_on=form.cleaned_data.get("based_on"),
                )
            except AlreadySaved as saved:  # the same form sent twice (a double tap, the network resending it)
                version = saved.report.current
                messages.info(request, f"Báo cáo này đã được ghi nhận (phiên bản {version.number}); lần gửi lặp lại "
                                       "không tạo thêm phiên bản.")
                return redirect("report-detail", pk=saved.report.pk)
            except ReportMovedOn as moved:
                add_service_errors(form, moved)
                form.data = form.data.copy()  # sent again as it is, it corrects the version now shown
                form.data["based_on"] = str(moved.number)
                report = moved.report
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if report.current.number == 1:
                    messages.success(request, "Đã nộp báo cáo. Thời điểm nộp lần đầu được dùng để tính đúng hạn.")
                else:
                    messages.success(request, f"Đã nộp bản điều chỉnh (phiên bản {report.current.number}); đúng "
                                              "hạn hay trễ vẫn tính theo lần nộp đầu.")
                return redirect("report-detail", pk=report.pk)
    else:
        if refusal := submission_refusal(campaign, unit, month, report, clock.today()):
            messages.info(request, refusal)
            return redirect("report-detail", pk=report.pk) if report is not None else redirect("report-list")
        form = ReportForm(initial={**report_form_initial(campaign, unit, month, report),
                                   "based_on": report.current.number if report and report.current_id else 0},
                          campaign=campaign)
    context = _form_context(campaign, unit, month, report)
    context["form"] = form
    # a page shown again cannot hold the files chosen: say which ones to choose again
    context["chosen_files"] = chosen_files(request)
    context["preview"] = _preview(campaign, unit, month, report, form)
    return render(request, "reports/report_form.html", context)


def _typed_problems(form) -> list[str]:
    """What is wrong with the figures typed so far: the form's own messages, leaving out the fields
    not filled in yet (the preview runs while the reporter types)."""
    problems = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name != "__all__" and str(form.data.get(name, "")).strip():
            problems += [f"{form.fields[name].label}: {error}" for error in errors]
    return problems


def _preview(campaign, unit, month, report, form):
    """Scorecard now vs. with this report, as of today (or the campaign's end)."""
    as_of = campaign_as_of(campaign)
    _, before = unit_state(campaign, unit, as_of)
    if not form.is_bound or not form.is_valid():
        return {"before": before, "after": None, "problems": _typed_problems(form) if form.is_bound else []}
    data = form.report_data()
    submitted = clock.local_date(report.first_submitted_at) if report else clock.today()
    if submitted > as_of:
        # Submitted after the campaign's last day: the report no longer changes the score.
        return {"before": before, "after": before, "diff": 0, "closed": True}
    override = MonthFigures(
        unit_id=unit.pk, month=month, submitted=submitted, untruthful=bool(report and report.untruthful),
        has_plan=data.has_plan, procedures=data.procedures, new_accounts=data.new_accounts,
        dossiers_online=data.dossiers_online, resolved_on_time=data.resolved_on_time, due=data.due,
        dossiers_in_person=data.dossiers_in_person,
    )
    _, after = unit_state(campaign, unit, as_of, override=override)
    return {"before": before, "after": after, "diff": after.total - before.total}


@reporter_required
@require_POST
def report_preview(request, month: str):
    campaign = _reporting_campaign(request)
    check_month(campaign, month)
    unit = request.user.unit
    report = Report.objects.filter(campaign=campaign, unit=unit, month=month).first()
    form = ReportForm(request.POST, campaign=campaign)
    return render(request, "reports/_preview.html", {"preview": _preview(campaign, unit, month, report, form),
                                                     "form": form})


@signed_in_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("version__report__unit"), pk=pk)
    if not request.user.can_view_unit(attachment.version.report.unit):
        raise PermissionDenied("Bạn không được xem minh chứng của đơn vị khác.")
    return FileResponse(open_stored(attachment.file, "minh chứng"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)


@signed_in_required
def plan_file_download(request, pk: int):
    version = get_object_or_404(ReportVersion.objects.select_related("report__unit"), pk=pk)
    if not request.user.can_view_unit(version.report.unit):
        raise PermissionDenied("Bạn không được xem tệp kế hoạch của đơn vị khác.")
    if not version.plan_file:
        raise Http404("Không tìm thấy tệp kế hoạch.")
    return FileResponse(open_stored(version.plan_file, "kế hoạch"), as_attachment=True,
                        filename=version.plan_file.name.rsplit("/", 1)[-1])
