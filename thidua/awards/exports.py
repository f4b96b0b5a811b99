"""Spreadsheet exports: each is a row generator giving Sheets; .xlsx writes them all, .csv one
combined table. Rendering (and the formula-injection guard) is thidua.documents.xlsx."""

from __future__ import annotations

from collections.abc import Callable

from thidua.awards import selectors
from thidua.awards.dossier import district_info
from thidua.campaigns.models import Campaign
from thidua.documents import Sheet, write_csv, write_xlsx
from thidua.reports.selectors import Totals, campaign_overview, campaign_result, submission_matrix
from thidua.scoring.text import format_month


def _criteria(campaign: Campaign) -> list[tuple[str, str]]:
    labels: dict[str, str] = {}
    for group in campaign.rubric.groups.values():
        for c in group.criteria:
            labels.setdefault(c.key, c.label)
    return list(labels.items())


def _group_label(campaign: Campaign, key: str) -> str:
    group = campaign.rubric.groups.get(key)
    return group.label if group else key


def scores(campaign: Campaign) -> tuple[list[Sheet], Sheet]:
    result = campaign_result(campaign)
    criteria = _criteria(campaign)
    headers = ["Mã đơn vị", "Đơn vị", "Khối", *(label for _, label in criteria), "Trừ điểm", "Tổng điểm",
               f"Đạt {campaign.rubric.eligibility.min_total} điểm", "Xếp hạng", "Bằng điểm"]
    rows = []
    groups = list(campaign.rubric.groups)  # the rubric's order, as on the rankings page
    order = sorted(result.scorecards,
                   key=lambda c: (groups.index(c.group), c.rank is None, c.rank or 0, -c.total, c.name))
    for c in order:
        points = c.criteria_points
        rows.append([c.code, c.name, _group_label(campaign, c.group), *(points.get(k) for k, _ in criteria),
                     c.penalty, c.total, "Đạt" if c.eligible else "Không", c.rank,
                     ("Hội đồng đã phân định" if c.tie_resolved else "Chờ phân định") if c.tie else ""])
    sheet = Sheet(f"Bảng điểm {result.as_of:%d-%m-%Y}", headers, rows)
    return [sheet], sheet


def submissions(campaign: Campaign) -> tuple[list[Sheet], Sheet]:
    months, matrix = submission_matrix(campaign)
    headers = ["Mã đơn vị", "Đơn vị", "Khối", *(format_month(m) for m in months)]
    rows = []
    for unit, cells in matrix:
        rows.append([unit.code, unit.name, _group_label(campaign, unit.group),
                     *(c.label + (" — không trung thực" if c.untruthful else "") for c in cells)])
    sheet = Sheet("Tình hình báo cáo", headers, rows)
    return [sheet], sheet


def rankings(campaign: Campaign) -> tuple[list[Sheet], Sheet]:
    result = campaign_result(campaign)
    headers = ["Xếp hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Ghi chú"]
    sheets, combined = [], []
    for key in campaign.rubric.groups:  # the rubric's order, as on the rankings page
        group = campaign.rubric.groups[key]
        cards = sorted((c for c in result.scorecards if c.group == key and c.rank is not None),
                       key=lambda c: c.rank)  # ties in the order of the result, as on the pages
        rows = [[c.rank, c.code, c.name, c.total,
                 ("Bằng điểm, Hội đồng đã phân định" if c.tie_resolved else "Bằng điểm, chờ Hội đồng") if c.tie else ""]
                for c in cards]
        sheets.append(Sheet(group.label, headers, rows))
        combined += [[group.label, *row] for row in rows]
    return sheets, Sheet("Xếp hạng", ["Khối", *headers], combined)


