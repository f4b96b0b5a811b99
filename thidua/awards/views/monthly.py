"""The monthly award of one reporting month: the proposal, the decision, the flag."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from thidua.awards import selectors
from thidua.awards.forms import MonthlyDecisionForm
from thidua.awards.services import monthly_award_decide
from thidua.awards.views.common import get_campaign, report_errors
from thidua.units.models import Unit
from thidua.units.permissions import staff_view_required


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
    return render(request, "awards/monthly.html", {"campaign": campaign, "p": proposal, "form": form},
                  status=400 if request.method == "POST" else 200)
