"""The monthly award of one reporting month: the proposal, the decision, the flag."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.awards import selectors
from thidua.awards.forms import FlagAnswerForm, MonthlyDecisionForm
from thidua.awards.services import monthly_award_decide, monthly_award_flag_resolve
from thidua.awards.views.common import get_campaign, report_errors
from thidua.units.models import Unit
from thidua.units.permissions import reviewer_required, staff_view_required


@staff_view_required
def monthly_award(request, month: str):
    campaign = get_campaign()
    if month not in campaign.rubric.reports.months:
        raise Http404("Tháng không thuộc kỳ báo cáo.")
    proposal = selectors.monthly_proposal(campaign, month)
    choices = [(c.code, f"{c.name} — {c.total} điểm") for c in proposal.choices]
    award = proposal.award
    initial = {"unit": award.unit.code if award else (proposal.proposed.code if proposal.proposed else None),
               "ceremony_date": award.ceremony_date if award else None,
               "reason": award.override_reason if award else ""}
    form = MonthlyDecisionForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST":
        if not request.user.is_reviewer:
            raise PermissionDenied("Chỉ cán bộ thẩm định Phòng Nội vụ được quyết định khen thưởng.")
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
    return render(request, "awards/monthly.html", {"campaign": campaign, "p": proposal, "form": form,
                                                   "flag_form": FlagAnswerForm()},
                  status=400 if request.method == "POST" else 200)


@reviewer_required
@require_POST
def monthly_award_flag_answer(request, month: str):
    """Keep or revoke a flagged award, with the written conclusion."""
    campaign = get_campaign()
    if month not in campaign.rubric.reports.months:
        raise Http404("Tháng không thuộc kỳ báo cáo.")
    proposal = selectors.monthly_proposal(campaign, month)
    if proposal.award is None:
        raise Http404("Tháng này chưa có khen thưởng.")
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
    choices = [(c.code, f"{c.name} — {c.total} điểm") for c in proposal.choices]
    form = MonthlyDecisionForm(choices=choices, initial={"unit": proposal.award.unit.code,
                                                         "ceremony_date": proposal.award.ceremony_date,
                                                         "reason": proposal.award.override_reason})
    return render(request, "awards/monthly.html", {"campaign": campaign, "p": proposal, "form": form,
                                                   "flag_form": flag_form}, status=400)
