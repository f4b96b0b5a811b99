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
    return {"nav_items": items}
