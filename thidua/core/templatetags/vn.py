"""Vietnamese formatting in templates: 1.500, 1.000.000 đ, 25/06/2021, tháng 6/2021, −2."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from thidua.scoring.text import format_date, format_int, format_month, format_rate, format_vnd

register = template.Library()


@register.filter
def vn_int(value):
    if value is None or value == "":
        return ""
    return format_int(int(value))


@register.filter
def vnd(value):
    if value is None or value == "":
        return ""
    return format_vnd(int(value))


@register.filter
def vn_date(value):
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    return value


@register.filter
def vn_month(value):
    return format_month(value) if value else ""


_MONTH_KEY = re.compile(r"^(\d{4}-\d{2}): ")


@register.filter
def vn_note(value):
    """A scoring note as a person reads it: the engine's «2021-07: trễ 2 ngày (−2)» (the batch command's
    JSON keeps that key) as «Tháng 7/2021: trễ 2 ngày (−2)»."""
    text = str(value or "")
    match = _MONTH_KEY.match(text)
    return f"{format_month(match.group(1)).capitalize()}: {text[match.end():]}" if match else text


@register.filter
def signed(value):
    """Points with a real minus sign: +5, −2, 0."""
    if value is None:
        return ""
    value = int(value)
    if value < 0:
        return f"−{format_int(-value)}"
    if value > 0:
        return f"+{format_int(value)}"
    return "0"


@register.filter
def deducted(value):
    """The points a penalty takes, for "trừ … điểm": −2 → "2"."""
    if value is None or value == "":
        return ""
    return format_int(abs(int(value)))


@register.filter
def points(value):
    if value is None:
        return "—"
    value = int(value)
    return f"−{format_int(-value)}" if value < 0 else format_int(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def status_label(status):
    """A report status in the plan's words: Đúng hạn / Trễ N ngày / Chưa nộp / Chờ / Chưa đến hạn / Chưa tham gia."""
    state = getattr(status, "state", status)
    days = getattr(status, "days_late", None)
    return {
        "on_time": "Đúng hạn",
        "late": f"Trễ {days} ngày",
        "missing": "Chưa nộp",
        "pending": f"Chờ (quá hạn {days} ngày)" if days else "Chờ",
        "not_due": "Chưa đến hạn",
        "not_required": "Chưa tham gia",
    }.get(state, state)


@register.filter
def percent(value):
    """An exact fraction (0–1) shown as a Vietnamese percentage."""
    return "" if value is None else format_rate(value * 100)


@register.filter
def rate(value):
    """A percentage (a Decimal such as a tolerance of 5.00) as the plan writes it: ``"5%"``, ``"2,5%"``."""
    return "" if value is None or value == "" else format_rate(Decimal(value))


@register.filter
def minutes(value):
    """A timedelta as whole minutes, rounded up: 15 for 0:15:00."""
    if value is None or value == "":
        return ""
    return -(-int(value.total_seconds()) // 60)


@register.filter
def unchanged_labels(rows) -> str:
    """The audit log's rows (audit_display.ChangeRow) that a change left as they were, by name."""
    return ", ".join(r.label for r in rows if not r.changed)


# The pages that read a campaign chosen in their address (?phong-trao=…) and the few writes a page of a past
# campaign still posts to: a link to one of them from a page showing a campaign other than the one applied keeps
# that campaign (reports.views.common.campaign_shown). Other links lead to the applied campaign's pages.
CAMPAIGN_PAGES = frozenset({
    "rankings", "public-leaderboard", "overview", "review-matrix", "unit-scorecard", "unit-dashboard",
    "awards-home", "monthly-award", "monthly-award-flag-answer", "monthly-award-decision-number", "year-end",
    "dossier", "document-download", "year-end-zip", "export",
    # a past campaign's returned report, still corrected (reports.services.submission_refusal)
    "report-submit", "report-preview",
    # the year-end work a campaign finishes after the next one is applied (awards.views.year_end)
    "year-end-record", "year-end-reopen", "year-end-decision", "dossier-sign", "district-officials", "award-meeting",
    "nominations", "nomination-edit", "nomination-remove",
})


def campaign_query(request) -> dict[str, str]:
    """{"phong-trao": code} on a page showing a campaign other than the applied one, else {}."""
    from thidua.reports.views.common import CAMPAIGN_PARAM

    campaign = getattr(request, "campaign_shown", None) if request is not None else None
    return {CAMPAIGN_PARAM: campaign.code} if campaign is not None and request.campaign_archived else {}


@register.simple_tag(takes_context=True)
def campaign_url(context, name, *args, **query):
    """``{% campaign_url 'rankings' thang=month %}``: the address of a page, keeping the campaign shown (see
    CAMPAIGN_PAGES); keyword arguments are the address's query (``?thang=2021-06``)."""
    from django.urls import reverse
    from django.utils.http import urlencode

    params = {k: v for k, v in query.items() if v not in (None, "")}
    if name in CAMPAIGN_PAGES:
        params.update(campaign_query(context.get("request")))
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url
