"""The monthly award of one reporting month: the proposal, the decision, its signed number, the flag."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from thidua.awards import dossier, selectors
from thidua.awards.forms import DecisionNumberForm, FlagAnswerForm, MonthlyDecisionForm
from thidua.awards.services import (
    AwardMovedOn,
    award_decided,
    award_shown,
    monthly_award_decide,
    monthly_award_flag_resolve,
    monthly_award_record_decision,
)
from thidua.awards.views.common import campaign_redirect, campaign_shown, campaign_to_change, report_errors
from thidua.units.models import Unit
from thidua.units.permissions import reviewer_required, staff_view_required


def _month(request, month: str, *, past_allowed: bool = False):
    """The month's campaign and proposal. A page reads the campaign its address names (a past one too); a write
    acts on the applied one, or, when ``past_allowed``, on the campaign the address names, whose award it shows."""
    if request.method == "POST":
        campaign = campaign_to_change(request, past_allowed=past_allowed)
    else:
        campaign = campaign_shown(request)
    if month not in campaign.rubric.reports.months:
        raise Http404("Tháng không thuộc kỳ báo cáo.")
    return campaign, selectors.monthly_proposal(campaign, month)


def _awarded_month(request, month: str):
    # a past campaign's award can still be concluded on (a phúc tra flags it) and get its signed decision's number
    campaign, proposal = _month(request, month, past_allowed=True)
    if proposal.award is None:
        raise Http404("Tháng này chưa có khen thưởng.")
    return campaign, proposal


def _decision_form(proposal, data=None) -> MonthlyDecisionForm:
    choices = [(c.code, f"{c.name} — {c.total} điểm") for c in proposal.choices]
    award = proposal.award
    initial = {"unit": award.unit.code if award else (proposal.proposed.code if proposal.proposed else None),
               "ceremony_date": award.ceremony_date if award else None,
               "reason": award.override_reason if award else "", "shown": award_shown(award)}
    return MonthlyDecisionForm(data, choices=choices, initial=initial)


def _number_form(award, data=None) -> DecisionNumberForm:
    initial = {"decision_number": award.decision_number, "decision_date": award.decision_date,
               "decided": award_decided(award)} if award else {}
    return DecisionNumberForm(data, initial=initial)


def _page(request, campaign, proposal, *, form=None, flag_form=None, number_form=None, status=200):
    """The month's page; the form that was posted (invalid) replaces its blank counterpart."""
    rubric = campaign.rubric
    monthly = rubric.awards.monthly
    return render(request, "awards/monthly.html", {
        "campaign": campaign, "p": proposal, "form": form or _decision_form(proposal),
        "issuer": dossier.district_info(campaign), "min_total": rubric.eligibility.min_total,
        # the units the award is for, as the campaign names their groups ("xã, thị trấn"; "xã, phường")
        "candidates": " và ".join(rubric.groups[g].label.lower() for g in monthly.groups) if monthly else "",
        "flag_form": flag_form or FlagAnswerForm(), "number_form": number_form or _number_form(proposal.award),
    }, status=status)


def _submit(request, campaign, proposal, form, action, *, form_name: str, errors_on_form: bool = True):
    """Run ``action(cleaned_data)`` for a valid posted form and redirect with the message it returns;
    otherwise the month's page again, with the errors on the form (or as messages)."""
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except ValidationError as exc:
            report_errors(request, exc, form if errors_on_form else None)
        else:
            messages.success(request, message)
            return campaign_redirect(request, "monthly-award", proposal.month)
    return _page(request, campaign, proposal, status=400, **{form_name: form})


@staff_view_required
def monthly_award(request, month: str):
    campaign, proposal = _month(request, month)
    if request.method != "POST":
        return _page(request, campaign, proposal)
    if not request.user.is_reviewer:
        raise PermissionDenied("Chỉ cán bộ thẩm định được quyết định khen thưởng.")

    form = _decision_form(proposal, request.POST)

    def decide(data) -> str:
        try:
            # a form without the field (not this site's page) is not checked
            monthly_award_decide(campaign=campaign, month=month, actor=request.user,
                                 unit=Unit.objects.get(code=data["unit"]), ceremony_date=data["ceremony_date"],
                                 reason=data["reason"], shown=data["shown"] if "shown" in request.POST else None)
        except AwardMovedOn as exc:  # shown again with what was chosen, now on the award in force
            form.data = form.data.copy()
            form.data["shown"] = exc.shown
            raise
        return f"Đã ghi nhận khen thưởng {proposal.label}."

    return _submit(request, campaign, proposal, form, decide, form_name="form")


@reviewer_required
@require_POST
def monthly_award_decision_number(request, month: str):
    """Record the number and date of the signed Quyết định (printed on the month's documents)."""
    campaign, proposal = _awarded_month(request, month)

    form = _number_form(proposal.award, request.POST)

    def record(data) -> str:
        try:
            monthly_award_record_decision(award=proposal.award, number=data["decision_number"],
                                          signed_on=data["decision_date"], actor=request.user,
                                          decided=data["decided"] if "decided" in request.POST else None)
        except AwardMovedOn:  # shown again with what was typed, now on the decision in force
            form.data = form.data.copy()
            form.data["decided"] = award_decided(proposal.award)
            raise
        return f"Đã ghi số Quyết định khen thưởng {proposal.label}."

    return _submit(request, campaign, proposal, form, record, form_name="number_form")


@reviewer_required
@require_POST
def monthly_award_flag_answer(request, month: str):
    """Keep or revoke a flagged award, with the written conclusion."""
    campaign, proposal = _awarded_month(request, month)

    def answer(data) -> str:
        award = monthly_award_flag_resolve(award=proposal.award, outcome=data["outcome"],
                                           conclusion=data["conclusion"], actor=request.user)
        if award.revoked_at:
            return (f"Đã thu hồi khen thưởng {proposal.label} của {award.unit.name}; "
                    "có thể xét khen thưởng lại cho tháng này.")
        return f"Đã ghi nhận kết luận: giữ nguyên khen thưởng {proposal.label}."

    # the form is shown only while the award is flagged; a stale tab's answer gets its error as a message
    return _submit(request, campaign, proposal, FlagAnswerForm(request.POST), answer, form_name="flag_form",
                   errors_on_form=proposal.award.flagged)