def awards(campaign: Campaign) -> tuple[list[Sheet], Sheet]:
    headers = ["Hình thức", "Kỳ", "Hạng", "Đơn vị", "Cá nhân", "Chức vụ", "Tiền thưởng (đồng)", "Điểm cộng",
               "Ghi chú"]
    rows: list[list] = []
    monthly_label = campaign.rubric.awards.monthly.label if campaign.rubric.awards.monthly else ""
    for row in selectors.monthly_overview(campaign):
        a = row.award
        if a is None:
            continue
        note = f"Trao ngày {a.ceremony_date:%d/%m/%Y}"
        if a.decision_number:
            note += f"; Quyết định số {a.decision_number} ngày {a.decision_date:%d/%m/%Y}"
        if a.override_reason:
            note += f"; chọn khác đề xuất: {a.override_reason}"
        if a.flagged:
            note += f"; CẦN XEM XÉT: {a.flag_text}"
        elif a.flag_cleared_at:
            note += f"; đã xem xét, giữ nguyên: {a.flag_conclusion}"
        rows.append([monthly_label, format_month(a.month), None, a.unit.name, "", "", a.prize_vnd, None, note])
    year = str(campaign.rubric.campaign.end.year)
    labels = {a.key: a.label for a in campaign.rubric.awards.year_end}
    recorded = selectors.proposals(campaign)
    for p in recorded:
        rows.append([labels.get(p.award_key, p.award_key), f"Cuối năm {year}", p.place, p.unit.name, "", "",
                     p.prize_vnd, p.bonus_points or None, "Đã chốt danh sách"])
    by_unit = {p.unit_id for p in recorded}
    individual = f"{district_info(campaign).award_name} cá nhân"  # a district's Giấy khen, a province's Bằng khen
    for n in selectors.nominations(campaign):
        rows.append([individual, f"Cuối năm {year}", None, n.unit.name, n.full_name, n.position, None,
                     None, "" if not recorded or n.unit_id in by_unit else "Đơn vị không thuộc danh sách"])
    main = Sheet("Khen thưởng", headers, rows)
    budget_rows, total = selectors.budget(campaign)
    budget = Sheet("Kinh phí", ["Nội dung", "Số lượng", "Mức thưởng (đồng)", "Thành tiền (đồng)", "Ghi chú"],
                   [[r.label, r.quantity, r.unit_vnd, r.amount, r.note] for r in budget_rows]
                   + [["Tổng cộng", None, None, total, ""]])
    return [main, budget], main


def _figures(t: Totals) -> list:
    return [t.accounts, t.online, t.in_person, t.online_share_percent, t.on_time, t.due, t.on_time_percent]


def _figure_headers(campaign: Campaign) -> list[str]:
    return ["Tài khoản tạo mới", campaign.online_dossiers_label, "Hồ sơ trực tiếp", "Tỷ lệ trực tuyến (%)",
            "Hồ sơ giải quyết đúng hạn", "Hồ sơ đến hạn", "Tỷ lệ đúng hạn (%)"]


def overview(campaign: Campaign) -> tuple[list[Sheet], Sheet]:
    """Tổng quan: per month (each group, then the whole campaign) and per group over the months so far."""
    data = campaign_overview(campaign)
    labels = {g.key: g.label for g in data.groups}
    figure_headers = _figure_headers(campaign)
    month_rows = []
    for m in data.months:
        for key, totals in m.by_group.items():
            month_rows.append([format_month(m.month), labels[key], m.owed_by_group[key], totals.units,
                               *_figures(totals)])
        month_rows.append([format_month(m.month), "Toàn phong trào", m.owed, m.total.units, *_figures(m.total)])
    by_month = Sheet("Theo tháng", ["Tháng", "Nhóm", "Đơn vị phải báo cáo", "Đơn vị có số liệu", *figure_headers],
                     month_rows)
    group_rows = [[g.label, g.units, g.eligible, *_figures(g.totals)] for g in data.groups]
    group_rows.append(["Toàn phong trào", data.units, data.eligible, *_figures(data.total)])
    by_group = Sheet(f"Theo nhóm đến {data.as_of:%d-%m-%Y}",
                     ["Nhóm", "Số đơn vị", f"Đạt từ {data.min_total} điểm", *figure_headers], group_rows)
    return [by_group, by_month], by_month


EXPORTS: dict[str, tuple[str, Callable[[Campaign], tuple[list[Sheet], Sheet]]]] = {
    "tong-quan": ("Tổng quan", overview),
    "bang-diem": ("Bảng điểm", scores),
    "tinh-hinh-bao-cao": ("Tình hình báo cáo", submissions),
    "xep-hang": ("Xếp hạng", rankings),
    "khen-thuong": ("Khen thưởng", awards),
}


def render(campaign: Campaign, name: str, fmt: str) -> bytes:
    sheets, combined = EXPORTS[name][1](campaign)
    return write_xlsx(sheets) if fmt == "xlsx" else write_csv(combined)
