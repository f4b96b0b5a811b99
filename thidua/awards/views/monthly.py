"""The monthly award of one reporting month: the proposal, the decision, its signed number, the flag."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.awards import selectors
from thidua.awards.forms import DecisionNumberForm, FlagAnswerForm, MonthlyDecisionForm
from thidua.awards.services import monthly_award_decide, monthly_award_flag_resolve, monthly_award_record_decision
from thidua.awards.views.common import get_campaign, report_errors
from thidua.units.models import Unit
from thidua.units.permissions import reviewer_required, staff_view_required


def _month(month: str):
    campaign = get_campaign()
    if month not in campaign.rubric.reports.months:
        raise Http404("Tháng không thuộc kỳ báo cáo.")
    return campaign, selectors.monthly_proposal(campaign, month)


def _awarded_month(month: str):
    campaign, proposal = _month(month)
    if proposal.award is None:
        raise Http404("Tháng này chưa có khen thưởng.")
    return campaign, proposal


def _decision_form(proposal, data=None) -> MonthlyDecisionForm:
    choices = [(c.code, f"{c.name} — {c.total} điểm") for c in proposal.choices]
    award = proposal.award
    initial = {"unit": award.unit.code if award else (proposal.proposed.code if proposal.proposed else None),
               "ceremony_date": award.ceremony_date if award else None,
               "reason": award.override_reason if award else ""}
    return MonthlyDecisionForm(data, choices=choices, initial=initial)


def _number_form(award, data=None) -> DecisionNumberForm:
    initial = {"decision_number": award.decision_number, "decision_date": award.decision_date} if award else {}
    return DecisionNumberForm(data, initial=initial)


def _page(request, campaign, proposal, *, form=None, flag_form=None, number_form=None, status=200):
    """The month's page; the form that was posted (invalid) replaces its blank counterpart."""
    return render(request, "awards/monthly.html", {
        "campaign": campaign, "p": proposal, "form": form or _decision_form(proposal),
        "flag_form": flag_form or FlagAnswerForm(), "number_form": number_form or _number_form(proposal.award),
    }, status=status)


@staff_view_required
def monthly_award(request, month: str):
    campaign, proposal = _month(month)
    if request.method != "POST":
        return _page(request, campaign, proposal)
    if not request.user.is_reviewer:
        raise PermissionDenied("Chỉ cán bộ thẩm định Phòng Nội vụ được quyết định khen thưởng.")
    form = _decision_form(proposal, request.POST)
    if form.is_valid():
        try:
            monthly_award_decide(campaign=campaign, month=month, actor=request.user,
                                 unit=Unit.objects.get(code=form.cleaned_data["unit"]),
                                 ceremony_date=form.cleaned_data["ceremony_date"],
                                 reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            report_errors(request, exc, form)
        else:
            messages.success(request, f"Đã ghi nhận khen thưởng {proposal.label}.")
            return redirect("monthly-award", month=month)
    return _page(request, campaign, proposal, form=form, status=400)


@reviewer_required
@require_POST
def monthly_award_decision_number(request, month: str):
    """Record the number and date of the signed Quyết định (printed on the month's documents)."""
    campaign, proposal = _awarded_month(month)
    number_form = _number_form(proposal.award, request.POST)
    if number_form.is_valid():
        try:
            monthly_award_record_decision(award=proposal.award, number=number_form.cleaned_data["decision_number"],
                                          signed_on=number_form.cleaned_data["decision_date"], actor=request.user)
        except ValidationError as exc:
            report_errors(request, exc, number_form)
        else:
            messages.success(request, f"Đã ghi số Quyết định khen thưởng {proposal.label}.")
            return redirect("monthly-award", month=month)
    return _page(request, campaign, proposal, number_form=number_form, status=400)


@reviewer_required
@require_POST
def monthly_award_flag_answer(request, month: str):
    """Keep or revoke a flagged award, with the written conclusion."""
    campaign, proposal = _awarded_month(month)
    flag_form = FlagAnswerForm(request.POST)
    if flag_form.is_valid():
        try:
            award = monthly_award_flag_resolve(award=proposal.award, outcome=flag_form.cleaned_data["outcome"],
                                               conclusion=flag_form.cleaned_data["conclusion"], actor=request.user)
        except ValidationError as exc:  # on the form while it is shown (a stale tab: the flag was answered)
            report_errors(request, exc, flag_form if proposal.award.flagged else None)
        else:
            if award.revoked_at:
                messages.success(request, f"Đã thu hồi khen thưởng {proposal.label} của {award.unit.name}; "
                                          "có thể xét khen thưởng lại cho tháng này.")
            else:
                messages.success(request, f"Đã ghi nhận kết luận: giữ nguyên khen thưởng {proposal.label}.")
            return redirect("monthly-award", month=month)
    return _page(request, campaign, proposal, flag_form=flag_form, status=400)
