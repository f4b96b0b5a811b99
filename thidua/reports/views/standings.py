"""Rankings for staff (with tie-breaks and month closing) and the public leaderboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.campaigns.services import month_close, tie_break_record
from thidua.reports.forms import TieBreakForm
from thidua.reports.selectors import campaign_result, month_as_of, snapshots
from thidua.reports.views.common import get_campaign
from thidua.units.permissions import reviewer_required, staff_view_required


def _groups(campaign, result):
    """Scorecards per group in rank order, ineligible units last, with the tied sets to decide."""
    rubric = campaign.rubric
    out = []
    for key, group in rubric.groups.items():
        cards = [c for c in result.scorecards if c.group == key]
        eligible = sorted((c for c in cards if c.rank is not None), key=lambda c: (c.rank, c.code))
        others = sorted((c for c in cards if c.rank is None), key=lambda c: -c.total)
        ties: dict[int, list] = {}
        for card in eligible:
            if card.tie and not card.tie_resolved:
                ties.setdefault(card.total, []).append(card)
        out.append({"key": key, "label": group.label, "eligible": eligible, "others": others,
                    "ties": [{"total": total, "cards": tied} for total, tied in ties.items()]})
    return out


def _recalculations(snapshot_result: dict, result) -> list[dict]:
    """Units whose total or rank differs from the closed month's frozen standing."""
    frozen = {u["code"]: u for u in snapshot_result["units"]}
    changes = []
    for card in result.scorecards:
        old = frozen.get(card.code)
        if old is None or (old["total"], old["rank"]) != (card.total, card.rank):
            changes.append({"code": card.code, "name": card.name,
                            "old_total": old["total"] if old else None, "new_total": card.total,
                            "old_rank": old["rank"] if old else None, "new_rank": card.rank})
    return changes


@staff_view_required
def rankings(request):
    campaign = get_campaign()
    months = list(campaign.rubric.reports.months)
    month = request.GET.get("thang") or ""
    if month and month not in months:
        raise Http404("Tháng không thuộc kỳ báo cáo.")
    closed = snapshots(campaign)
    result = campaign_result(campaign, as_of=month_as_of(campaign, month) if month else None)
    snapshot = closed.get(month) if month else None
    return render(request, "reports/rankings.html", {
        "campaign": campaign, "result": result, "groups": _groups(campaign, result), "months": months,
        "month": month, "closed": closed, "snapshot": snapshot,
        "recalculations": _recalculations(snapshot.result, result) if snapshot else [],
        "min_total": campaign.rubric.eligibility.min_total, "awards": result.to_contract()["awards"],
    })


@reviewer_required
@require_POST
def tie_break_view(request):
    campaign = get_campaign()
    form = TieBreakForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("rankings")
    group, total, codes = form.cleaned_data["group"], form.cleaned_data["total"], form.codes()
    cards = campaign_result(campaign).scorecards
    tied = {c.code for c in cards if c.group == group and c.total == total and c.eligible}
    if set(codes) != tied:
        messages.error(request, "Thứ tự phải gồm đúng các đơn vị đang bằng điểm: " + ", ".join(sorted(tied)) + ".")
        return redirect("rankings")
    try:
        tie_break_record(campaign=campaign, actor=request.user, group=group, codes=codes, total=total,
                         reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Đã ghi nhận thứ tự do Hội đồng quyết định.")
    return redirect("rankings")


@reviewer_required
@require_POST
def month_close_view(request):
    campaign = get_campaign()
    month = request.POST.get("month", "")
    try:
        month_close(campaign=campaign, actor=request.user, month=month)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("rankings")
    messages.success(request, "Đã chốt kết quả tháng; các thay đổi sau này sẽ hiện là phần tính lại.")
    return redirect(f"{reverse('rankings')}?thang={month}")


def public_leaderboard(request):
    campaign = get_campaign()
    result = campaign_result(campaign)
    return render(request, "reports/public_leaderboard.html", {
        "campaign": campaign, "result": result, "groups": _groups(campaign, result),
        "min_total": campaign.rubric.eligibility.min_total,
    })
