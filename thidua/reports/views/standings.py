"""Rankings for staff (with tie-breaks and month closing) and the public leaderboard."""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from thidua.campaigns.selectors import NoActiveCampaign, UnknownCampaign
from thidua.campaigns.services import month_close, tie_break_record
from thidua.core import clock
from thidua.reports.forms import TieBreakForm
from thidua.reports.selectors import (
    campaign_as_of,
    campaign_result,
    campaign_versions,
    closed_month_recalculations,
    month_as_of,
    review_backlog,
    snapshots,
)
from thidua.reports.views.common import (
    CAMPAIGN_PARAM,
    campaign_shown,
    campaign_to_change,
    form_errors_as_messages,
)
from thidua.units.permissions import reviewer_required, staff_view_required


def _groups(campaign, result):
    """Scorecards per group in rank order, ineligible units last, with the tied sets to decide."""
    rubric = campaign.rubric
    out = []
    for key, group in rubric.groups.items():
        cards = [c for c in result.scorecards if c.group == key]
        # ties keep the order of the result (the registry's order), as on every other page and document
        eligible = sorted((c for c in cards if c.rank is not None), key=lambda c: c.rank)
        others = sorted((c for c in cards if c.rank is None), key=lambda c: -c.total)
        ties: dict[int, list] = {}
        for card in eligible:
            if card.tie and not card.tie_resolved:
                ties.setdefault(card.total, []).append(card)
        out.append({"key": key, "label": group.label, "criteria": [c.label for c in group.criteria],
                    "eligible": eligible, "others": others,
                    "ties": [{"total": total, "cards": tied} for total, tied in ties.items()]})
    return out


@staff_view_required
def rankings(request):
    campaign = campaign_shown(request)
    months = list(campaign.rubric.reports.months)
    month = request.GET.get("thang") or ""
    if month and month not in months:
        raise Http404("Tháng không thuộc kỳ báo cáo.")
    closed = snapshots(campaign)
    # a month not over yet is shown as of today: its deadline may be ahead, nobody is "missing" yet
    result = campaign_result(campaign, as_of=min(month_as_of(campaign, month), campaign_as_of(campaign))
                             if month else None)
    snapshot = closed.get(month) if month else None
    return render(request, "reports/rankings.html", {
        "campaign": campaign, "result": result, "groups": _groups(campaign, result), "months": months,
        "month": month, "closed": closed, "snapshot": snapshot,
        "recalculations": closed_month_recalculations(snapshot.result, result) if snapshot else [],
        "min_total": campaign.rubric.eligibility.min_total, "awards": result.to_contract()["awards"],
        "backlog": review_backlog(campaign, month) if month and not snapshot and request.user.is_reviewer else "",
        # a past campaign's ranking is read only: its ties and months are as they were decided
        "can_decide": request.user.is_reviewer and not request.campaign_archived,
        "recognised_by": _recognised_by(campaign) if request.user.is_reviewer else "",
    })


def _recognised_by(campaign) -> str:
    """The tie-break's reason, as Plan 211 words it: results recognised by the levels above the issuer."""
    from thidua.awards.dossier import district_info  # the documents' issuer (a district, or a province)

    return district_info(campaign).recognised_by


@reviewer_required
@require_POST
def tie_break_view(request):
    campaign = campaign_to_change(request)
    form = TieBreakForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("rankings")
    try:
        tie_break_record(campaign=campaign, actor=request.user, group=form.cleaned_data["group"],
                         codes=form.codes(), total=form.cleaned_data["total"], reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Đã ghi nhận thứ tự do Hội đồng quyết định.")
    return redirect("rankings")


@reviewer_required
@require_POST
def month_close_view(request):
    campaign = campaign_to_change(request)
    month = request.POST.get("month", "")
    try:
        month_close(campaign=campaign, actor=request.user, month=month)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("rankings")
    backlog = review_backlog(campaign, month)
    messages.success(request, "Đã chốt kết quả tháng; các thay đổi sau này sẽ hiện là phần tính lại."
                     + (f" Lúc chốt còn {backlog}: kết quả thẩm định sau đó hiện là phần tính lại." if backlog else ""))
    return redirect(f"{reverse('rankings')}?thang={month}")


# The public page is the same for every visitor until a score can change: it is rendered once per
# (campaign shown, every campaign's version, today) and the fast path costs one small query. The versions are
# read fresh on every request, so each worker process still sees a write at once; they are every campaign's
# because the page lists the others (a campaign created, renamed or applied changes it).
_PUBLIC_PAGES: OrderedDict[tuple, dict] = OrderedDict()
_PUBLIC_PAGES_LOCK = threading.Lock()
_PUBLIC_PAGES_MAX = 16


def _public_page(key: tuple, campaign, request_archived: bool) -> dict:
    with _PUBLIC_PAGES_LOCK:
        page = _PUBLIC_PAGES.get(key)
        if page is not None:
            _PUBLIC_PAGES.move_to_end(key)
            return page
    result = campaign_result(campaign)
    groups = _groups(campaign, result)
    min_total = campaign.rubric.eligibility.min_total
    page = {"campaign_name": campaign.name, "as_of": result.as_of, "min_total": min_total,
            "final": result.as_of >= campaign.rubric.campaign.end, "archived": request_archived,
            "tables": render_to_string("reports/_public_tables.html", {"groups": groups, "min_total": min_total})}
    with _PUBLIC_PAGES_LOCK:
        _PUBLIC_PAGES[key] = page
        while len(_PUBLIC_PAGES) > _PUBLIC_PAGES_MAX:
            _PUBLIC_PAGES.popitem(last=False)
    return page


def _anonymous_without_state(request) -> bool:
    """A visitor with no session and no pending message sees exactly the same page as any other."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


_PUBLIC_RESPONSES: OrderedDict[tuple, bytes] = OrderedDict()


def _shown_pk(request, versions: tuple) -> int:
    """The pk of the campaign the public page shows: the one its address names (?phong-trao=…), else the one
    applied; a 404 in Vietnamese for a code that names none, or with no campaign applied yet."""
    code = request.GET.get(CAMPAIGN_PARAM) or ""
    for pk, row_code, _, active, *_ in versions:
        if (row_code == code) if code else active:
            return pk
    raise UnknownCampaign(code) if code else NoActiveCampaign()


def public_leaderboard(request):
    versions = campaign_versions()
    key = (_shown_pk(request, versions), versions, clock.today())

    def page() -> HttpResponse:
        campaign = campaign_shown(request)  # for the campaign switcher and the list of the other campaigns
        context = _public_page(key, campaign, request.campaign_archived)
        return render(request, "reports/public_leaderboard.html", context)

    if _anonymous_without_state(request):
        # The whole page is the same for every such visitor (the public board, the radio station's
        # screen): served from memory until a score can change.
        with _PUBLIC_PAGES_LOCK:
            body = _PUBLIC_RESPONSES.get(key)
        if body is None:
            body = page().content
            with _PUBLIC_PAGES_LOCK:
                _PUBLIC_RESPONSES[key] = body
                while len(_PUBLIC_RESPONSES) > _PUBLIC_PAGES_MAX:
                    _PUBLIC_RESPONSES.popitem(last=False)
        response = HttpResponse(body)
        patch_vary_headers(response, ["Cookie"])
        return response
    return page()
