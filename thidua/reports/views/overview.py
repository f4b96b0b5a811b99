"""Tổng quan: the campaign as a whole for leaders — figures per group and month, with a chart drawn on the server."""

from __future__ import annotations

from django.shortcuts import render

from thidua.reports.selectors import Overview, campaign_overview
from thidua.reports.views.common import campaign_shown
from thidua.scoring.text import format_int, format_month, format_rate
from thidua.units.permissions import staff_view_required

# The chart: one bar a month, online dossiers (below) and those received in person (above), in SVG units; the
# busiest month's total is written left of the dashed line at the top of its bar.
CHART_HEIGHT, TOP, BAR_WIDTH, BAR_GAP, AXIS = 180, 24, 56, 28, 60


@staff_view_required
def overview(request):
    campaign = campaign_shown(request)
    data = campaign_overview(campaign)
    return render(request, "reports/overview.html", {"campaign": campaign, "overview": data, "chart": chart(data)})


def chart(data: Overview) -> dict | None:
    """The bars of the monthly chart, in integers (heights in proportion to the busiest month); None before
    any month has a dossier. The table under the chart gives the same figures to read and to screen readers."""
    months = data.months
    top = max((m.total.dossiers for m in months), default=0)
    if top == 0:
        return None
    base = TOP + CHART_HEIGHT
    bars = []
    for i, m in enumerate(months):
        total, online = m.total.dossiers, m.total.online
        height = total * CHART_HEIGHT // top
        online_height = online * CHART_HEIGHT // top
        x = AXIS + BAR_GAP + i * (BAR_WIDTH + BAR_GAP)
        share = m.total.online_share
        bars.append({
            "x": x, "label_x": x + BAR_WIDTH // 2, "month": format_month(m.month).removeprefix("tháng "),
            "online_y": base - online_height, "online_h": online_height,
            "in_person_y": base - height, "in_person_h": height - online_height,
            "share": format_rate(share * 100) if share is not None else "", "share_y": base - height - 6,
            "title": f"{format_month(m.month)}: {format_int(online)} hồ sơ trực tuyến, "
                     f"{format_int(m.total.in_person)} hồ sơ trực tiếp",
        })
    width = AXIS + BAR_GAP + len(months) * (BAR_WIDTH + BAR_GAP)
    return {"width": width, "height": base + 24, "top_y": TOP, "base_y": base, "axis_x": AXIS,
            "bar_width": BAR_WIDTH, "bars": bars, "top": format_int(top), "month_y": base + 16}
