"""Navigation entries by role, shown in the base template."""

from __future__ import annotations


def navigation(request):
    user = getattr(request, "user", None)
    items = [("public-leaderboard", "Bảng xếp hạng công khai")]
    if user is not None and user.is_authenticated:
        if user.is_reporter:
            items = [("unit-dashboard", "Đơn vị của tôi"), ("report-list", "Báo cáo tháng"),
                     ("nominations", "Đề cử cá nhân"), *items]
        if user.sees_all_units:
            items = [("rankings", "Xếp hạng"), ("review-matrix", "Tình hình báo cáo"), ("awards-home", "Khen thưởng"),
                     *items]
            if not user.is_reviewer:  # a leader's first page; the office's menu is full, its pages link to it
                items.insert(0, ("overview", "Tổng quan"))
        if user.is_reviewer:
            items.append(("portal-upload", "Nhập số liệu Cổng"))
            items.append(("audit-log", "Nhật ký"))
        if user.is_admin_role:
            items.append(("campaign-list", "Phong trào"))
            items.append(("units-import", "Danh mục đơn vị"))
            items.append(("units-reporter-accounts", "Tài khoản báo cáo"))
    return {"nav_items": items, **_campaign_context(request, user)}


def _campaign_context(request, user) -> dict:
    """On a page that reads a campaign (reports.views.common.campaign_shown): the campaigns to switch to and
    whether the one shown is past (read only). For a reporter: the unit's name as the campaign shown (or the one
    applied) names it, for the header line: a unit renamed after a campaign is over took part under its old name."""
    from thidua.campaigns.selectors import active_campaign, campaign_choices
    from thidua.reports.selectors import unit_as_in_campaign

    out = {}
    shown = getattr(request, "campaign_shown", None)
    if shown is not None:
        choices = campaign_choices()
        archived = request.campaign_archived
        out["campaign_view"] = {"shown": shown, "choices": choices, "archived": archived,
                                "switch": (len(choices) > 1 or archived)
                                and not getattr(request, "campaign_fixed", False)}
    if user is not None and user.is_authenticated and user.is_reporter and user.unit_id:
        campaign = shown or active_campaign()
        if campaign is not None:
            out["header_unit_name"] = unit_as_in_campaign(campaign, user.unit).name
    return out
